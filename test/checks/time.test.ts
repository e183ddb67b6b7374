import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTimesInto, isoSecond } from '../../src/checks/time.ts';
import type { Finding } from '../../src/reasons.ts';
import type { Expectations } from '../../src/expectations.ts';
import type { JsonObject } from '../../src/token/decode.ts';
import { NOW, codes } from '../helpers/index.ts';

function check(payload: JsonObject, expectations: Expectations = {}, now = NOW) {
  const findings: Finding[] = [];
  const clock = checkTimesInto(findings, payload, expectations, now);
  return { findings, clock, codes: codes(findings), find: (code: string) => findings.find((f) => f.code === code) };
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

test('exp at the tolerance boundary: valid one second before exp + tolerance, expired at it', () => {
  assert.deepEqual(check({ exp: NOW - 9 }, { clockToleranceSeconds: 10 }).codes, []);
  assert.deepEqual(check({ exp: NOW - 10 }, { clockToleranceSeconds: 10 }).codes, ['token_expired']);
  const f = check({ exp: NOW - 10 }, { clockToleranceSeconds: 10 }).find('token_expired')!;
  assert.deepEqual([f.expected, f.actual, f.detail], ['now < exp + 10s', NOW - 10, { secondsPastExp: 10, toleranceSeconds: 10 }]);
});

test('nbf beyond the skew window is token_not_yet_valid alone; within the tolerance nothing', () => {
  const far = check({ nbf: NOW + 4000 }, { clockToleranceSeconds: 5 });
  assert.deepEqual(far.codes, ['token_not_yet_valid']);
  assert.deepEqual(far.find('token_not_yet_valid')!.detail, { secondsUntilValid: 4000, toleranceSeconds: 5 });
  assert.deepEqual(check({ nbf: NOW + 5 }, { clockToleranceSeconds: 5 }).codes, []);
  assert.deepEqual(check({ nbf: NOW + 400 }, { clockToleranceSeconds: 5, skewWindowSeconds: 600 }).codes, [
    'token_not_yet_valid',
    'clock_skew_suspected',
  ]);
});

test('max token age: token_too_old past max + tolerance, missing_claim without iat', () => {
  const old = check({ iat: NOW - 3700, exp: NOW + 60 }, { clockToleranceSeconds: 10, maxTokenAgeSeconds: 3600 });
  assert.deepEqual(old.codes, ['token_too_old']);
  const f = old.find('token_too_old')!;
  assert.deepEqual(
    [f.claim, f.expected, f.actual, f.detail],
    ['iat', 3600, 3700, { tokenAgeSeconds: 3700, maxTokenAgeSeconds: 3600, secondsOver: 100, toleranceSeconds: 10 }],
  );
  assert.deepEqual(check({ iat: NOW - 3610 }, { clockToleranceSeconds: 10, maxTokenAgeSeconds: 3600 }).codes, []);
  const noIat = check({ exp: NOW + 60 }, { maxTokenAgeSeconds: 3600 });
  assert.deepEqual(noIat.codes, ['missing_claim']);
  assert.deepEqual(noIat.find('missing_claim')!.detail, { because: 'maxTokenAgeSeconds' });
});

test('the clock report: now, ISO second, tolerance (default when unset), age, lifetime, time to exp and nbf', () => {
  const r = check({ iat: NOW - 100, nbf: NOW - 100, exp: NOW + 800 }, { clockToleranceSeconds: 7 });
  assert.deepEqual(r.clock, {
    now: NOW,
    nowIso: '2027-01-15T08:00:00Z',
    toleranceSeconds: 7,
    tokenAgeSeconds: 100,
    expiresInSeconds: 800,
    lifetimeSeconds: 900,
    notBeforeInSeconds: -100,
  });
  // Non-numeric times are the decoder's finding, not a time check.
  const typed = check({ iat: '1', exp: 'soon' });
  assert.deepEqual(typed.codes, []);
  assert.equal(typed.clock.tokenAgeSeconds, undefined);
  assert.equal(typeof typed.clock.toleranceSeconds, 'number');
});

test('isoSecond: ISO 8601 to the second, fractions dropped, memoized across calls', () => {
  assert.equal(isoSecond(NOW), '2027-01-15T08:00:00Z');
  assert.equal(isoSecond(NOW + 0.9), '2027-01-15T08:00:00Z');
  assert.equal(isoSecond(NOW + 61), '2027-01-15T08:01:01Z');
  assert.equal(isoSecond(NOW), '2027-01-15T08:00:00Z');
});
