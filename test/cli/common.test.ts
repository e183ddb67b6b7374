/** resolveExpectations: inline flags, alone or overriding a contract environment. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { resolveExpectations, secretSpec, UsageError } from '../../src/cli/common.ts';

const contract = fileURLToPath(new URL('../../examples/auth-contract.yaml', import.meta.url));
const pem = fileURLToPath(new URL('../fixtures/keys/cert-signer.crt.pem', import.meta.url));

test('inline flags build expectations without a contract', () => {
  const r = resolveExpectations({
    iss: ['https://a', 'https://b'],
    aud: ['api'],
    alg: ['ES256'],
    typ: 'at+jwt',
    require: ['sub', 'scope'],
    clockTolerance: '30',
    maxAge: '600',
    key: [pem, 'k.jwks.json'],
    jwksUrl: 'https://x/jwks',
    secret: 'env:S',
    secretEncoding: 'base64',
    now: '2026-11-28T12:05:00Z',
    timeout: '1500',
  });
  const e = r.expectations;
  assert.deepEqual(e.issuer, ['https://a', 'https://b']);
  assert.deepEqual(e.audience, ['api']);
  assert.deepEqual(e.algorithms, ['ES256']);
  assert.equal(e.typ, 'at+jwt');
  assert.deepEqual(e.requiredClaims, ['sub', 'scope']);
  assert.equal(e.clockToleranceSeconds, 30);
  assert.equal(e.maxTokenAgeSeconds, 600);
  assert.deepEqual(e.keys, [{ pem }, { jwk: 'k.jwks.json' }, { jwksUri: 'https://x/jwks' }, { secret: { env: 'S', encoding: 'base64' } }]);
  assert.equal(r.now, Date.parse('2026-11-28T12:05:00Z') / 1000);
  assert.equal(r.timeoutMs, 1500);
  assert.equal(r.contract, undefined);
  assert.equal(resolveExpectations({ now: '1800000000' }).now, 1800000000);
});

test('inline flags override the contract environment field by field', () => {
  const r = resolveExpectations({ contract, env: 'staging', aud: ['web-staging'], clockTolerance: '0' });
  assert.deepEqual(r.expectations.audience, ['web-staging']);
  assert.deepEqual(r.expectations.issuer, ['https://auth.example.com'], 'not overridden');
  assert.equal(r.expectations.clockToleranceSeconds, 0);
  assert.deepEqual(r.expectations.keys, [{ jwksFile: 'keys/staging.jwks.json' }]);
  assert.ok(r.contract);
  const withKey = resolveExpectations({ contract, env: 'staging', secret: 'abc' });
  assert.deepEqual(withKey.expectations.keys, [{ secret: { value: 'abc', encoding: 'utf8' } }], 'inline keys replace the contract keys');
});

test('--secret forms and usage errors', () => {
  assert.deepEqual(secretSpec('@/run/s', 'hex'), { file: '/run/s', encoding: 'hex' });
  assert.deepEqual(secretSpec('env:JWT', 'utf8'), { env: 'JWT', encoding: 'utf8' });
  assert.deepEqual(secretSpec('plain'), { value: 'plain', encoding: 'utf8' });
  for (const flags of [
    { now: 'soon' },
    { clockTolerance: '-1' },
    { maxAge: 'x' },
    { env: 'staging' },
    { contract, env: 'qa' },
    { contract },
  ]) {
    assert.throws(() => resolveExpectations(flags), UsageError, JSON.stringify(flags));
  }
});
