import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { createVerifier, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';
import { AUD, ISS, NOW, closeServer, listen, makeKey, memoryLogger, parseMetrics, sampleValue, signToken, startJwksServer, type JwksServer, type TestKey } from './helpers.ts';

let k1: TestKey;
let jwks: JwksServer;
let server: Server;
let base: string;
let verifier: Verifier;
const registry = new Registry();
const logger = memoryLogger();
const tokensSent: string[] = [];
const responseTexts: string[] = [];

async function call(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(base + path, { headers });
  const body = await res.text();
  responseTexts.push(JSON.stringify([...res.headers.entries()]) + body);
  return { status: res.status, headers: res.headers, body };
}

function bearer(token: string): Record<string, string> {
  tokensSent.push(token);
  return { authorization: `Bearer ${token}` };
}

before(async () => {
  k1 = makeKey('k1');
  jwks = await startJwksServer([k1]);
  const env: Expectations = { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], requiredClaims: ['sub', 'exp', 'iat'], clockToleranceSeconds: 10, keys: [{ jwksUri: jwks.url }] };
  verifier = createVerifier(env, { registry, logger, now: () => NOW, debugEndpoint: true, metricsPath: '/metrics', realm: 'orders-api' });
  server = createServer(
    withJwtAuth(
      verifier,
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub, kid: req.auth.kid, env: req.auth.env }));
      },
      {
        route: (req) => (req.url?.startsWith('/orders/') ? '/orders/:id' : req.url === '/admin' ? '/admin' : undefined),
        scopes: (_req, route) => (route === '/admin' ? ['admin:write'] : undefined),
      },
    ),
  );
  base = await listen(server);
});

after(async () => {
  verifier.close();
  await closeServer(server);
  await jwks.close();
});

test('a valid RS256 token reaches the handler with its claims on req.auth', async () => {
  const r = await call('/orders/123', bearer(signToken(k1)));
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { sub: 'user-1', kid: 'k1', env: 'staging' });
});

test('no token: 401 with a realm and no error attribute (RFC 6750 section 3.1)', async () => {
  const r = await call('/orders/1');
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="orders-api"');
  assert.equal(JSON.parse(r.body).error_description, 'header_missing');
  assert.equal(JSON.parse(r.body).error, undefined);
});

test('a malformed Authorization header: 400 invalid_request', async () => {
  const r = await call('/orders/1', { authorization: 'Basic dXNlcjpwYXNz' });
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="orders-api", error="invalid_request", error_description="header_malformed"');
});

test('two Authorization header lines: 400 multiple_tokens', async () => {
  const t = signToken(k1);
  tokensSent.push(t);
  const status = await new Promise<{ status: number; www: string | undefined }>((resolve, reject) => {
    const req = httpRequest(base + '/orders/1', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, www: res.headers['www-authenticate'] }));
    });
    req.setHeader('Authorization', [`Bearer ${t}`, `Bearer ${t}`]);
    req.on('error', reject);
    req.end();
  });
  assert.equal(status.status, 400);
  assert.match(status.www!, /error="invalid_request", error_description="multiple_tokens"/);
});

test('an expired token: 401 invalid_token with the reason code, and one log record with every field', async () => {
  const before = logger.records.length;
  const token = signToken(k1, { iat: NOW - 7200, exp: NOW - 30 });
  const r = await call('/orders/9', { ...bearer(token), 'x-request-id': 'req-42' });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="orders-api", error="invalid_token", error_description="token_expired"');
  assert.equal(logger.records.length, before + 1);
  const rec = logger.records.at(-1)!;
  assert.equal(rec.event, 'jwt_auth_rejected');
  assert.equal(rec.reason, 'token_expired');
  assert.equal(rec.status, 401);
  assert.equal(rec.env, 'staging');
  assert.equal(rec.kid, 'k1');
  assert.equal(rec.kidTrusted, true);
  assert.equal(typeof rec.thumbprint, 'string');
  assert.equal(rec.thumbprint, verifier.keysSnapshot().keys[0]!.thumbprint);
  assert.equal(rec.keySource, `jwks_uri ${jwks.url}`);
  assert.equal(rec.keyVersion, 'k1');
  assert.equal(rec.route, '/orders/:id');
  assert.equal(rec.tokenAgeSeconds, 7200);
  assert.equal(rec.clockOffsetSeconds, null); // plain expiry: no clock evidence
  assert.equal(rec.requestId, 'req-42');
  assert.equal(JSON.parse(r.body).request_id, 'req-42');
});

