/**
 * Issue 8 through the middleware on real servers (node:http, Express,
 * Fastify on 127.0.0.1): tokens that used to crash the verifier (deep
 * nesting) or pass it (invalid UTF-8) get 401 with an RFC 6750
 * WWW-Authenticate, never a 500; the rejection log stays one JSON object
 * per line without the token; an unexpected exception during verification
 * is a 401 too, logged with its class only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { createVerifier, jwtDoctorExpress, jwtDoctorFastify, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import { createJsonLineLogger } from '../../src/middleware/log.ts';
import type { Expectations } from '../../src/expectations.ts';
import { b64url, claimsAt, makeKey, signBytes, signJws, type TestKey } from '../helpers/mint.ts';
import { closeServer, listen } from '../middleware/helpers.ts';
import { NOW } from '../helpers/index.ts';

const secretText = randomBytes(32).toString('hex');
const key: TestKey = makeKey('HS256', { secret: Buffer.from(secretText, 'utf8') });
const env: Expectations = {
  name: 'orders',
  issuer: ['https://auth.example.com'],
  audience: ['api'],
  algorithms: ['HS256'],
  keys: [{ secret: { value: secretText, encoding: 'utf8' } }],
};

function signRaw(header: object, payload: Buffer): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  return `${input}.${signBytes('HS256', key, input).toString('base64url')}`;
}

const claims = JSON.stringify(claimsAt(NOW)).slice(0, -1);
const HOSTILE: Record<string, string> = {
  deep: signRaw({ alg: 'HS256' }, Buffer.from(`${claims},"x":${'['.repeat(5500)}${']'.repeat(5500)}}`)),
  overlong: signRaw({ alg: 'HS256' }, Buffer.concat([Buffer.from(`${claims},"name":"`), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])),
  surrogate: signRaw(
    { alg: 'HS256' },
    Buffer.concat([Buffer.from(`${claims},"name":"`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  ),
  ffFe: signRaw({ alg: 'HS256' }, Buffer.concat([Buffer.from(`${claims},"name":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])),
  bom: signRaw({ alg: 'HS256' }, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(claimsAt(NOW)))])),
  noneUndecodable: `${b64url({ alg: 'none' })}.${b64url('not json')}.`,
};

interface Target {
  name: string;
  base: string;
  lines: string[];
  close(): Promise<void>;
  verifier: Verifier;
}

/** A verifier logging to memory through the default JSON-line logger; `clock` may throw. */
function verifierFor(clock: () => number): { verifier: Verifier; lines: string[] } {
  const lines: string[] = [];
  const logger = createJsonLineLogger({ write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l !== '')) });
  return { verifier: createVerifier(env, { registry: false, logger, now: clock }), lines };
}

async function nodeTarget(clock: () => number): Promise<Target> {
  const { verifier, lines } = verifierFor(clock);
  const server: Server = createServer(withJwtAuth(verifier, (_req, res) => res.end('ok')));
  return { name: 'node:http', base: await listen(server), lines, verifier, close: () => closeServer(server) };
}

async function expressTarget(clock: () => number): Promise<Target> {
  const { verifier, lines } = verifierFor(clock);
  const app = express();
  app.get('/r', jwtDoctorExpress(verifier), (_req, res) => void res.send('ok'));
  const server = createServer(app);
  return { name: 'express', base: await listen(server), lines, verifier, close: () => closeServer(server) };
}

async function fastifyTarget(clock: () => number): Promise<Target> {
  const { verifier, lines } = verifierFor(clock);
  const app: FastifyInstance = Fastify();
  await app.register(jwtDoctorFastify, { verifier });
  app.get('/r', async () => 'ok');
  return { name: 'fastify', base: await app.listen({ port: 0, host: '127.0.0.1' }), lines, verifier, close: () => app.close() };
}

const targets: Target[] = [];
before(async () => {
  for (const make of [nodeTarget, expressTarget, fastifyTarget]) targets.push(await make(() => NOW));
});
after(async () => {
  for (const t of targets) {
    t.verifier.close();
    await t.close();
  }
});

const call = (t: Target, token: string) => fetch(`${t.base}/r`, { headers: { authorization: `Bearer ${token}` } });

function assertLogClean(t: Target, tokens: string[]): void {
  assert.ok(t.lines.length > 0, t.name);
  for (const line of t.lines) {
    const record = JSON.parse(line) as Record<string, unknown>; // throws on a non-JSON line
    assert.equal(record.event, 'jwt_auth_rejected', t.name);
    for (const token of tokens) {
      assert.equal(line.includes(token.split('.')[1]!.slice(0, 40)), false, `${t.name}: payload in the log`);
      const sig = token.split('.')[2]!;
      if (sig) assert.equal(line.includes(sig), false, `${t.name}: signature in the log`);
    }
  }
}

test('hostile tokens: 401 invalid_token malformed_token with WWW-Authenticate on node:http, Express and Fastify', async () => {
  assert.ok(HOSTILE.deep!.length > 14_000 && HOSTILE.deep!.length <= 16_384);
  for (const t of targets) {
    assert.equal((await call(t, signJws(key, claimsAt(NOW)))).status, 200, `${t.name}: a valid token passes`);
    for (const [name, token] of Object.entries(HOSTILE)) {
      const r = await call(t, token);
      const body = await r.text();
      assert.equal(r.status, 401, `${t.name} ${name}: ${body}`);
      assert.equal(
        r.headers.get('www-authenticate'),
        'Bearer realm="orders", error="invalid_token", error_description="malformed_token"',
        `${t.name} ${name}`,
      );
      assert.equal(JSON.parse(body).error_description, 'malformed_token');
    }
    assertLogClean(t, Object.values(HOSTILE));
    assert.equal(t.lines.length, Object.keys(HOSTILE).length, `${t.name}: one line per rejection`);
  }
});

test('an unexpected exception during verification is 401 malformed_token, logged as one JSON line with its class', async () => {
  let armed = false;
  // Once the verifier is ready, the clock (read first thing per request) throws.
  const clock = () => {
    if (armed) throw new RangeError('boom: a message that may quote input');
    return NOW;
  };
  for (const make of [nodeTarget, expressTarget, fastifyTarget]) {
    armed = false;
    const t = await make(clock);
    try {
      await t.verifier.ready();
      armed = true;
      const token = signJws(key, claimsAt(NOW));
      const r = await call(t, token);
      assert.equal(r.status, 401, t.name);
      assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_token", error_description="malformed_token"/, t.name);
      assertLogClean(t, [token, HOSTILE.deep!]);
      const record = JSON.parse(t.lines.at(-1)!) as Record<string, unknown>;
      assert.equal(record.reason, 'malformed_token');
      assert.equal(record.errorClass, 'RangeError');
      assert.equal(
        t.lines.some((l) => l.includes('boom')),
        false,
        'never the message',
      );
    } finally {
      t.verifier.close();
      await t.close();
    }
  }
});
