/** Key age and rollover rules; where a key's age comes from (contract, JWK iat, x5c notBefore). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { checkKeyPolicy, keyAgeOf } from '../../src/policy/check_key_policy.ts';

const DAY = 86400;
const NOW = 1_800_000_000;

test('the age comes from the contract first, then the JWK iat, then the x5c notBefore, else unknown', () => {
  const jwks = JSON.parse(readFileSync(new URL('../rotation/fixtures/x5c.jwks.json', import.meta.url), 'utf8')) as {
    keys: Record<string, unknown>[];
  };
  const withCert = jwks.keys[0]!;
  const notBefore = Date.parse(new X509Certificate(Buffer.from((withCert.x5c as string[])[0]!, 'base64')).validFrom) / 1000;
  assert.deepEqual(keyAgeOf({ kid: 'with-cert', jwk: withCert }, {}), {
    kid: 'with-cert',
    publishedAt: notBefore,
    ageSource: 'x5c_not_before',
  });
  assert.deepEqual(keyAgeOf({ kid: 'k', jwk: { iat: 1700000000, x5c: withCert.x5c } }, {}), {
    kid: 'k',
    publishedAt: 1700000000,
    ageSource: 'jwk_iat',
  });
  assert.deepEqual(keyAgeOf({ kid: 'k', jwk: { iat: 1700000000 } }, { keyPublished: { k: 1600000000 } }), {
    kid: 'k',
    publishedAt: 1600000000,
    ageSource: 'contract',
  });
  assert.deepEqual(keyAgeOf({ thumbprint: 'tp', jwk: {} }, { keyPublished: { tp: 5 } }), {
    thumbprint: 'tp',
    publishedAt: 5,
    ageSource: 'contract',
  });
  assert.deepEqual(keyAgeOf({ kid: 'k', jwk: { iat: '2026-01-01', x5c: ['not base64 DER'] } }, {}), { kid: 'k' });
});

test('a key older than keyMaxAgeDays is key_too_old; at the maximum it passes; an unknown age is info only', () => {
  const keys = [{ kid: 'old', publishedAt: NOW - 91 * DAY }, { kid: 'edge', publishedAt: NOW - 90 * DAY }, { kid: 'mystery' }];
  const f = checkKeyPolicy(keys, { keyMaxAgeDays: 90 }, NOW);
  assert.deepEqual(
    f.map((x) => [x.code, x.severity, x.detail?.kid]),
    [
      ['key_too_old', 'error', 'old'],
      ['key_age_unknown', 'info', 'mystery'],
    ],
  );
  assert.deepEqual(checkKeyPolicy(keys, {}, NOW), [], 'no key rule in the policy: nothing to check');
});

test('rollover: the newest key older than the cadence is key_rotation_overdue; a recent key satisfies it', () => {
  const old = [
    { kid: 'a', publishedAt: NOW - 100 * DAY },
    { kid: 'b', publishedAt: NOW - 31 * DAY },
  ];
  const overdue = checkKeyPolicy(old, { keyRolloverDays: 30 }, NOW);
  assert.deepEqual(
    overdue.map((x) => [x.code, x.detail?.kid, x.actual]),
    [['key_rotation_overdue', 'b', 31]],
  );
  assert.deepEqual(checkKeyPolicy([...old, { kid: 'c', publishedAt: NOW - 2 * DAY }], { keyRolloverDays: 30 }, NOW), []);
});
