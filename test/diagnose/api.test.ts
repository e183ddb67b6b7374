/** The library entry (src/index.ts): loadContract, diagnose, createDiagnoser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadContract, diagnose, createDiagnoser, errors, DIAGNOSIS_SCHEMA } from '../../src/index.ts';
import { EXAMPLES_NOW_ISO } from '../helpers/index.ts';

const { ContractError } = errors;

const contractPath = fileURLToPath(new URL('../../examples/auth-contract.yaml', import.meta.url));
const token = readFileSync(new URL('../../examples/tokens/local-login.jwt', import.meta.url), 'utf8');
const now = new Date(EXAMPLES_NOW_ISO);

test('loadContract(path) + diagnose(token, expectations, { now }) returns the JSON report object', async () => {
  const contract = loadContract(contractPath);
  const d = await diagnose(token, contract.environments.staging!, { now, contract });
  assert.equal(d.schema, DIAGNOSIS_SCHEMA);
  assert.equal(d.result, 'claim_mismatch');
  // Plain JSON data: a field the diagnosis has no value for is undefined (one object shape for
  // every diagnosis, src/diagnose.ts), which JSON omits; everything else survives a round trip.
  const defined = Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
  assert.deepEqual(JSON.parse(JSON.stringify(d)), defined, 'plain JSON data');
  assert.equal(d.provider, undefined, 'the example issuers are no known provider');
});

test('createDiagnoser: prepared once, synchronous per token', async () => {
  const contract = loadContract(contractPath);
  const doctor = await createDiagnoser(contract.environments.local!, { contract });
  const r = doctor.diagnose(token, { now });
  assert.equal(r.result, 'valid');
  assert.equal(typeof Reflect.get(r, 'then'), 'undefined', 'a diagnosis, not a promise');
  assert.equal(doctor.diagnose(token, { now: now.getTime() / 1000 + 7200 }).result, 'token_expired');
});

test('loadContract(object) with inline keys; invalid objects throw ContractError', async () => {
  const c = loadContract({ environments: { one: { issuer: 'https://a', keys: [{ secret: 'a-secret-a-secret-a-secret-a-secret' }] } } });
  assert.deepEqual(c.environments.one!.issuer, ['https://a']);
  assert.throws(() => loadContract({ environments: { one: { isuer: 'x' } } }), ContractError);
});
