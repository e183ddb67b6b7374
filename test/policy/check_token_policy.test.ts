/** The token and tolerance rules of the lifecycle policy (pure: fixed now). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTokenPolicy, checkTolerancePolicy } from '../../src/policy/check_token_policy.ts';

const NOW = 1_800_000_000;
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

test('lifetime over the maximum is token_lifetime_exceeds_policy; at the maximum it passes; nbf stands in for a missing iat', () => {
  const policy = { tokenLifetimeSeconds: 900 };
  const over = checkTokenPolicy({ iat: NOW, exp: NOW + 3600 }, policy, NOW);
  assert.deepEqual(codes(over), ['token_lifetime_exceeds_policy']);
  assert.deepEqual([over.findings[0]!.expected, over.findings[0]!.actual, over.lifecycle.lifetimeSeconds], [900, 3600, 3600]);
  assert.deepEqual(codes(checkTokenPolicy({ iat: NOW, exp: NOW + 900 }, policy, NOW)), []);
  assert.deepEqual(codes(checkTokenPolicy({ nbf: NOW, exp: NOW + 901 }, policy, NOW)), ['token_lifetime_exceeds_policy']);
  assert.deepEqual(
    codes(checkTokenPolicy({ exp: NOW + 99999 }, policy, NOW)),
    [],
    'no iat and no nbf: the lifetime is unknown, not a violation',
  );
});

test('near expiry: inside the refresh window the client should have refreshed; at the window edge too; before it not', () => {
  const policy = { refreshWindowSeconds: 300 };
  const exp = NOW + 1000;
  assert.deepEqual(codes(checkTokenPolicy({ exp }, policy, exp - 301)), []);
  const edge = checkTokenPolicy({ exp }, policy, exp - 300);
  assert.deepEqual(codes(edge), ['token_refresh_overdue']);
  assert.deepEqual(edge.findings[0]!.detail, { remainingSeconds: 300, refreshWindowSeconds: 300, refreshAt: exp - 300 });
  assert.deepEqual(codes(checkTokenPolicy({ exp }, policy, exp - 1)), ['token_refresh_overdue']);
  assert.deepEqual(
    codes(checkTokenPolicy({ exp }, policy, exp)),
    ['token_expired'],
    'at exp the token is expired (RFC 7519 section 4.1.4), not merely due',
  );
});

test('verifier tolerance above the policy maximum; at the maximum it passes; no maximum, no rule', () => {
  assert.deepEqual(
    checkTolerancePolicy(60, { maxClockToleranceSeconds: 30 }).map((f) => [f.code, f.expected, f.actual]),
    [['clock_tolerance_exceeds_policy', 30, 60]],
  );
  assert.deepEqual(checkTolerancePolicy(30, { maxClockToleranceSeconds: 30 }), []);
  assert.deepEqual(checkTolerancePolicy(undefined, { maxClockToleranceSeconds: 0 }), []);
  assert.deepEqual(checkTolerancePolicy(3600, {}), []);
});
