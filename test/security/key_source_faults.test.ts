/**
 * JWKS and discovery fault matrix (issue 8, item 5) against real HTTP
 * servers on 127.0.0.1: hang, slow drip, 500, 429 + Retry-After, redirects
 * (same and cross origin), a 100 MB body, invalid JSON, HTML, wrong content
 * type, connection reset mid-body, private members, oct keys, a point off
 * the curve, a 512-bit RSA key, a discovery document naming another issuer.
 *
 * The CLI (a subprocess) reports each with a code; the middleware's JWKS
 * cache names the same code, keeps serving its last good set within the
 * stale bound and recovers when the server does; and no forged token (keyed
 * with a published secret or private key, or with the keys of an origin a
 * redirect points to) is ever accepted, by `diagnose` or by the middleware.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { runCli, hasStackTrace, type CliResult } from '../helpers/cli.ts';
import { startServer, json, hang, type Handler, type TestServer } from '../helpers/http_server.ts';
import { closeServer, listen, parseMetrics, sampleValue } from '../middleware/helpers.ts';
import { createVerifier, JwksCache, withJwtAuth } from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';

const NOW = 1_800_000_000;
const NOW_ISO = new Date(NOW * 1000).toISOString();
const ISS = 'https://auth.faults.example.com';
const AUD = 'api-faults';
// The CLI's fetch timeout (subprocesses start slowly on a loaded machine) and the middleware's (in process).
const TIMEOUT_MS = 4000;
const MW_TIMEOUT_MS = 1500;

// ---- keys and tokens -------------------------------------------------------

interface Signer {
  kid: string;
  alg: 'RS256' | 'HS256';
  key: KeyObject | Buffer;
}
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const pubJwk = (k: KeyObject, kid: string, alg = 'RS256') => ({ ...(k.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg, use: 'sig' });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function mint(s: Signer, claims: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: s.alg, typ: 'JWT', kid: s.kid })}.${b64({ iss: ISS, aud: AUD, sub: 'user-1', iat: NOW - 60, exp: NOW + 30 * 86400, ...claims })}`;
  const sig = s.alg === 'HS256' ? createHmac('sha256', s.key as Buffer).update(input).digest() : sign('sha256', Buffer.from(input), s.key as KeyObject);
  return `${input}.${sig.toString('base64url')}`;
}

const good = rsa(2048);
const goodJwk = pubJwk(good.publicKey, 'good');
const GOOD_SET = { keys: [goodJwk] };
// The attacker's own key, served under the real kid by another origin or a lying discovery document.
const attacker = rsa(2048);
const ATTACKER_SET = { keys: [pubJwk(attacker.publicKey, 'good')] };
const leaked = rsa(2048);
const LEAK_SET = { keys: [{ ...(leaked.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'leak', alg: 'RS256', use: 'sig' }] };
const secret = randomBytes(32);
const OCT_SET = { keys: [{ kty: 'oct', kid: 'hs', alg: 'HS256', use: 'sig', k: secret.toString('base64url') }] };
const weak = rsa(512);
const WEAK_SET = { keys: [pubJwk(weak.publicKey, 'r512')] };
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecJwk = pubJwk(ec.publicKey, 'off', 'ES256') as Record<string, string>;
const yBytes = Buffer.from(ecJwk.y!, 'base64url');
yBytes[yBytes.length - 1]! ^= 0x01; // (x, y') is not on P-256
const OFF_CURVE_SET = { keys: [{ ...ecJwk, y: yBytes.toString('base64url') }] };

const LEGIT = mint({ kid: 'good', alg: 'RS256', key: good.privateKey });
const FORGED = {
  attacker: mint({ kid: 'good', alg: 'RS256', key: attacker.privateKey }),
  leak: mint({ kid: 'leak', alg: 'RS256', key: leaked.privateKey }),
  hs: mint({ kid: 'hs', alg: 'HS256', key: secret }),
  weak: mint({ kid: 'r512', alg: 'RS256', key: weak.privateKey }),
};

// ---- the servers -------------------------------------------------------------

/** Headers, then one byte a second: a fetch that never completes within its timeout. */
const drip: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 1000);
  req.socket.on('close', () => clearInterval(timer));
};

