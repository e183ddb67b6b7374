import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { importSecretText } from '../../src/keys/import.ts';
import { createTokenVerdicts } from '../../src/triage/token_verdicts.ts';
import { AUD, ISS, NOW } from '../helpers/index.ts';
import { SECRET, TOKENS } from './fixtures.ts';

function verdicts() {
  const expectations = { issuer: [ISS], audience: [AUD], algorithms: ['HS256'] };
  const keys = [importSecretText(SECRET, 'utf8', { kind: 'secret', location: 'test' }, { kid: 'hs-new' })];
  return createTokenVerdicts(buildDiagnoser(expectations, { keys }), expectations);
}

test('one diagnosis per distinct token while the instant stays on the same side of exp', () => {
  const v = verdicts();
  for (let i = 0; i < 50; i++) assert.equal(v.verdict(TOKENS.valid, NOW + i).reason, 'valid');
  assert.equal(v.diagnosed, 1);
  // Past exp (NOW + 3600): a new diagnosis, then cached too.
  assert.equal(v.verdict(TOKENS.valid, NOW + 4000).reason, 'token_expired');
  assert.equal(v.verdict(TOKENS.valid, NOW + 5000).reason, 'token_expired');
  assert.equal(v.verdict(TOKENS.valid, NOW + 10).reason, 'valid');
  assert.equal(v.diagnosed, 2);
});

test('the verdict carries the kid and the client (azp) of the token', () => {
  const v = verdicts().verdict(TOKENS.expired, NOW);
  assert.deepEqual([v.reason, v.kid, v.client], ['token_expired', 'hs-new', 'mobile']);
  assert.equal(verdicts().verdict(TOKENS.malformed, NOW).reason, 'malformed_token');
});
