/**
 * The standing adversarial suite (issue 8 item 4): every case of
 * test/security/cases.ts through the library's `diagnose` and through the
 * verifier middleware on node:http, Express and Fastify, plus a sample
 * through the CLI. Nothing forged is ever accepted: the diagnosis is never
 * `valid`, the middleware never answers 2xx or 500 and always sends an
 * RFC 6750 WWW-Authenticate challenge; no request ever reaches the
 * jku/x5u listener.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Diagnoser } from '../../src/diagnose.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import {
  createJsonLineLogger,
  createVerifier,
  jwtDoctorExpress,
  jwtDoctorFastify,
  withJwtAuth,
  type Verifier,
} from '../../src/middleware/index.ts';
import { REASONS } from '../../src/reasons.ts';
import { startServer, type TestServer } from '../helpers/http_server.ts';
import { runCli, hasStackTrace } from '../helpers/cli.ts';
import { runCliBatch } from './cli_batch_client.ts';
import { buildCases, environments, makeKeyMaterial, NOW, type AdversarialCase, type EnvName } from './cases.ts';
import { codes } from '../helpers/index.ts';

const km = makeKeyMaterial();
const envs = environments(km);
const ENV_NAMES = Object.keys(envs) as EnvName[];
// RFC 6750 section 2.1 b64token: what the middleware accepts as a token at all.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// Large enough for the 10 MB cases to reach the middleware (Node's default is 16 KiB, which would answer 431 itself).
const MAX_HEADER = 24 * 1024 * 1024;

// Any request here is a failure: jku / x5u / x5c / jwk must never be fetched (RFC 8725 section 3.10).
// Started at load time (top-level await) so the case table, which embeds its URL, is built once.
const listener: TestServer = await startServer({});
const cases: AdversarialCase[] = buildCases(km, listener.url);
const diagnosers = {} as Record<EnvName, Diagnoser>;
const verifiers = {} as Record<EnvName, Verifier>;
const logLines: string[] = [];
const frameworks: { name: string; base: Record<EnvName, string>; close: () => Promise<void> }[] = [];

const listenerHits = () => [...listener.counts.values()].reduce((a, b) => a + b, 0);
const protoSnapshot = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTO_BEFORE = protoSnapshot();

function handler(_req: IncomingMessage & { auth?: { claims: Record<string, unknown> } }, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
}

async function listenHttp(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address() as { port: number };
  return `http://127.0.0.1:${a.port}`;
}

async function closeHttp(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function startFrameworks(): Promise<void> {
  const nodeServers: Server[] = [];
  const expressServers: Server[] = [];
  const fastifies: FastifyInstance[] = [];
  const nodeBase = {} as Record<EnvName, string>;
  const expressBase = {} as Record<EnvName, string>;
  const fastifyBase = {} as Record<EnvName, string>;
  for (const env of ENV_NAMES) {
    const v = verifiers[env];
    const n = createServer({ maxHeaderSize: MAX_HEADER }, withJwtAuth(v, handler));
    nodeServers.push(n);
    nodeBase[env] = await listenHttp(n);
    const app = express();
    app.get('/r', jwtDoctorExpress(v), (_req, res) => void res.json({ ok: true }));
    const e = createServer({ maxHeaderSize: MAX_HEADER }, app);
    expressServers.push(e);
    expressBase[env] = await listenHttp(e);
    const f = Fastify({ serverFactory: (h) => createServer({ maxHeaderSize: MAX_HEADER }, h) });
    await f.register(jwtDoctorFastify, { verifier: v });
    f.get('/r', async () => ({ ok: true }));
    fastifyBase[env] = await f.listen({ port: 0, host: '127.0.0.1' });
    fastifies.push(f);
  }
  frameworks.push(
    { name: 'node:http', base: nodeBase, close: async () => void (await Promise.all(nodeServers.map(closeHttp))) },
    { name: 'Express', base: expressBase, close: async () => void (await Promise.all(expressServers.map(closeHttp))) },
    { name: 'Fastify', base: fastifyBase, close: async () => void (await Promise.all(fastifies.map((f) => f.close()))) },
  );
}

before(async () => {
  const logger = createJsonLineLogger({ write: (chunk: string) => void logLines.push(chunk) });
  for (const env of ENV_NAMES) {
    diagnosers[env] = await createDiagnoser(envs[env]);
    verifiers[env] = createVerifier(envs[env], { registry: new Registry(), logger, now: () => NOW });
    await verifiers[env].ready();
  }
  await startFrameworks();
});

after(async () => {
  for (const f of frameworks) await f.close();
  for (const env of ENV_NAMES) verifiers[env].close();
  await listener.close();
});

/** The middleware's expected answer: RFC 6750 b64token syntax is checked before the token is decoded. */
function expectedMiddleware(c: AdversarialCase): { code: string; status: number } {
  if (!B64TOKEN.test(c.token)) return { code: 'header_malformed', status: 400 };
  const code = c.mw ?? c.code;
  return { code, status: c.status ?? (code === 'valid' ? 200 : REASONS[code as keyof typeof REASONS].status) };
}

function assertPrototypeClean(): void {
  assert.equal(protoSnapshot(), PROTO_BEFORE, 'Object.prototype gained members');
  const o: Record<string, unknown> = {};
  assert.equal(o.isAdmin, undefined);
  assert.equal(o.polluted, undefined);
}

const names = cases.map((c) => ({ name: c.name }));

test('the case table: names are unique and every expected code is in the registry', () => {
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  assert.ok(cases.length >= 250, `only ${cases.length} cases`);
  for (const c of cases) if (c.code !== 'valid') assert.ok(c.code in REASONS, c.code);
});

