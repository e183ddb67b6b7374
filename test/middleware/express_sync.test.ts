/**
 * jwtDoctorExpress's synchronous fast path (offloadSignatures: false): a
 * verified request is handed on (next()) before the middleware returns;
 * rejections, onRejected errors and the asynchronous fallback behave as on
 * the asynchronous path.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createVerifier, jwtDoctorExpress, type ExpressAuthOptions, type Verifier } from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';
import { AUD, ISS, NOW, closeServer, listen, startJwksServer, type JwksServer } from './helpers.ts';
import { claimsAt, jwksKey, signToken as signClaims, type AsymmetricTestKey } from '../helpers/index.ts';

type TestKey = AsymmetricTestKey & { kid: string };
const makeKey = (kid: string): TestKey => jwksKey(kid);
/** The standard claims at NOW with `claims` over them. */
const signToken = (key: TestKey, claims: Record<string, unknown> = {}): string => signClaims(key, claimsAt(NOW, claims));

const k1 = makeKey('k1');
const cleanup: { servers: Server[]; jwks: JwksServer[]; verifiers: Verifier[] } = { servers: [], jwks: [], verifiers: [] };
after(async () => {
  for (const v of cleanup.verifiers) v.close();
  for (const s of cleanup.servers) await closeServer(s);
  for (const j of cleanup.jwks) await j.close();
});

async function serve(offloadSignatures: boolean, options: ExpressAuthOptions = {}, ready = true) {
  const jwks = await startJwksServer([k1]);
  cleanup.jwks.push(jwks);
  const env: Expectations = { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwksUri: jwks.url }] };
  const verifier = createVerifier(env, { registry: false, logger: false, now: () => NOW, offloadSignatures });
  cleanup.verifiers.push(verifier);
  if (ready) await verifier.ready();
  const auth = jwtDoctorExpress(verifier, options);
  const inTick: boolean[] = [];
  const app = express();
  app.get(
    '/orders/:id',
    (req: Request, res: Response, next: NextFunction) => {
      let returned = false;
      auth(req, res, (err?: unknown) => {
        if (err === undefined) inTick.push(!returned);
        next(err);
      });
      returned = true;
    },
    (req: Request, res: Response) => void res.json({ sub: req.auth?.claims.sub ?? null }),
  );
  app.use(
    (err: Error, _req: Request, res: Response, _next: NextFunction) => void res.status(500).json({ error: 'app', message: err.message }),
  );
  const server = createServer(app);
  cleanup.servers.push(server);
  const base = await listen(server);
  const call = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/orders/1`, { headers });
    return { status: res.status, body: JSON.parse(await res.text()) as Record<string, unknown> };
  };
  return { call, inTick };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('offloadSignatures false: next() runs before the middleware returns; offloaded: after', async () => {
  const sync = await serve(false);
  assert.deepEqual(await sync.call(bearer(signToken(k1))), { status: 200, body: { sub: 'user-1' } });
  assert.deepEqual(sync.inTick, [true]);
  const offloaded = await serve(true);
  assert.equal((await offloaded.call(bearer(signToken(k1)))).status, 200);
  assert.deepEqual(offloaded.inTick, [false]);
});

test('offloadSignatures false: the first request before keys are loaded waits for them', async () => {
  const s = await serve(false, {}, false);
  assert.equal((await s.call(bearer(signToken(k1)))).status, 200);
  assert.deepEqual(s.inTick, [false]);
});

test('offloadSignatures false: rejections as on the asynchronous path; an onRejected that throws or rejects reaches next(err)', async () => {
  const plain = await serve(false);
  const expired = await plain.call(bearer(signToken(k1, { exp: NOW - 3600 })));
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error, 'invalid_token');
  for (const onRejected of [
    () => {
      throw new Error('hook');
    },
    async () => {
      throw new Error('hook');
    },
  ]) {
    const s = await serve(false, { onRejected });
    const r = await s.call();
    assert.deepEqual(r, { status: 500, body: { error: 'app', message: 'hook' } });
  }
});
