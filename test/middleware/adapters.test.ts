/**
 * The three middleware adapters (src/middleware/node_http.ts, express.ts,
 * fastify.ts) answer the same way: one suite of cases, run against each
 * through a small harness that mounts the same four routes. What only one
 * adapter does (Express routers, Fastify's route config and token source,
 * CORS preflights, application errors) stays in its own file.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import express, { type Request, type Response } from 'express';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import {
  createVerifier,
  jwtDoctorExpress,
  jwtDoctorFastify,
  withJwtAuth,
  type AuthContext,
  type Rejection,
  type Verifier,
} from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, listen, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger, parseMetrics, sampleValue, startJwksServer, type JwksServer } from './helpers.ts';

/**
 * The app every harness builds: GET /orders/:id (any valid token), /admin
 * (scope admin:write), /feed (credentialsRequired false), /problem (an
 * onRejected that renders application/problem+json). Each answers
 * `answer(auth)`; the verifier's debug and metrics paths are served too.
 */
interface Adapter {
  name: string;
  start(verifier: Verifier): Promise<{ base: string; close(): Promise<void> }>;
}

const answer = (auth: AuthContext | null | undefined) => ({
  sub: auth?.claims.sub ?? null,
  kid: auth?.kid ?? null,
  env: auth?.env ?? null,
});

/** What the /problem route's onRejected sends. */
function problem(rejection: Rejection): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: rejection.status,
    headers: { 'www-authenticate': rejection.headers['www-authenticate']!, 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: `https://errors.example.com/${rejection.reason}`,
      status: rejection.status,
      requestId: rejection.requestId,
    }),
  };
}

const ROUTES = ['/admin', '/feed', '/problem'];

const nodeHttp: Adapter = {
  name: 'node:http',
  async start(verifier) {
    const route = (req: { url?: string | undefined }) =>
      req.url?.startsWith('/orders/') ? '/orders/:id' : ROUTES.find((r) => r === req.url);
    const send = (req: { auth: AuthContext | null }, res: import('node:http').ServerResponse) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(req.auth)));
    const strict = withJwtAuth(verifier, send, { route, scopes: (_req, r) => (r === '/admin' ? ['admin:write'] : undefined) });
    const optional = withJwtAuth(verifier, send, { route, credentialsRequired: false });
    const rendered = withJwtAuth(verifier, send, {
      route,
      onRejected: (rejection, _req, res) => {
        const p = problem(rejection);
        res.writeHead(p.status, p.headers).end(p.body);
      },
    });
    const server = createServer((req, res) => (req.url === '/feed' ? optional : req.url === '/problem' ? rendered : strict)(req, res));
    return { base: await listen(server), close: () => closeServer(server) };
  },
};

const expressAdapter: Adapter = {
  name: 'Express',
  async start(verifier) {
    const app = express();
    const send = (req: Request, res: Response) => void res.json(answer(req.auth));
    const auth = jwtDoctorExpress(verifier);
    app.get('/orders/:id', auth, send);
    app.get('/admin', jwtDoctorExpress(verifier, { scopes: ['admin:write'] }), send);
    app.get('/feed', jwtDoctorExpress(verifier, { credentialsRequired: false }), send);
    const onRejected = (rejection: Rejection, _req: Request, res: Response) => {
      const p = problem(rejection);
      res.status(p.status).set(p.headers).send(p.body);
    };
    app.get('/problem', jwtDoctorExpress(verifier, { onRejected }), send);
    app.use(auth); // the debug and metrics paths
    const server = createServer(app);
    return { base: await listen(server), close: () => closeServer(server) };
  },
};

