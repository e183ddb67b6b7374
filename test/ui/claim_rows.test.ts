import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_NOW, REPO } from '../helpers/index.ts';
import { loadContract } from '../../src/contract/load.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { buildClaimRows } from '../../src/ui/claim_rows.ts';

const contract = loadContract(join(REPO, 'examples/auth-contract.yaml'));
const TOKEN = readFileSync(join(REPO, 'examples/tokens/local-login.jwt'), 'utf8').trim();
const diagnose = async (env: string, token = TOKEN, now = EXAMPLES_NOW) =>
  (await createDiagnoser(contract.environments[env]!, { contract })).diagnose(token, { now });

test('every finding of a diagnosis lands on a row; a row with an error finding fails', async () => {
  for (const env of Object.keys(contract.environments)) {
    for (const now of [EXAMPLES_NOW, EXAMPLES_NOW + 86_400]) {
      const d = await diagnose(env, TOKEN, now);
      const rows = buildClaimRows(d);
      const placed = rows.flatMap((r) => r.codes);
      assert.deepEqual(new Set(placed), new Set(d.findings.map((f) => f.code)), `${env} ${now}`);
      for (const r of rows) {
        const sev = d.findings
          .filter((f) => r.codes.includes(f.code) && (f.claim === r.claim || f.claim === undefined))
          .map((f) => f.severity);
        if (sev.includes('error')) assert.equal(r.status, 'fail', `${env} ${r.claim}`);
      }
    }
  }
});

test('the seed case: iss and aud fail with their codes and the owning team; a day later exp fails too', async () => {
  const rows = buildClaimRows(await diagnose('staging'));
  const row = (claim: string) => rows.find((r) => r.claim === claim)!;
  assert.deepEqual(
    [row('iss').status, row('iss').codes, row('iss').owner, row('iss').team],
    ['fail', ['issuer_mismatch'], 'verifier', 'orders-team'],
  );
  assert.deepEqual([row('aud').status, row('aud').codes], ['fail', ['audience_mismatch']]);
  assert.deepEqual([row('signature').status, row('exp').status, row('sub').status], ['pass', 'pass', 'pass']);
  const later = buildClaimRows(await diagnose('staging', TOKEN, EXAMPLES_NOW + 86_400));
  assert.ok(later.find((r) => r.claim === 'exp')!.codes.includes('token_expired'));
});

test('a token that does not decode still gets rows: the malformed_token finding has its own', async () => {
  const rows = buildClaimRows(await diagnose('staging', 'not.a.token'));
  assert.ok(rows.some((r) => r.codes.includes('malformed_token') && r.status === 'fail'));
  assert.equal(rows.find((r) => r.claim === 'iss')!.token, undefined);
});
