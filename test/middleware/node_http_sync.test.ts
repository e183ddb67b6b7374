/**
 * withJwtAuth's synchronous fast path (offloadSignatures: false): the
 * decision, the handler and the answer in the tick that parsed the request;
 * the asynchronous path whenever only it can decide (keys not loaded yet, a
 * new kid that calls for a refetch, signatures offloaded). Same answers on
 * both paths, and application errors (sync throws and rejected promises) still
 * answered 500 with the request id.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createVerifier,
  withJwtAuth,
  type NodeHttpAuthOptions,
  type Verifier,
  type MaybeAuthenticatedRequest,
} from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';
import { AUD, ISS, NOW, closeServer, listen, memoryLogger, startJwksServer, type JwksServer } from './helpers.ts';
import { claimsAt, jwksKey, signToken as signClaims, type AsymmetricTestKey } from '../helpers/index.ts';

type TestKey = AsymmetricTestKey & { kid: string };
const makeKey = (kid: string): TestKey => jwksKey(kid);
/** The standard claims at NOW with `claims` over them. */
const signToken = (key: TestKey, claims: Record<string, unknown> = {}): string => signClaims(key, claimsAt(NOW, claims));

const k1 = makeKey('k1');
const k2 = makeKey('k2');
const jwksServers: JwksServer[] = [];
const servers: Server[] = [];
const verifiers: Verifier[] = [];

after(async () => {
  for (const v of verifiers) v.close();
  for (const s of servers) await closeServer(s);
  for (const j of jwksServers) await j.close();
});

type Handler = (req: MaybeAuthenticatedRequest, res: ServerResponse) => unknown;

/** A server whose listener records, per request, whether the handler ran before the listener returned. */
async function serve(options: { offloadSignatures: boolean; ready?: boolean; handler?: Handler; auth?: NodeHttpAuthOptions }) {
  const jwks = await startJwksServer([k1]);
  jwksServers.push(jwks);
  const env: Expectations = {
    name: 'staging',
    issuer: [ISS],
    audience: [AUD],
    algorithms: ['RS256'],
    clockToleranceSeconds: 10,
    keys: [{ jwksUri: jwks.url }],
  };
  const logger = memoryLogger();
  const verifier = createVerifier(env, {
    registry: false,
    logger,
    now: () => NOW,
    offloadSignatures: options.offloadSignatures,
    cache: { cooldownSeconds: 0 },
  });
  verifiers.push(verifier);
  if (options.ready !== false) await verifier.ready();
  const inTick: boolean[] = [];
  let returned = true;
  const handler: Handler =
    options.handler ??
    ((req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sub: req.auth?.claims.sub ?? null, kid: req.auth?.kid ?? null }));
    });
  const listener = withJwtAuth(
    verifier,
    (req, res) => {
      inTick.push(!returned);
      return handler(req, res);
    },
    options.auth ?? {},
  );
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    returned = false;
    listener(req, res);
    returned = true;
  });
  servers.push(server);
  const base = await listen(server);
  const call = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/orders/1`, { headers });
    return { status: res.status, body: await res.text(), wwwAuthenticate: res.headers.get('www-authenticate') };
  };
  return { call, inTick, jwks, logger };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('offloadSignatures false: a valid token reaches the handler in the same tick', async () => {
  const s = await serve({ offloadSignatures: false });
  const r = await s.call(bearer(signToken(k1)));
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body), { sub: 'user-1', kid: 'k1' });
  assert.deepEqual(s.inTick, [true]);
});

test('offloadSignatures true: the handler runs after the thread pool answered (no fast path)', async () => {
  const s = await serve({ offloadSignatures: true });
  const r = await s.call(bearer(signToken(k1)));
  assert.equal(r.status, 200);
  assert.deepEqual(s.inTick, [false]);
});

test('both paths give the same answers to the same requests', async () => {
  const sync = await serve({ offloadSignatures: false });
  const offloaded = await serve({ offloadSignatures: true });
  const cases: Record<string, string>[] = [
    {},
    { authorization: 'Basic abc' },
    bearer(signToken(k1, { exp: NOW - 3600 })),
    bearer(signToken(k1, { aud: 'other' })),
    bearer(`${signToken(k1).slice(0, -4)}AAAA`),
    bearer('not.a.jwt'),
  ];
  for (const headers of cases) {
    const [a, b] = [await sync.call(headers), await offloaded.call(headers)];
    assert.equal(a.status, b.status, JSON.stringify(headers));
    assert.equal(a.wwwAuthenticate, b.wwwAuthenticate);
    assert.equal(JSON.parse(a.body).error, JSON.parse(b.body).error);
  }
});

test('offloadSignatures false, keys not loaded yet: the first request waits for them (asynchronous path)', async () => {
  const s = await serve({ offloadSignatures: false, ready: false });
  const r = await s.call(bearer(signToken(k1)));
  assert.equal(r.status, 200);
  assert.deepEqual(s.inTick, [false]);
  const again = await s.call(bearer(signToken(k1)));
  assert.equal(again.status, 200);
  assert.deepEqual(s.inTick, [false, true]);
});

test('offloadSignatures false, a new kid after a rotation: refetched on the asynchronous path, then accepted', async () => {
  const s = await serve({ offloadSignatures: false });
  s.jwks.keys = [k1.publicJwk, k2.publicJwk];
  const hits = s.jwks.hits;
  const r = await s.call(bearer(signToken(k2)));
  assert.equal(r.status, 200);
  assert.equal(JSON.parse(r.body).kid, 'k2');
  assert.equal(s.jwks.hits, hits + 1);
  assert.deepEqual(s.inTick, [false]);
});

test('offloadSignatures false: a handler that throws, or whose promise rejects, gets a 500 with the request id, logged', async () => {
  for (const handler of [
    () => {
      throw new Error('boom');
    },
    async () => {
      throw new Error('boom');
    },
  ] as Handler[]) {
    const s = await serve({ offloadSignatures: false, handler });
    const r = await s.call({ ...bearer(signToken(k1)), 'x-request-id': 'req-42' });
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.body), { error: 'internal_error', request_id: 'req-42' });
    assert.equal(s.logger.records.filter((x) => x.requestId === 'req-42' || x.request_id === 'req-42').length, 1);
  }
});

test('offloadSignatures false: an onRejected hook that throws or rejects gets a 500; one that answers is used', async () => {
  const answering = await serve({
    offloadSignatures: false,
    auth: { onRejected: (rej, _req, res) => void res.writeHead(rej.status, rej.headers).end('{"custom":true}') },
  });
  const custom = await answering.call();
  assert.equal(custom.status, 401);
  assert.deepEqual(JSON.parse(custom.body), { custom: true });
  for (const onRejected of [
    () => {
      throw new Error('hook');
    },
    async () => {
      throw new Error('hook');
    },
  ]) {
    const s = await serve({ offloadSignatures: false, auth: { onRejected } });
    const r = await s.call();
    assert.equal(r.status, 500);
    assert.equal(JSON.parse(r.body).error, 'internal_error');
  }
});

test('offloadSignatures false: a route function that throws is a 500, never a hang', async () => {
  const s = await serve({
    offloadSignatures: false,
    auth: {
      route: () => {
        throw new Error('router');
      },
    },
  });
  const r = await s.call(bearer(signToken(k1)));
  assert.equal(r.status, 500);
});
