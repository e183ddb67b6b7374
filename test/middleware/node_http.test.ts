/**
 * node:http only: what withJwtAuth does that the other adapters do not.
 * The cases every adapter shares (RFC 6750 answers, log fields, metrics,
 * debug endpoint, optional auth, onRejected) run in adapters.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { createVerifier, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, listen, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger, parseMetrics, sampleValue } from './helpers.ts';

const k1 = jwksKey('k1');
let server: Server;
let base: string;
let verifier: Verifier;
const logger = memoryLogger();

before(async () => {
  verifier = createVerifier(
    { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk: k1.publicJwk }] },
    { registry: new Registry(), logger, now: () => NOW, metricsPath: '/metrics' },
  );
  // The route function knows /orders/:id only: every other path is "unmatched".
  const handler = withJwtAuth(verifier, (req, res) => void res.end(String(req.auth.claims.sub)), {
    route: (req) => (req.url?.startsWith('/orders/') ? '/orders/:id' : undefined),
  });
  server = createServer(handler);
  base = await listen(server);
});

after(async () => {
  verifier.close();
  await closeServer(server);
});

test('node:http: the route function names the template; a path it does not know is labelled "unmatched", never the raw path', async () => {
  assert.equal((await fetch(`${base}/orders/31337`, { headers: { authorization: `Bearer ${signToken(k1, claimsAt(NOW))}` } })).status, 200);
  assert.equal((await fetch(`${base}/x/31337`)).status, 401);
  assert.equal((await fetch(`${base}/orders/31337`)).status, 401);
  const text = await (await fetch(`${base}/metrics`)).text();
  assert.equal(text.includes('31337'), false);
  const s = parseMetrics(text);
  assert.equal(
    sampleValue(s, 'jwt_auth_failures_total', { reason: 'header_missing', env: 'staging', kid: 'unknown', route: 'unmatched' }),
    1,
  );
  assert.equal(
    sampleValue(s, 'jwt_auth_failures_total', { reason: 'header_missing', env: 'staging', kid: 'unknown', route: '/orders/:id' }),
    1,
  );
  assert.equal(logger.records.at(-2)!.route, 'unmatched');
  // No realm option: the realm is the environment's name.
  assert.equal((await fetch(`${base}/x`)).headers.get('www-authenticate'), 'Bearer realm="staging"');
});
