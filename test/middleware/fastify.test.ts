/**
 * Fastify only: the token from a contract-configured header, route
 * config (scopes, opt-out), route labels from routeOptions.url, the debug
 * endpoint on a configured path, CORS preflights. The cases every adapter
 * shares run in adapters.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { createVerifier, jwtDoctorFastify, type Verifier } from '../../src/middleware/index.ts';
import { AUD, ISS, NOW, claimsAt, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger, parseMetrics, sampleValue, startJwksServer, type JwksServer } from './helpers.ts';

const k1 = jwksKey('k1');
let jwks: JwksServer;
let app: FastifyInstance;
let base: string;
let verifier: Verifier;
const registry = new Registry();
const logger = memoryLogger();

before(async () => {
  jwks = await startJwksServer([k1]);
  verifier = createVerifier(
    {
      name: 'staging',
      issuer: [ISS],
      audience: [AUD],
      algorithms: ['RS256'],
      keys: [{ jwksUri: jwks.url }],
      tokenSource: { header: 'x-auth-token', scheme: null },
    },
    { registry, logger, now: () => NOW, debugEndpoint: '/_debug/keys', metricsPath: '/metrics' },
  );
  app = Fastify();
  await app.register(jwtDoctorFastify, { verifier });
  app.get('/orders/:id', async (req) => ({ sub: req.auth!.claims.sub, kid: req.auth!.kid }));
  app.get('/admin', { config: { jwtDoctor: { scopes: ['admin'] } } }, async () => ({ ok: true }));
  app.options('/orders/:id', async (_req, reply) => reply.code(204).send());
  app.get('/health', { config: { jwtDoctor: false } }, async () => ({ ok: true }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  verifier.close();
  await app.close();
  await jwks.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });
const valid = (extra: Record<string, unknown> = {}) => signToken(k1, claimsAt(NOW, extra));

test('Fastify: token from the contract-configured header, claims on request.auth', async () => {
  const r = await get('/orders/7', { 'x-auth-token': valid() });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { sub: 'user-1', kid: 'k1' });
  // The default Authorization header is not where this environment reads tokens.
  const wrong = await get('/orders/7', { authorization: `Bearer ${valid()}` });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="staging"');
});

test('Fastify: RFC 6750 answers on the configured header, route scopes and opt-out routes', async () => {
  const bad = await get('/orders/7', { 'x-auth-token': valid({ exp: NOW - 1000, iat: NOW - 2000 }) });
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get('www-authenticate'), 'Bearer realm="staging", error="invalid_token", error_description="token_expired"');
  assert.equal(((await bad.json()) as { error_description: string }).error_description, 'token_expired');
  const quoted = await get('/orders/7', { 'x-auth-token': `"${valid()}"` });
  assert.equal(quoted.status, 400);
  const scope = await get('/admin', { 'x-auth-token': valid() });
  assert.equal(scope.status, 403);
  assert.equal((await get('/health')).status, 200);
});

test('Fastify: route label from routeOptions.url; debug endpoint on its configured path', async () => {
  await get('/orders/123456', { 'x-auth-token': signToken(jwksKey('k-evil'), claimsAt(NOW)) });
  const s = parseMetrics(await (await get('/metrics')).text());
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'key_not_found', route: '/orders/:id', kid: 'unknown' }), 1);
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'insufficient_scope', route: '/admin', kid: 'k1' }), 1);
  assert.equal(sampleValue(s, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }), 1);
  const doc = (await (await get('/_debug/keys')).json()) as { schema: string; source: { kind: string } };
  assert.equal(doc.schema, 'jwt-doctor/verifier-keys/v1');
  assert.equal(doc.source.kind, 'jwks_uri');
  assert.equal(logger.records.find((r) => r.reason === 'key_not_found')!.route, '/orders/:id');
});

test('Fastify: a CORS preflight passes through unverified', async () => {
  const pre = await fetch(base + '/orders/1', {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
  });
  assert.equal(pre.status, 204);
  assert.equal((await fetch(base + '/orders/1', { method: 'OPTIONS' })).status, 401);
});
