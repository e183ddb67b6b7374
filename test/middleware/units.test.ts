import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSign } from 'node:crypto';
import { Registry } from 'prom-client';
import { ContractError, loadContract } from '../../src/contract/load.ts';
import { createSignerMetrics, createVerifier } from '../../src/middleware/index.ts';
import { challengeFor, formatWwwAuthenticate } from '../../src/middleware/rfc6750.ts';
import { extractToken } from '../../src/middleware/extract_token.ts';
import { DEFAULT_TOKEN_SOURCE, parseTokenSource, parseVerifierSection } from '../../src/contract/sections.ts';
import { REASONS, type ReasonCode } from '../../src/reasons.ts';
import { memoryLogger, parseMetrics, sampleValue } from './helpers.ts';
import { NOW } from '../helpers/index.ts';

const T = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
const T2 = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiIn0.c2ln';

test('WWW-Authenticate follows the registry; header_missing has no error attribute', () => {
  assert.equal(formatWwwAuthenticate('api', challengeFor('header_missing')), 'Bearer realm="api"');
  assert.deepEqual(challengeFor('header_malformed'), { status: 400, error: 'invalid_request', description: 'header_malformed' });
  assert.deepEqual(challengeFor('signature_invalid'), { status: 401, error: 'invalid_token', description: 'signature_invalid' });
  assert.deepEqual(challengeFor('insufficient_scope', ['a', 'b']), {
    status: 403,
    error: 'insufficient_scope',
    description: 'insufficient_scope',
    scope: ['a', 'b'],
  });
  assert.equal(
    formatWwwAuthenticate('my "realm"\r\nx', challengeFor('insufficient_scope', ['a', 'b'])),
    'Bearer realm="my \\"realm\\"x", error="insufficient_scope", error_description="insufficient_scope", scope="a b"',
  );
  for (const code of Object.keys(REASONS) as ReasonCode[]) {
    const c = challengeFor(code);
    assert.equal(c.status, REASONS[code].status);
    // A verifier-side outage (5xx: revocation_unavailable) says nothing about the token: no RFC 6750 error,
    // so a client does not throw away a good token.
    if (REASONS[code].status >= 500) assert.equal(c.error, undefined, code);
    else if (code !== 'header_missing') assert.ok(['invalid_request', 'invalid_token', 'insufficient_scope'].includes(c.error!));
  }
  assert.equal(
    formatWwwAuthenticate('api', challengeFor('revocation_unavailable')),
    'Bearer realm="api", error_description="revocation_unavailable"',
  );
});

test('token extraction: Authorization Bearer, strict', () => {
  const x = (authorization: string | undefined, rawHeaders?: string[]) =>
    extractToken(
      { headers: authorization === undefined ? {} : { authorization }, ...(rawHeaders ? { rawHeaders } : {}) },
      DEFAULT_TOKEN_SOURCE,
    );
  assert.deepEqual(x(`Bearer ${T}`), { ok: true, token: T });
  assert.deepEqual(x(`bearer ${T}`), { ok: true, token: T });
  assert.equal((x(undefined) as { code: string }).code, 'header_missing');
  assert.equal((x('') as { code: string }).code, 'header_missing');
  const bad = (v: string) => {
    const r = x(v);
    assert.ok(!r.ok, v);
    return { code: r.code, problem: r.detail.problem };
  };
  assert.deepEqual([bad(T).code, bad(T).problem], ['header_malformed', 'scheme_missing']);
  assert.deepEqual([bad('Basic abc').code, bad('Basic abc').problem], ['header_malformed', 'scheme']);
  assert.deepEqual([bad('Bearer').code, bad('Bearer').problem], ['header_malformed', 'token_missing']);
  assert.deepEqual([bad(`Bearer Bearer ${T}`).code, bad(`Bearer Bearer ${T}`).problem], ['header_malformed', 'doubled_scheme']);
  assert.deepEqual([bad(`Bearer "${T}"`).code, bad(`Bearer "${T}"`).problem], ['header_malformed', 'quotes']);
  assert.equal(bad(`Bearer ${T}, Bearer ${T2}`).code, 'multiple_tokens');
  assert.equal(bad(`Bearer ${T} ${T2}`).code, 'multiple_tokens');
  assert.equal(
    (x(`Bearer ${T}`, ['Authorization', `Bearer ${T}`, 'authorization', `Bearer ${T2}`]) as { code: string }).code,
    'multiple_tokens',
  );
});

test('token extraction: bare header and cookie', () => {
  const src = { header: 'x-auth-token', scheme: null };
  assert.deepEqual(extractToken({ headers: { 'x-auth-token': ` ${T} ` } }, src), { ok: true, token: T });
  assert.equal((extractToken({ headers: { 'x-auth-token': `Bearer ${T}` } }, src) as { code: string }).code, 'header_malformed');
  const c = { cookie: 'session' };
  assert.deepEqual(extractToken({ headers: { cookie: `theme=dark; session=${T}; lang=en` } }, c), { ok: true, token: T });
  assert.deepEqual(extractToken({ headers: { cookie: `session="${T}"` } }, c), { ok: true, token: T });
  assert.equal((extractToken({ headers: { cookie: 'theme=dark' } }, c) as { code: string }).code, 'header_missing');
  assert.equal((extractToken({ headers: { cookie: `session=${T}; session=${T2}` } }, c) as { code: string }).code, 'multiple_tokens');
});

