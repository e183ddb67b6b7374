/**
 * Express only: route templates from Express's router (with a mounted
 * router's prefix), the middleware mounted globally, the debug endpoint
 * through app.use, CORS preflights. The cases every adapter shares run in
 * adapters.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { Registry } from 'prom-client';
import { createVerifier, jwtDoctorExpress, type Verifier } from '../../src/middleware/index.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, listen, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger, parseMetrics, sampleValue, startJwksServer, type JwksServer } from './helpers.ts';

const k1 = jwksKey('k1');
let jwks: JwksServer;
let server: Server;
let base: string;
let verifier: Verifier;
const registry = new Registry();
const logger = memoryLogger();

before(async () => {
  jwks = await startJwksServer([k1]);
  verifier = createVerifier(
    { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwksUri: jwks.url }] },
    { registry, logger, now: () => NOW, debugEndpoint: true, metricsPath: '/metrics' },
  );
  const app = express();
  const auth = jwtDoctorExpress(verifier);
  app.get('/orders/:id', auth, (req, res) => {
    res.json({ sub: req.auth!.claims.sub, kid: req.auth!.kid, id: req.params.id });
  });
  app.options('/orders/:id', auth, (_req, res) => {
    res.sendStatus(204);
  });
  const v2 = express.Router();
  v2.get('/items/:itemId', auth, (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/v2', v2);
  // Mounted globally (before routing): still verifies, route label "unmatched"; also serves the debug and metrics paths.
  const scoped = express.Router();
  scoped.use(auth);
  scoped.get('/whoami', (req, res) => {
    res.json({ sub: req.auth!.claims.sub });
  });
  app.use('/global', scoped);
  app.use(auth);
  server = createServer(app);
  base = await listen(server);
});

after(async () => {
  verifier.close();
  await closeServer(server);
  await jwks.close();
});

const get = (path: string, token?: string, method = 'GET') =>
  fetch(base + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
const valid = (extra: Record<string, unknown> = {}) => signToken(k1, claimsAt(NOW, extra));

test('Express: verified claims on req.auth, on a route and under a globally mounted router', async () => {
  const r = await get('/orders/42', valid());
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { sub: 'user-1', kid: 'k1', id: '42' });
  const g = await get('/global/whoami', valid());
  assert.equal(g.status, 200);
  assert.deepEqual(await g.json(), { sub: 'user-1' });
  // No realm option: the realm is the environment's name.
  assert.equal((await get('/orders/42')).headers.get('www-authenticate'), 'Bearer realm="staging"');
});

test('Express: the route label is the template (with the router prefix), never the raw path', async () => {
  await get('/v2/items/abc-123', valid({ iss: 'https://evil.example.com' }));
  await get('/orders/98765', valid({ aud: 'someone-else' }));
  await get('/global/whoami');
  const s = parseMetrics(await (await get('/metrics')).text());
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'issuer_mismatch', route: '/v2/items/:itemId', kid: 'k1' }), 1);
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'audience_mismatch', route: '/orders/:id', kid: 'k1' }), 1);
  assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'header_missing', route: 'unmatched' }), 1);
  for (const x of s) assert.ok(!Object.values(x.labels).some((v) => v.includes('98765') || v.includes('abc-123')));
  const rec = logger.records.find((r) => r.reason === 'issuer_mismatch')!;
  assert.equal(rec.route, '/v2/items/:itemId');
});

test('Express: the debug endpoint through app.use', async () => {
  const r = await get('/.well-known/jwt-doctor/keys');
  assert.equal(r.status, 200);
  const doc = (await r.json()) as { schema: string; keys: { kid: string }[] };
  assert.equal(doc.schema, 'jwt-doctor/verifier-keys/v1');
  assert.deepEqual(
    doc.keys.map((k) => k.kid),
    ['k1'],
  );
});

test('Express: a CORS preflight passes through unverified (it never carries credentials)', async () => {
  const pre = await fetch(base + '/orders/1', {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
  });
  assert.equal(pre.status, 204);
  const plain = await fetch(base + '/orders/1', { method: 'OPTIONS' });
  assert.equal(plain.status, 401);
});
