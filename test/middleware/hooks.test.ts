import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import express, { type NextFunction, type Request, type Response } from 'express';
import Fastify from 'fastify';
import { createVerifier, jwtDoctorExpress, jwtDoctorFastify, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, listen, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger } from './helpers.ts';

// Application errors in each adapter: a throwing handler or onRejected hook, Express's next(err), Fastify's
// error handler and request.log. Optional auth and a rendering onRejected are shared cases (adapters.test.ts).
const k1 = jwksKey('k1');
let verifier: Verifier;
const logger = memoryLogger();

before(() => {
  verifier = createVerifier(
    { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk: k1.publicJwk }] },
    { registry: false, logger, now: () => NOW },
  );
});

after(() => verifier.close());

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const valid = () => signToken(k1, claimsAt(NOW));
const expired = () => signToken(k1, claimsAt(NOW, { iat: NOW - 2000, exp: NOW - 1000 }));

async function withServer(server: Server, run: (base: string) => Promise<void>): Promise<void> {
  const base = await listen(server);
  try {
    await run(base);
  } finally {
    await closeServer(server);
  }
}

test('node:http: a throwing handler is logged with the request id and answered 500; a bad token never is', async () => {
  const server = createServer(
    withJwtAuth(
      verifier,
      async (req) => {
        if (req.url === '/boom') throw new Error('database unavailable');
      },
      { route: () => '/boom' },
    ),
  );
  await withServer(server, async (base) => {
    const before = logger.records.length;
    const r = await fetch(`${base}/boom`, { headers: { ...bearer(valid()), 'x-request-id': 'req-500' } });
    assert.equal(r.status, 500);
    assert.deepEqual(await r.json(), { error: 'internal_error', request_id: 'req-500' });
    const rec = logger.records.slice(before).find((x) => x.event === 'jwt_auth_handler_error')!;
    assert.equal(rec.requestId, 'req-500');
    assert.equal(rec.route, '/boom');
    assert.equal((rec.err as { message: string }).message, 'database unavailable');
    // The token itself is never a 500.
    const bad = await fetch(`${base}/boom`, { headers: bearer(expired()) });
    assert.equal(bad.status, 401);
  });
});

test('node:http: an onRejected hook that throws is a logged 500 with the request id', async () => {
  const server = createServer(
    withJwtAuth(verifier, (_req, res) => res.end('ok'), {
      onRejected: (rejection, req, res) => {
        if (req.url === '/hook-fails') throw new Error('renderer broke');
        res.writeHead(rejection.status, {
          'www-authenticate': rejection.headers['www-authenticate']!,
          'content-type': 'application/problem+json',
        });
        res.end(
          JSON.stringify({
            type: `https://errors.example.com/${rejection.reason}`,
            status: rejection.status,
            requestId: rejection.requestId,
          }),
        );
      },
    }),
  );
  await withServer(server, async (base) => {
    // The hook renders other rejections (adapters.test.ts); here it throws.
    assert.equal((await fetch(`${base}/x`, { headers: bearer(expired()) })).status, 401);
    const before = logger.records.length;
    const broken = await fetch(`${base}/hook-fails`, { headers: { 'x-request-id': 'req-hf' } });
    assert.equal(broken.status, 500);
    assert.equal(logger.records.slice(before).find((x) => x.event === 'jwt_auth_handler_error')!.requestId, 'req-hf');
  });
});

test('Express: onRejected passing the rejection to next(err), a throwing hook logged and passed on', async () => {
  const app = express();
  const seen: { status?: number; message: string }[] = [];
  app.get(
    '/to-next',
    jwtDoctorExpress(verifier, {
      onRejected: (rejection, _req, _res, next) => next(Object.assign(new Error(rejection.reason), { status: rejection.status })),
    }),
    (_req, res) => {
      res.send('ok');
    },
  );
  app.get(
    '/hook-throws',
    jwtDoctorExpress(verifier, {
      onRejected: () => {
        throw new Error('renderer broke');
      },
    }),
    (_req, res) => {
      res.send('ok');
    },
  );
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    seen.push({ ...(err.status !== undefined ? { status: err.status } : {}), message: err.message });
    res.status(err.status ?? 500).json({ app_error: err.message });
  });
  await withServer(createServer(app), async (base) => {
    const toNext = await fetch(`${base}/to-next`);
    assert.equal(toNext.status, 401);
    assert.deepEqual(await toNext.json(), { app_error: 'header_missing' });
    const before = logger.records.length;
    const thrown = await fetch(`${base}/hook-throws`, { headers: { 'x-request-id': 'req-ex' } });
    assert.equal(thrown.status, 500);
    assert.deepEqual(await thrown.json(), { app_error: 'renderer broke' });
    assert.equal(logger.records.slice(before).find((x) => x.event === 'jwt_auth_handler_error')!.requestId, 'req-ex');
    assert.deepEqual(
      seen.map((s) => s.message),
      ['header_missing', 'renderer broke'],
    );
  });
});

test('Fastify: rejections on request.log with request.id; onRejected rendering, throwing or falling back; errors reach the error handler', async () => {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _enc, cb) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), cb()),
  });
  // No logger given to the verifier: the framework's request-scoped logger is used.
  const v = createVerifier(
    { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk: k1.publicJwk }] },
    { registry: false, now: () => NOW },
  );
  const app = Fastify({ logger: { stream, level: 'info' }, genReqId: () => `fid-${lines.length}` });
  await app.register(jwtDoctorFastify, {
    verifier: v,
    onRejected: (rejection, request, reply) => {
      if (request.url === '/hook-throws') throw new Error('renderer broke');
      if (request.url === '/problem')
        return reply.code(rejection.status).type('application/problem+json').send({ reason: rejection.reason, id: rejection.requestId });
      return undefined; // falls back to the RFC 6750 answer
    },
  });
  app.setErrorHandler((err: Error, _request, reply) => reply.code(500).send({ app_error: err.message }));
  app.get('/orders', async (req) => ({ sub: req.auth!.claims.sub }));
  app.get('/problem', async () => 'ok');
  app.get('/hook-throws', async () => 'ok');
  app.get('/boom', async () => {
    throw new Error('database unavailable');
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const r = await fetch(`${base}/orders`, { headers: bearer(expired()) });
    assert.equal(r.status, 401);
    const body = (await r.json()) as { error_description: string; request_id: string };
    assert.equal(body.error_description, 'token_expired');
    const rec = lines.find((l) => l.event === 'jwt_auth_rejected')!;
    assert.equal(rec.reqId, body.request_id, 'the rejection is logged on request.log');
    assert.equal(rec.requestId, body.request_id, 'request.id is the request id');
    assert.match(body.request_id, /^fid-/);

    const problem = await fetch(`${base}/problem`);
    assert.equal(problem.status, 401);
    assert.equal(((await problem.json()) as { reason: string }).reason, 'header_missing');
    const thrown = await fetch(`${base}/hook-throws`);
    assert.equal(thrown.status, 500);
    assert.deepEqual(await thrown.json(), { app_error: 'renderer broke' });
    const boom = await fetch(`${base}/boom`, { headers: bearer(valid()) });
    assert.deepEqual(await boom.json(), { app_error: 'database unavailable' });
  } finally {
    await app.close();
    v.close();
  }
});