test('claims that differ keep their own code (issuer_mismatch, audience_mismatch)', async () => {
  assert.match((await call('/orders/1', bearer(signToken(k1, { iss: 'https://auth.other.example.com' })))).headers.get('www-authenticate')!, /error_description="issuer_mismatch"/);
  assert.match((await call('/orders/1', bearer(signToken(k1, { aud: 'web-prod' })))).headers.get('www-authenticate')!, /error_description="audience_mismatch"/);
});

test('a route that requires a scope: 403 insufficient_scope with the scope attribute', async () => {
  const r = await call('/admin', bearer(signToken(k1, { scope: 'orders:read' })));
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="orders-api", error="insufficient_scope", error_description="insufficient_scope", scope="admin:write"');
  const ok = await call('/admin', bearer(signToken(k1, { scope: 'orders:read admin:write' })));
  assert.equal(ok.status, 200);
});

test('an attacker-chosen kid: key_not_found, and the kid label collapses to "unknown"; routes are templates', async () => {
  const stranger = makeKey('attacker-kid-0001');
  const r = await call('/orders/777', bearer(signToken(stranger)));
  assert.equal(r.status, 401);
  assert.match(r.headers.get('www-authenticate')!, /error_description="key_not_found"/);
  const text = (await call('/metrics')).body;
  assert.equal(text.includes('attacker-kid-0001'), false);
  assert.equal(text.includes('/orders/777'), false);
  const samples = parseMetrics(text);
  assert.equal(sampleValue(samples, 'jwt_auth_failures_total', { reason: 'key_not_found', env: 'staging', kid: 'unknown', route: '/orders/:id' }), 1);
  const rec = logger.records.at(-1)!;
  assert.equal(rec.kidTrusted, false);
  assert.equal(rec.keyVersion, null);
});

test('metrics scraped over HTTP from the real registry', async () => {
  const before = parseMetrics((await call('/metrics')).body);
  const v0 = sampleValue(before, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }) ?? 0;
  await call('/orders/5', bearer(signToken(k1)));
  await call('/orders/5', bearer(signToken(k1)));
  await call('/x');
  const r = await call('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /^text\/plain/);
  const s = parseMetrics(r.body);
  assert.equal(sampleValue(s, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }), v0 + 2);
  assert.ok((sampleValue(s, 'jwt_auth_failures_total', { reason: 'header_missing', env: 'staging', kid: 'unknown', route: 'unmatched' }) ?? 0) >= 1);
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'token_expired', env: 'staging', kid: 'k1', route: '/orders/:id' }), 1);
  assert.equal(sampleValue(s, 'jwt_token_age_at_rejection_seconds_count', { reason: 'token_expired', env: 'staging' }), 1);
  assert.equal(sampleValue(s, 'jwt_token_age_at_rejection_seconds_sum', { reason: 'token_expired', env: 'staging' }), 7200);
  assert.equal(sampleValue(s, 'jwt_jwks_refresh_total', { result: 'success' }), 1);
  assert.equal(sampleValue(s, 'jwt_jwks_cache_age_seconds', {}), 0);
  // Every label value of the failure counter comes from a closed set.
  for (const x of s.filter((y) => y.name === 'jwt_auth_failures_total')) {
    assert.ok(['k1', 'unknown'].includes(x.labels.kid!));
    assert.ok(['/orders/:id', '/admin', 'unmatched'].includes(x.labels.route!));
  }
});

test('the debug endpoint lists kids and thumbprints, no key material', async () => {
  const r = await call('/.well-known/jwt-doctor/keys');
  assert.equal(r.status, 200);
  const doc = JSON.parse(r.body);
  assert.equal(doc.schema, 'jwt-doctor/verifier-keys/v1');
  assert.equal(doc.env, 'staging');
  assert.deepEqual(doc.source, { kind: 'jwks_uri', location: jwks.url });
  assert.equal(doc.cacheAgeSeconds, 0);
  assert.equal(doc.ttlSeconds, 600);
  assert.equal(doc.stale, false);
  assert.ok(!Number.isNaN(Date.parse(doc.fetchedAt)));
  assert.deepEqual(doc.keys, [{ kid: 'k1', kty: 'RSA', alg: 'RS256', thumbprint: doc.keys[0].thumbprint }]);
  assert.equal(r.body.includes(String(k1.jwk.n)), false);
});

test('no token ever appears in logs, metrics or responses', async () => {
  const metrics = (await call('/metrics')).body;
  assert.ok(tokensSent.length >= 8);
  for (const t of tokensSent) {
    const sig = t.split('.')[2]!;
    for (const hay of [...logger.lines, metrics, ...responseTexts]) {
      assert.equal(hay.includes(t), false);
      assert.equal(hay.includes(sig), false);
    }
  }
});