/** Bytes of the 100 MB body actually handed to the socket, per request. */
const hugeSent: number[] = [];
const HUGE_BYTES = 100 * 1024 * 1024;
/** A 100 MB chunked body written with backpressure: the server sends only what the client reads. */
const huge: Handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const slot = hugeSent.push(0) - 1;
  let closed = false;
  req.socket.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && hugeSent[slot]! < HUGE_BYTES) {
      hugeSent[slot]! += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!closed) res.end();
  };
  pump();
};
const hugeDeclared: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) });
  res.write('{"keys":[');
};
/** Half a body, then the TCP connection is destroyed. */
const reset: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"keys":[{"kty":"RSA",');
  setTimeout(() => res.socket?.destroy(), 20);
};
const redirect = (to: () => string): Handler => (_req, res) => void res.writeHead(302, { location: to() }).end();
const typed = (type: string, body: string): Handler => (_req, res) => void res.writeHead(200, { 'content-type': type }).end(body);

/** Each fault's answer, served at its path and switched in on the middleware's JWKS URL. */
const FAULT_HANDLERS: Record<string, Handler> = {
  '/hang': hang,
  '/drip': drip,
  '/500': json({ error: 'boom' }, 500),
  '/429': json({ error: 'slow down' }, 429, { 'retry-after': '120' }),
  '/redirect-same': redirect(() => '/good.json'),
  '/redirect-cross': redirect(() => `${evil.url}/jwks.json`),
  '/huge': huge,
  '/huge-declared': hugeDeclared,
  '/invalid-json': typed('application/json', '{"keys": [{"kty": "RSA",'),
  '/html': typed('text/html; charset=utf-8', '<html><body>Sign in</body></html>'),
  '/wrong-type': typed('text/plain', JSON.stringify(ATTACKER_SET)),
  '/reset': reset,
  '/private': json(LEAK_SET),
  '/oct': json(OCT_SET),
  '/off-curve': json(OFF_CURVE_SET),
  '/rsa512': json(WEAK_SET),
};

let s: TestServer;
let evil: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-faults-'));

test.before(async () => {
  evil = await startServer({ '/jwks.json': json(ATTACKER_SET) });
  s = await startServer({ '/good.json': json(GOOD_SET), '/evil.json': json(ATTACKER_SET), ...FAULT_HANDLERS });
  s.route('/idp/.well-known/openid-configuration', json({ issuer: `${s.url}/idp`, jwks_uri: `${s.url}/good.json` }));
  s.route('/liar/.well-known/openid-configuration', json({ issuer: 'https://evil.example', jwks_uri: `${s.url}/evil.json` }));
  s.route('/hop/.well-known/openid-configuration', redirect(() => `${evil.url}/.well-known/openid-configuration`));
});
test.after(async () => {
  await s.close();
  await evil.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- the matrix ----------------------------------------------------------------

interface Fault {
  name: string;
  path: string;
  /** The reason code every front end reports. */
  code: string;
  /** Expected members of the finding's detail. */
  detail?: (url: string) => Record<string, unknown>;
  /** A token an attacker could mint with this fault: never accepted. */
  forged?: string;
}

const FAULTS: Fault[] = [
  { name: 'hang', path: '/hang', code: 'jwks_unreachable', detail: () => ({ error: 'timeout' }) },
  { name: 'slow drip (1 byte/s)', path: '/drip', code: 'jwks_unreachable', detail: () => ({ error: 'timeout' }) },
  { name: '500', path: '/500', code: 'jwks_unreachable', detail: () => ({ error: 'http_status', status: 500 }) },
  { name: '429 with Retry-After', path: '/429', code: 'jwks_unreachable', detail: () => ({ error: 'http_status', status: 429, retryAfterSeconds: 120 }) },
  { name: 'redirect, same origin (not opted in)', path: '/redirect-same', code: 'jwks_unreachable', detail: (u) => ({ error: 'redirect', redirect: `${u}/good.json` }) },
  { name: 'redirect, cross origin', path: '/redirect-cross', code: 'jwks_unreachable', detail: () => ({ error: 'redirect', redirect: `${evil.url}/jwks.json` }), forged: FORGED.attacker },
  { name: '100 MB body, chunked', path: '/huge', code: 'jwks_unreachable', detail: () => ({ error: 'too_large' }) },
  { name: '100 MB body, declared', path: '/huge-declared', code: 'jwks_unreachable', detail: () => ({ error: 'too_large' }) },
  { name: 'invalid JSON', path: '/invalid-json', code: 'jwks_unreachable', detail: () => ({ error: 'invalid_json' }) },
  { name: 'HTML', path: '/html', code: 'jwks_unreachable', detail: () => ({ error: 'content_type', contentType: 'text/html; charset=utf-8' }) },
  { name: 'wrong content type', path: '/wrong-type', code: 'jwks_unreachable', detail: () => ({ error: 'content_type', contentType: 'text/plain' }), forged: FORGED.attacker },
  { name: 'connection reset mid-body', path: '/reset', code: 'jwks_unreachable', detail: () => ({ error: 'network' }) },
  { name: 'private members', path: '/private', code: 'private_key_published', detail: () => ({ kid: 'leak', excluded: true, members: ['d', 'p', 'q', 'dp', 'dq', 'qi'] }), forged: FORGED.leak },
  { name: 'oct key', path: '/oct', code: 'private_key_published', detail: () => ({ kid: 'hs', excluded: true, members: ['k'] }), forged: FORGED.hs },
  { name: 'EC point off the curve', path: '/off-curve', code: 'ec_point_invalid', detail: () => ({ kid: 'off', excluded: true }) },
  { name: '512-bit RSA', path: '/rsa512', code: 'rsa_key_too_small', detail: () => ({ kid: 'r512', bits: 512, excluded: true }), forged: FORGED.weak },
];

const OWNER: Record<string, string> = { private: 'signer', oct: 'secrets' };

function assertDetail(f: { detail?: Record<string, unknown> } | undefined, want: Record<string, unknown>, label: string): void {
  assert.ok(f, `${label}: finding present`);
  for (const [k, v] of Object.entries(want)) assert.deepEqual(f.detail?.[k], v, `${label}: detail.${k}`);
}

type DiagnosisJson = {
  result: string;
  signature: { status: string };
  findings: { code: string; severity: string; owner?: string; expected?: unknown; actual?: unknown; detail?: Record<string, unknown> }[];
};
const parsed = (r: CliResult) => JSON.parse(r.stdout) as DiagnosisJson;

function writeContract(name: string, keys: unknown[], issuer = ISS): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ version: 1, environments: { prod: { issuer, audience: AUD, keys } } }));
  return file;
}
const diagnoseCli = (token: string, contract: string) =>
  runCli(['diagnose', token, '--contract', contract, '--env', 'prod', '--timeout', String(TIMEOUT_MS), '--now', NOW_ISO, '--format', 'json']);