const fastifyAdapter: Adapter = {
  name: 'Fastify',
  async start(verifier) {
    // x-request-id as request.id, as the other adapters read it (Fastify 5 generates ids by default).
    const app = Fastify({ requestIdHeader: 'x-request-id' });
    await app.register(jwtDoctorFastify, {
      verifier,
      // Fastify's onRejected is the plugin's: render /problem, let every other route fall back to the RFC 6750 answer.
      onRejected: (rejection, request, reply) => {
        if (request.url !== '/problem') return undefined;
        const p = problem(rejection);
        return reply.code(p.status).headers(p.headers).send(p.body);
      },
    });
    const send = async (req: { auth: AuthContext | null }) => answer(req.auth);
    app.get('/orders/:id', send);
    app.get('/admin', { config: { jwtDoctor: { scopes: ['admin:write'] } } }, send);
    app.get('/feed', { config: { jwtDoctor: { credentialsRequired: false } } }, send);
    app.get('/problem', send);
    return { base: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
  },
};

for (const adapter of [nodeHttp, expressAdapter, fastifyAdapter]) {
  describe(adapter.name, () => {
    const k1 = jwksKey('k1');
    const registry = new Registry();
    const logger = memoryLogger();
    const tokensSent: string[] = [];
    const responseTexts: string[] = [];
    let jwks: JwksServer;
    let verifier: Verifier;
    let app: { base: string; close(): Promise<void> };

    before(async () => {
      jwks = await startJwksServer([k1]);
      const env: Expectations = {
        name: 'staging',
        issuer: [ISS],
        audience: [AUD],
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp', 'iat'],
        clockToleranceSeconds: 10,
        keys: [{ jwksUri: jwks.url }],
      };
      verifier = createVerifier(env, {
        registry,
        logger,
        now: () => NOW,
        debugEndpoint: true,
        metricsPath: '/metrics',
        realm: 'orders-api',
      });
      app = await adapter.start(verifier);
    });

    after(async () => {
      verifier.close();
      await app.close();
      await jwks.close();
    });

    async function call(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: string }> {
      const res = await fetch(app.base + path, { headers });
      const body = await res.text();
      responseTexts.push(JSON.stringify([...res.headers.entries()]) + body);
      return { status: res.status, headers: res.headers, body };
    }
    function bearer(token: string): Record<string, string> {
      tokensSent.push(token);
      return { authorization: `Bearer ${token}` };
    }
    const valid = (extra: Record<string, unknown> = {}) => signToken(k1, claimsAt(NOW, extra));
    const expired = () => valid({ iat: NOW - 7200, exp: NOW - 30 });
    const reasonOf = async (path: string, token: string) =>
      /error_description="([a-z_]+)"/.exec((await call(path, bearer(token))).headers.get('www-authenticate') ?? '')?.[1];

    test('a valid RS256 token reaches the handler with its claims on auth', async () => {
      const r = await call('/orders/123', bearer(valid()));
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
      assert.equal(
        r.headers.get('www-authenticate'),
        'Bearer realm="orders-api", error="invalid_request", error_description="header_malformed"',
      );
    });

    test('two Authorization header lines: 400 multiple_tokens', async () => {
      const t = valid();
      tokensSent.push(t);
      const status = await new Promise<{ status: number; www: string | undefined }>((resolve, reject) => {
        const req = httpRequest(app.base + '/orders/1', (res) => {
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
      const r = await call('/orders/9', { ...bearer(expired()), 'x-request-id': 'req-42' });
      assert.equal(r.status, 401);
      assert.equal(
        r.headers.get('www-authenticate'),
        'Bearer realm="orders-api", error="invalid_token", error_description="token_expired"',
      );
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

    test('claims that differ and a bad signature keep their own code (issuer_mismatch, audience_mismatch, signature_invalid)', async () => {
      assert.equal(await reasonOf('/orders/1', valid({ iss: 'https://auth.other.example.com' })), 'issuer_mismatch');
      assert.equal(await reasonOf('/orders/1', valid({ aud: 'web-prod' })), 'audience_mismatch');
      const forger = jwksKey('k1');
      const forged = await call('/orders/1', bearer(signToken(forger, claimsAt(NOW))));
      assert.equal(forged.status, 401);
      assert.equal(
        forged.headers.get('www-authenticate'),
        'Bearer realm="orders-api", error="invalid_token", error_description="signature_invalid"',
      );
    });

    test('a route that requires a scope: 403 insufficient_scope with the scope attribute; scope or scp grants it', async () => {
      const r = await call('/admin', bearer(valid({ scope: 'orders:read' })));
      assert.equal(r.status, 403);
      assert.equal(
        r.headers.get('www-authenticate'),
        'Bearer realm="orders-api", error="insufficient_scope", error_description="insufficient_scope", scope="admin:write"',
      );
      assert.equal((await call('/admin', bearer(valid({ scope: 'orders:read admin:write' })))).status, 200);
      assert.equal((await call('/admin', bearer(valid({ scp: ['orders:read', 'admin:write'] })))).status, 200);
    });

    test('an attacker-chosen kid: key_not_found, and the kid label collapses to "unknown"; routes are templates', async () => {
      const stranger = jwksKey('attacker-kid-0001');
      const r = await call('/orders/777', bearer(signToken(stranger, claimsAt(NOW))));
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate')!, /error_description="key_not_found"/);
      const text = (await call('/metrics')).body;
      assert.equal(text.includes('attacker-kid-0001'), false);
      assert.equal(text.includes('/orders/777'), false);
      const samples = parseMetrics(text);
      assert.equal(
        sampleValue(samples, 'jwt_auth_failures_total', { reason: 'key_not_found', env: 'staging', kid: 'unknown', route: '/orders/:id' }),
        1,
      );
      const rec = logger.records.at(-1)!;
      assert.equal(rec.kidTrusted, false);
      assert.equal(rec.keyVersion, null);
    });

    // Runs after the expired case above and before the cases below that send expired tokens again.
    test('metrics scraped over HTTP from the real registry', async () => {
      const before = parseMetrics((await call('/metrics')).body);
      const v0 = sampleValue(before, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }) ?? 0;
      await call('/orders/5', bearer(valid()));
      await call('/orders/5', bearer(valid()));
      const r = await call('/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /^text\/plain/);
      const s = parseMetrics(r.body);
      assert.equal(sampleValue(s, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }), v0 + 2);
      assert.ok(
        (sampleValue(s, 'jwt_auth_failures_total', { reason: 'header_missing', env: 'staging', kid: 'unknown', route: '/orders/:id' }) ??
          0) >= 1,
      );
      assert.equal(
        sampleValue(s, 'jwt_auth_failures_total', { reason: 'token_expired', env: 'staging', kid: 'k1', route: '/orders/:id' }),
        1,
      );
      assert.equal(
        sampleValue(s, 'jwt_auth_failures_total', { reason: 'insufficient_scope', env: 'staging', kid: 'k1', route: '/admin' }),
        1,
      );
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
      assert.equal(r.body.includes(String(k1.publicJwk.n)), false);
    });

    test('credentialsRequired false lets a request without a token through; a bad token is still rejected', async () => {
      const before = logger.records.length;
      const anon = await call('/feed');
      assert.equal(anon.status, 200);
      assert.deepEqual(JSON.parse(anon.body), { sub: null, kid: null, env: null });
      assert.equal(logger.records.length, before, 'no rejection logged for an absent token');
      assert.deepEqual(JSON.parse((await call('/feed', bearer(valid()))).body), { sub: 'user-1', kid: 'k1', env: 'staging' });
      assert.equal((await call('/feed', bearer(expired()))).status, 401);
      assert.equal((await call('/feed', { authorization: 'Basic abc' })).status, 400);
    });

    test("onRejected renders the application's error response, keeping WWW-Authenticate and the request id", async () => {
      const r = await call('/problem', { ...bearer(expired()), 'x-request-id': 'req-h' });
      assert.equal(r.status, 401);
      // Express and Fastify append a charset to the type the hook set.
      assert.match(r.headers.get('content-type')!, /^application\/problem\+json(;|$)/);
      assert.match(r.headers.get('www-authenticate')!, /error_description="token_expired"/);
      assert.deepEqual(JSON.parse(r.body), { type: 'https://errors.example.com/token_expired', status: 401, requestId: 'req-h' });
      const missing = await call('/problem');
      assert.equal(missing.status, 401);
      assert.equal(JSON.parse(missing.body).type, 'https://errors.example.com/header_missing');
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
  });
}
