/**
 * The contract validator is ajv's standalone compilation of the schema,
 * committed (src/contract/validate_contract.generated.ts) so that no ajv
 * runs in a consumer's process. It must match the schema it came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderContractValidator, VALIDATOR_FILE } from '../../scripts/make-contract-validator.ts';
import { loadContract, ContractError } from '../../src/contract/load.ts';

test('the committed contract validator is the compilation of the current schema', () => {
  assert.equal(
    readFileSync(VALIDATOR_FILE, 'utf8'),
    renderContractValidator(),
    'stale: run node --import tsx scripts/make-contract-validator.ts',
  );
});

test('the generated validator counts string length in code points, as ajv does (minLength on an issuer of one emoji)', () => {
  // "\u{1F600}" is two UTF-16 units and one code point: minLength 1 accepts it, the empty string fails.
  const env = (issuer: string) => ({ version: 1, environments: { e: { issuer, keys: [{ jwksUri: 'https://auth.example.com/jwks' }] } } });
  assert.deepEqual(loadContract(env('\u{1F600}')).environments.e!.issuer, ['\u{1F600}']);
  assert.throws(
    () => loadContract(env('')),
    (e: unknown) => e instanceof ContractError && e.path.includes('issuer'),
  );
});