describe('diagnose (library)', () => {
  for (const [i, { name }] of names.entries()) {
    test(name, () => {
      const c = cases[i]!;
      const d = diagnosers[c.env].diagnose(c.token, { now: NOW });
      assert.equal(d.result, c.code, JSON.stringify(codes(d)));
      for (const code of c.findings ?? [])
        assert.ok(
          d.findings.some((f) => f.code === code),
          `no ${code} finding: ${JSON.stringify(codes(d))}`,
        );
      if (!c.signerMade) {
        assert.notEqual(d.result, 'valid');
        assert.notEqual(d.signature.status, 'pass', 'a forged token verified');
      }
      assert.ok(d.findings.every((f) => f.code in REASONS));
      assertPrototypeClean();
      if (c.name.includes('__proto__') && d.claims) {
        // JSON.parse semantics: an own data member, never the object's prototype.
        assert.equal(Object.getPrototypeOf(d.claims), Object.prototype);
        assert.equal((d.claims as Record<string, unknown>).isAdmin, undefined);
      }
    });
  }
});

describe('middleware (node:http, Express, Fastify)', () => {
  for (const [i, { name }] of names.entries()) {
    test(name, async () => {
      const c = cases[i]!;
      const want = expectedMiddleware(c);
      if (c.inProcess) {
        const outcome = await verifiers[c.env].verify({ headers: { authorization: `Bearer ${c.token}` } });
        assert.equal(outcome.ok, false);
        if (!outcome.ok) {
          assert.equal(outcome.reason, 'header_malformed');
          assert.ok(outcome.headers['www-authenticate']);
        }
        return;
      }
      for (const f of frameworks) {
        const res = await fetch(`${f.base[c.env]}/r`, { headers: { authorization: `Bearer ${c.token}` } });
        const body = await res.text();
        assert.notEqual(res.status, 500, `${f.name}: 500`);
        if (!c.signerMade) assert.ok(res.status >= 400, `${f.name}: forged token answered ${res.status}`);
        assert.equal(res.status, want.status, `${f.name}: ${body}`);
        if (res.status >= 400) {
          const www = res.headers.get('www-authenticate');
          assert.ok(www?.startsWith('Bearer '), `${f.name}: no WWW-Authenticate`);
          assert.equal(/error_description="([a-z_]+)"/.exec(www!)?.[1], want.code, `${f.name}: ${www}`);
        }
      }
      assertPrototypeClean();
    });
  }
});

test('no request ever reached the jku / x5u listener', () => {
  assert.equal(listenerHits(), 0, JSON.stringify([...listener.counts]));
});

test('the rejection log is one JSON object per line and never carries a token', () => {
  assert.ok(logLines.length > 0);
  const signatures = cases.map((c) => c.token.split('.')[2]).filter((s): s is string => !!s && s.length >= 40);
  for (const chunk of logLines) {
    for (const line of chunk.split('\n').filter((l) => l !== '')) {
      const rec = JSON.parse(line) as Record<string, unknown>;
      assert.equal(typeof rec, 'object');
    }
    for (const sig of signatures) assert.ok(!chunk.includes(sig), 'a token signature in the log');
  }
});

describe('CLI (a sample of cases, one subprocess through the CLI main)', () => {
  let dir: string;
  const sample = [
    'alg nOnE, with a signature (rs)',
    'HS256 keyed with the RSA public key as SPKI PEM (rsOpen, kid)',
    'HS256 keyed with the EC public key as SPKI DER (no kid)',
    'ES256 r = s = 0',
    'jku to a listener (real kid)',
    'kid path traversal to /dev/null, HS256 with an empty secret (hs env)',
    'duplicate sub claim (admin last)',
    'payload nested 5,500 arrays deep',
    'five segments (JWE shape)',
    '10 MB of dots',
  ];
  const results = new Map<string, { code: number; stdout: string; stderr: string }>();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-adv-'));
    const contract = { version: 1, environments: Object.fromEntries(ENV_NAMES.map((e) => [e, { ...envs[e], name: undefined }])) };
    writeFileSync(join(dir, 'auth-contract.json'), JSON.stringify(contract));
    const argvs = sample.map((name, i) => {
      const c = cases.find((x) => x.name === name)!;
      writeFileSync(join(dir, `token-${i}.txt`), c.token);
      return [
        'diagnose',
        '--token-file',
        join(dir, `token-${i}.txt`),
        '-c',
        join(dir, 'auth-contract.json'),
        '-e',
        c.env,
        '--now',
        String(NOW),
        '--format',
        'json',
      ];
    });
    const out = await runCliBatch(argvs, dir);
    sample.forEach((name, i) => results.set(name, out[i]!));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of sample) {
    test(name, () => {
      const c = cases.find((x) => x.name === name)!;
      assert.ok(c, name);
      const r = results.get(name)!;
      assert.equal(hasStackTrace(r.stderr), false, r.stderr);
      assert.equal(r.code, c.code === 'valid' ? 0 : 1, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { result: string }).result, c.code);
      assert.equal(listenerHits(), 0);
    });
  }
  test('and one case through the real entry point (bin path, subprocess)', async () => {
    const c = cases.find((x) => x.name === 'alg NONE, empty signature (rs)')!;
    const r = await runCli(
      ['diagnose', '-', '-c', join(dir, 'auth-contract.json'), '-e', c.env, '--now', String(NOW), '--format', 'json'],
      { input: c.token },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { result: string }).result, 'alg_none');
  });
});