/** One environment whose key sources are every fault at once (one CLI run reports them all, each by its URL). */
const faultContract = () => writeContract('faults', FAULTS.map((f) => ({ jwksUri: `${s.url}${f.path}` })));
const ofSource = (d: { findings: DiagnosisJson['findings'] }, f: Fault) =>
  d.findings.find((x) => x.code === f.code && x.severity === 'error' && x.detail?.location === `${s.url}${f.path}`);

test('CLI diagnose: every fault is a finding with its code and source, exit 1, no stack trace', { timeout: 60_000 }, async () => {
  const r = await diagnoseCli(LEGIT, faultContract());
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.equal(r.code, 1);
  const d = parsed(r);
  for (const f of FAULTS) {
    const finding = ofSource(d, f);
    assertDetail(finding, f.detail!(s.url), f.name);
    const owner = OWNER[f.path.slice(1)];
    if (owner) assert.equal(finding!.owner, owner, `${f.name}: owner`);
  }
  assert.notEqual(d.signature.status, 'pass', 'no key of any faulty source verified anything');
  // The 100 MB body was cut at the cap: the server could hand over only what the client read.
  assert.ok(hugeSent.length > 0 && hugeSent.every((n) => n < HUGE_BYTES), `bytes sent: ${hugeSent.join(', ')}`);
});