test('contract sections tokenSource and verifier: validated with field paths', () => {
  assert.deepEqual(parseTokenSource(undefined), DEFAULT_TOKEN_SOURCE);
  assert.deepEqual(parseTokenSource({ header: 'X-Auth-Token', scheme: null }), { header: 'x-auth-token', scheme: null });
  assert.deepEqual(parseTokenSource({ header: 'authorization' }), { header: 'authorization', scheme: 'Bearer' });
  assert.deepEqual(parseTokenSource({ cookie: 'session' }), { cookie: 'session' });
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ContractError);
      return e.path;
    }
    assert.fail('expected a ContractError');
  };
  assert.equal(
    err(() => parseTokenSource({ cookie: 'a b' }, 'c.yaml', 'staging')),
    'environments.staging.tokenSource.cookie',
  );
  assert.equal(
    err(() => parseTokenSource({ header: 'x', scheme: 5 }, 'c.yaml', 'staging')),
    'environments.staging.tokenSource.scheme',
  );
  assert.equal(
    err(() => parseTokenSource({ headr: 'x' }, 'c.yaml', 'staging')),
    'environments.staging.tokenSource.headr',
  );
  assert.deepEqual(
    parseVerifierSection({
      debugUrl: 'http://127.0.0.1:3000/.well-known/jwt-doctor/keys',
      metricsUrl: 'http://127.0.0.1:3000/metrics',
      cacheTtlSeconds: 600,
    }).cacheTtlSeconds,
    600,
  );
  assert.equal(
    err(() => parseVerifierSection({ cacheTtlSeconds: -1 }, 'c.yaml', 'prod')),
    'environments.prod.verifier.cacheTtlSeconds',
  );
  assert.equal(
    err(() => parseVerifierSection({ debugUrl: 'ftp://x' }, 'c.yaml', 'prod')),
    'environments.prod.verifier.debugUrl',
  );
});

test('a verifier from the bundled contract (static JWKS file) accepts a staging-signed token', async () => {
  const contract = loadContract(new URL('../../examples/auth-contract.yaml', import.meta.url).pathname);
  const env = { ...contract.environments.staging!, issuer: ['https://auth.staging.example.com'], audience: ['web-staging'] };
  const registry = new Registry();
  const logger = memoryLogger();
  const verifier = createVerifier(env, { contract, registry, logger, now: () => new Date(NOW * 1000) });
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'staging-2026-11' })}.${b64({ iss: 'https://auth.staging.example.com', aud: 'web-staging', sub: 'u1', iat: NOW - 5, exp: NOW + 600 })}`;
  const key = readFileSync(new URL('../../examples/keys/staging-signer.private.pem', import.meta.url));
  const token = `${input}.${createSign('RSA-SHA256').update(input).sign(key, 'base64url')}`;
  const r = await verifier.verify({ headers: { authorization: `Bearer ${token}` }, route: '/v1/me' });
  assert.equal(r.ok, true);
  const snap = verifier.keysSnapshot();
  assert.deepEqual([snap.source.kind, snap.ttlSeconds, snap.stale], ['jwks_file', null, false]);
  assert.equal(
    sampleValue(parseMetrics(await registry.metrics()), 'jwt_auth_verified_total', { env: 'staging', kid: 'staging-2026-11' }),
    1,
  );
  verifier.close();
  // The same token against the as-shipped staging environment (copied from prod): the specific claim code.
  const shipped = createVerifier(contract.environments.staging!, { contract, registry: false, logger, now: () => NOW });
  const s = await shipped.verify({ headers: { authorization: `Bearer ${token}` } });
  assert.equal(!s.ok && s.reason, 'issuer_mismatch');
});

test('a contract with a bad tokenSource fails at creation with the field path', () => {
  const contract = loadContract({
    environments: { staging: { issuer: 'https://a', keys: [{ jwksFile: 'x.json' }], tokenSource: { cookie: '' } } },
  });
  assert.throws(
    () => createVerifier(contract.environments.staging!, { contract, registry: false, logger: false }),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.staging.tokenSource.cookie',
  );
});

test('signer metrics: jwt_tokens_issued_total{kid}, bounded by the signer kids', async () => {
  const registry = new Registry();
  const m = createSignerMetrics({ registry, kids: ['2026-11', '2026-12'] });
  m.issued('2026-12');
  m.issued('2026-12');
  m.issued('2026-11');
  m.issued('whatever');
  const s = parseMetrics(await registry.metrics());
  assert.equal(sampleValue(s, 'jwt_tokens_issued_total', { kid: '2026-12' }), 2);
  assert.equal(sampleValue(s, 'jwt_tokens_issued_total', { kid: '2026-11' }), 1);
  assert.equal(sampleValue(s, 'jwt_tokens_issued_total', { kid: 'unknown' }), 1);
  // A second helper on the same registry reuses the series.
  createSignerMetrics({ registry }).issued('2026-12');
  assert.equal(sampleValue(parseMetrics(await registry.metrics()), 'jwt_tokens_issued_total', { kid: '2026-12' }), 3);
});
