import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTimesInto } from '../../src/checks/time.ts';
import type { Finding } from '../../src/reasons.ts';
import type { Expectations } from '../../src/expectations.ts';
import type { JsonObject } from '../../src/token/decode.ts';

const NOW = 1795874700; // 2026-11-28T12:05:00Z

function check(payload: JsonObject, expectations: Expectations = {}, now = NOW) {
  const findings: Finding[] = [];
  const clock = checkTimesInto(findings, payload, expectations, now);
  return { findings, clock, codes: findings.map((f) => f.code), find: (code: string) => findings.find((f) => f.code === code) };
}

test('plain expiry (25 s past exp on a 900 s token) is token_expired with age and lifetime, no skew', () => {
  const r = check({ iat: NOW - 925, exp: NOW - 25 }, { clockToleranceSeconds: 10 });
  assert.deepEqual(r.codes, ['token_expired']);
  const f = r.find('token_expired')!;
  assert.equal(f.claim, 'exp');
  assert.deepEqual(f.detail, { secondsPastExp: 25, toleranceSeconds: 10, tokenAgeSeconds: 925, lifetimeSeconds: 900 });
  assert.doesNotMatch(f.hint, /clock|NTP/i);
  assert.equal(r.clock.suspectedSkewSeconds, undefined);
  // Just past exp + tolerance is still ordinary expiry.
  assert.deepEqual(check({ iat: NOW - 911, exp: NOW - 11 }, { clockToleranceSeconds: 10 }).codes, ['token_expired']);
});

test('iat in the future beyond the tolerance points at the signer clock', () => {
  const r = check({ iat: NOW + 40, exp: NOW + 940 }, { clockToleranceSeconds: 10 });
  assert.deepEqual(r.codes, ['iat_in_future', 'clock_skew_suspected']);
  const s = r.find('clock_skew_suspected')!;
  assert.equal(s.claim, 'iat');
  assert.equal(s.detail!.offsetSeconds, 40);
  assert.equal(s.detail!.direction, 'signer_ahead');
  assert.equal(r.clock.suspectedSkewSeconds, 40);
  // Within the tolerance: no failure, no suspicion.
  assert.deepEqual(check({ iat: NOW + 5, exp: NOW + 905 }, { clockToleranceSeconds: 10 }).codes, []);
  // Far beyond the skew window: a bad iat, not a clock.
  assert.deepEqual(check({ iat: NOW + 4000, exp: NOW + 4900 }, { clockToleranceSeconds: 10 }).codes, ['iat_in_future']);
});

test('nbf just ahead points at the signer clock', () => {
  const r = check({ iat: NOW - 2, nbf: NOW + 20, exp: NOW + 900 }, { clockToleranceSeconds: 5 });
  assert.deepEqual(r.codes, ['token_not_yet_valid', 'clock_skew_suspected']);
  assert.equal(r.find('clock_skew_suspected')!.claim, 'nbf');
  assert.equal(r.find('clock_skew_suspected')!.detail!.offsetSeconds, 20);
});

test('a measured clock offset that explains the expiry is reported as skew; one that does not is ignored', () => {
  const token = { iat: NOW - 925, exp: NOW - 25 };
  // The verifier's clock runs 60 s ahead of the signer's: on the signer's clock the token is 35 s from exp.
  const explained = check(token, { clockToleranceSeconds: 10, clockOffsetSeconds: -60 });
  assert.deepEqual(explained.codes, ['token_expired', 'clock_skew_suspected']);
  const s = explained.find('clock_skew_suspected')!;
  assert.equal(s.claim, 'exp');
  assert.equal(s.detail!.offsetSeconds, -60);
  assert.equal(s.detail!.direction, 'verifier_ahead');
  assert.equal(explained.clock.suspectedSkewSeconds, -60);
  // 5 s of measured offset is within the tolerance; 12 s ahead does not bring now back before exp + tol.
  assert.deepEqual(check(token, { clockToleranceSeconds: 10, clockOffsetSeconds: -5 }).codes, ['token_expired']);
  assert.deepEqual(check(token, { clockToleranceSeconds: 10, clockOffsetSeconds: -12 }).codes, ['token_expired']);
  // A signer clock ahead makes the expiry worse, not better.
  assert.deepEqual(check(token, { clockToleranceSeconds: 10, clockOffsetSeconds: 60 }).codes, ['token_expired']);
});