test('CLI diagnose: no forged token is accepted, even next to a good key source', { timeout: 60_000 }, async () => {
  const contract = writeContract('faults-and-good', [{ jwksUri: `${s.url}/good.json` }, ...FAULTS.map((f) => ({ jwksUri: `${s.url}${f.path}` }))]);
  await Promise.all(
    Object.entries(FORGED).map(async ([name, token]) => {
      const r = await diagnoseCli(token, contract);
      assert.equal(r.code, 1, name);
      const d = parsed(r);
      assert.notEqual(d.result, 'valid', name);
      assert.notEqual(d.signature.status, 'pass', `${name}: no trusted key verifies the forged signature`);
    }),
  );
  const legit = writeContract('good', [{ jwksUri: `${s.url}/good.json` }]);
  const ok = await diagnoseCli(LEGIT, legit);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(parsed(ok).result, 'valid', 'the legitimate token, through the good set: the faults were the only difference');
});

test('CLI keys: the same codes, from the same trust rules', { timeout: 60_000 }, async () => {
  const r = await runCli(['keys', '--contract', faultContract(), '--env', 'prod', '--timeout', String(TIMEOUT_MS), '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: DiagnosisJson['findings'] };
  for (const f of FAULTS) {
    const { excluded: _excluded, ...want } = f.detail!(s.url);
    const finding = report.findings.find((x) => x.code === f.code && x.severity === 'error' && (x.detail?.location === `${s.url}${f.path}` || x.detail?.url === `${s.url}${f.path}`));
    assertDetail(finding, want, f.name);
  }
});

test('CLI discovery: a document naming another issuer is not used (both values reported); a redirect off origin is refused', { timeout: 60_000 }, async () => {
  const [r, hopRun, okRun] = await Promise.all([
    diagnoseCli(FORGED.attacker, writeContract('liar', [{ discovery: `${s.url}/liar` }])),
    diagnoseCli(FORGED.attacker, writeContract('hop', [{ discovery: `${s.url}/hop` }])),
    diagnoseCli(LEGIT, writeContract('idp', [{ discovery: `${s.url}/idp` }])),
  ]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const d = parsed(r);
  assert.equal(d.result, 'discovery_issuer_mismatch');
  const f = d.findings.find((x) => x.code === 'discovery_issuer_mismatch')!;
  assert.deepEqual([f.expected, f.actual], [`${s.url}/liar`, 'https://evil.example']);
  assert.equal(s.counts.get('/evil.json') ?? 0, 0, "the lying document's jwks_uri is never fetched");
  const h = parsed(hopRun);
  assert.equal(h.result, 'jwks_unreachable');
  assertDetail(h.findings.find((x) => x.code === 'jwks_unreachable'), { error: 'redirect', redirect: `${evil.url}/.well-known/openid-configuration`, stage: 'discovery' }, 'discovery redirect');
  assert.equal(parsed(okRun).result, 'valid', okRun.stdout);
});

test('contract opt-in: redirects: same-origin follows a same-origin hop, never one to another origin; other values are contract errors', { timeout: 60_000 }, async () => {
  const [a, bRun, c] = await Promise.all([
    diagnoseCli(LEGIT, writeContract('same', [{ jwksUri: `${s.url}/redirect-same`, redirects: 'same-origin' }])),
    diagnoseCli(FORGED.attacker, writeContract('cross', [{ jwksUri: `${s.url}/redirect-cross`, redirects: 'same-origin' }])),
    diagnoseCli(LEGIT, writeContract('any', [{ jwksUri: `${s.url}/redirect-cross`, redirects: 'any' }])),
  ]);
  assert.equal(parsed(a).result, 'valid', a.stdout);
  const b = parsed(bRun);
  assert.equal(b.result, 'jwks_unreachable');
  assertDetail(b.findings.find((x) => x.code === 'jwks_unreachable'), { error: 'redirect', redirect: `${evil.url}/jwks.json` }, 'cross-origin with opt-in');
  assert.equal(c.code, 2, c.stdout + c.stderr);
  assert.equal(hasStackTrace(c.stderr), false);
});

// ---- the middleware ---------------------------------------------------------------

test('middleware JWKS cache: each fault is a failed refresh whose error names the same code', { timeout: 60_000 }, async () => {
  await Promise.all(
    FAULTS.map(async (f) => {
      const cache = new JwksCache({ jwksUri: `${s.url}${f.path}` }, { timeoutMs: MW_TIMEOUT_MS, now: () => NOW });
      assert.equal(await cache.refresh('initial'), false, f.name);
      assert.deepEqual(cache.keys, [], f.name);
      assert.equal(cache.lastError?.code, f.code, f.name);
      assertDetail(cache.lastError, f.detail!(s.url), f.name);
    }),
  );
  const liar = new JwksCache({ discovery: `${s.url}/liar` }, { timeoutMs: MW_TIMEOUT_MS, now: () => NOW });
  assert.equal(await liar.refresh('initial'), false);
  assert.equal(liar.lastError?.code, 'discovery_issuer_mismatch');
});

interface Harness {
  clock: { t: number };
  call(token: string): Promise<{ status: number; reason: string | undefined; challenge: string | null }>;
  refreshes(result: 'success' | 'error'): Promise<number>;
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A verifier behind a real node:http server, keyed by a JWKS URL whose answer the test switches. */
async function harness(keys: Expectations['keys']): Promise<Harness> {
  const clock = { t: NOW };
  const registry = new Registry();
  // HS256 allowed on purpose: the trust rules, not the algorithm list, must stop a published oct key.
  const env: Expectations = { name: 'prod', issuer: [ISS], audience: [AUD], algorithms: ['RS256', 'HS256', 'ES256'], keys };
  const verifier = createVerifier(env, { registry, logger: false, now: () => clock.t, cache: { timeoutMs: MW_TIMEOUT_MS, cooldownSeconds: 30, defaultTtlSeconds: 600, staleIfErrorSeconds: 3600 } });
  const server = createServer(withJwtAuth(verifier, (_req: IncomingMessage, res: ServerResponse) => void res.end('ok')));
  const base = await listen(server);
  return {
    clock,
    async call(token) {
      const r = await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } });
      const body = await r.text();
      return { status: r.status, reason: r.status === 200 ? undefined : (JSON.parse(body) as { error_description: string }).error_description, challenge: r.headers.get('www-authenticate') };
    },
    async refreshes(result) {
      return sampleValue(parseMetrics(await registry.metrics()), 'jwt_jwks_refresh_total', { result }) ?? 0;
    },
    settled: () => verifier.settled(),
    async close() {
      verifier.close();
      await closeServer(server);
    },
  };
}

test('middleware: through every fault it serves the last good set within the stale bound, rejects every forged token, and recovers', { timeout: 120_000 }, async () => {
  s.route('/switch.json', json(GOOD_SET));
  const h = await harness([{ jwksUri: `${s.url}/switch.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    for (const f of FAULTS) {
      h.clock.t += 700; // past the TTL (600 s) and the cooldown: the next request starts a refresh
      s.route('/switch.json', FAULT_HANDLERS[f.path]!);
      const errorsBefore = await h.refreshes('error');
      assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: stale-while-revalidate`);
      await h.settled();
      assert.equal(await h.refreshes('error'), errorsBefore + 1, `${f.name}: the refresh failed`);
      assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: last good set served`);
      if (f.forged) {
        const forged = await h.call(f.forged);
        assert.equal(forged.status, 401, `${f.name}: forged token rejected`);
        assert.match(forged.challenge ?? '', /^Bearer /, `${f.name}: RFC 6750 challenge`);
      }
      // Recovery: the server answers again; after the cooldown (or Retry-After) the next request refetches.
      s.route('/switch.json', json(GOOD_SET));
      h.clock.t += f.path === '/429' ? 121 : 31;
      const successBefore = await h.refreshes('success');
      assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: recovery request`);
      await h.settled();
      assert.equal(await h.refreshes('success'), successBefore + 1, `${f.name}: recovered`);
    }
  } finally {
    await h.close();
  }
});

