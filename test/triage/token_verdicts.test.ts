import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { importSecretText } from '../../src/keys/import.ts';
import { sampleHash } from '../../src/triage/doorkeeper.ts';
import { createTokenVerdicts } from '../../src/triage/token_verdicts.ts';
import { AUD, ISS, NOW } from '../helpers/index.ts';
import { SECRET, TOKENS } from './fixtures.ts';

function verdicts() {
  const expectations = { issuer: [ISS], audience: [AUD], algorithms: ['HS256'] };
  const keys = [importSecretText(SECRET, 'utf8', { kind: 'secret', location: 'test' }, { kid: 'hs-new' })];
  return createTokenVerdicts(buildDiagnoser(expectations, { keys }), expectations);
}

test('a distinct token is diagnosed on its first two sightings (cached at the second), then not while the instant stays on the same side of exp', () => {
  const v = verdicts();
  for (let i = 0; i < 50; i++) assert.equal(v.verdict(TOKENS.valid, NOW + i).reason, 'valid');
  assert.equal(v.diagnosed, 2);
  // Past exp (NOW + 3600): a new diagnosis, then cached too.
  assert.equal(v.verdict(TOKENS.valid, NOW + 4000).reason, 'token_expired');
  assert.equal(v.verdict(TOKENS.valid, NOW + 5000).reason, 'token_expired');
  assert.equal(v.verdict(TOKENS.valid, NOW + 10).reason, 'valid');
  assert.equal(v.diagnosed, 3);
});

test('the verdict carries the kid and the client (azp) of the token', () => {
  const v = verdicts().verdict(TOKENS.expired, NOW);
  assert.deepEqual([v.reason, v.kid, v.client], ['token_expired', 'hs-new', 'mobile']);
  assert.equal(verdicts().verdict(TOKENS.malformed, NOW).reason, 'malformed_token');
});

/** `token` with the character at `i` changed: a different token (its signature no longer verifies). */
const changedAt = (token: string, i: number, c: string) => token.slice(0, i) + c + token.slice(i + 1);

test('tokens with the same sampled hash keep their own verdicts, past the per-hash limit too', () => {
  const v = verdicts();
  const n = TOKENS.valid.length;
  // Index n - 2 is not sampled: every variant hashes like the original.
  const variants = [...'ABCDEFGHIJ'].map((c) => changedAt(TOKENS.valid, n - 2, c)).filter((t) => t !== TOKENS.valid);
  for (const t of variants) assert.equal(sampleHash(t), sampleHash(TOKENS.valid));
  for (let round = 0; round < 3; round++) {
    assert.equal(v.verdict(TOKENS.valid, NOW).reason, 'valid');
    for (const t of variants) assert.equal(v.verdict(t, NOW).reason, 'signature_invalid');
  }
  assert.equal(v.verdict(TOKENS.expired, NOW).reason, 'token_expired');
});