test('middleware: Retry-After of a 429 holds refetches back until it has passed', { timeout: 30_000 }, async () => {
  s.route('/ra.json', json(GOOD_SET));
  const h = await harness([{ jwksUri: `${s.url}/ra.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    s.route('/ra.json', json({ error: 'slow down' }, 429, { 'retry-after': '120' }));
    h.clock.t += 700;
    await h.call(LEGIT);
    await h.settled();
    const hits = s.counts.get('/ra.json')!;
    h.clock.t += 60; // past the 30 s cooldown, within Retry-After
    assert.equal((await h.call(LEGIT)).status, 200);
    await h.settled();
    assert.equal(s.counts.get('/ra.json'), hits, 'no refetch before Retry-After');
    h.clock.t += 61;
    await h.call(LEGIT);
    await h.settled();
    assert.equal(s.counts.get('/ra.json'), hits + 1, 'one refetch once it has passed');
  } finally {
    await h.close();
  }
});

test('middleware: past the stale bound a failing source rejects (jwks_unreachable), then recovers', { timeout: 30_000 }, async () => {
  s.route('/bound.json', json(GOOD_SET));
  const h = await harness([{ jwksUri: `${s.url}/bound.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    s.route('/bound.json', json({ error: 'boom' }, 500));
    h.clock.t += 600 + 3600 + 1; // TTL + staleIfError passed
    const r = await h.call(LEGIT);
    await h.settled();
    assert.deepEqual([r.status, r.reason], [401, 'jwks_unreachable']);
    s.route('/bound.json', json(GOOD_SET));
    h.clock.t += 31;
    await h.call(LEGIT);
    await h.settled();
    assert.equal((await h.call(LEGIT)).status, 200, 'recovered');
  } finally {
    await h.close();
  }
});

test('middleware: a set mixing a good key with published secrets, private keys and weak keys verifies only with the good key', { timeout: 30_000 }, async () => {
  s.route('/mixed.json', json({ keys: [goodJwk, ...OCT_SET.keys, ...LEAK_SET.keys, ...WEAK_SET.keys, ...OFF_CURVE_SET.keys] }));
  const h = await harness([{ jwksUri: `${s.url}/mixed.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    for (const [name, token] of Object.entries({ hs: FORGED.hs, leak: FORGED.leak, weak: FORGED.weak })) {
      const r = await h.call(token);
      assert.equal(r.status, 401, name);
      assert.match(r.challenge ?? '', /^Bearer /, name);
    }
  } finally {
    await h.close();
  }
});

test('middleware: a key the issuer later publishes with private members leaves the cached set at once', { timeout: 30_000 }, async () => {
  const leakPub = pubJwk(leaked.publicKey, 'leak');
  s.route('/later.json', json({ keys: [goodJwk, leakPub] }));
  const h = await harness([{ jwksUri: `${s.url}/later.json` }]);
  try {
    assert.equal((await h.call(FORGED.leak)).status, 200, 'signed by a key that was then public only');
    s.route('/later.json', json(LEAK_SET)); // the issuer now serves the private key: it has leaked
    h.clock.t += 700;
    await h.call(LEGIT);
    await h.settled();
    const r = await h.call(FORGED.leak);
    assert.equal(r.status, 401, 'the leaked key verifies nothing any more');
    assert.equal((await h.call(LEGIT)).status, 200, 'the rest of the last good set is still served');
  } finally {
    await h.close();
  }
});

test('middleware: discovery naming another issuer is not used; no token verifies with the keys it points to', { timeout: 30_000 }, async () => {
  const h = await harness([{ discovery: `${s.url}/liar` }]);
  try {
    const r = await h.call(FORGED.attacker);
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'discovery_issuer_mismatch');
  } finally {
    await h.close();
  }
});
