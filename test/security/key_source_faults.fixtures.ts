/**
 * The JWKS and discovery fault matrix (issue 8, item 5), shared by its CLI
 * and middleware halves (key_source_faults_cli / _middleware.test.ts):
 * keys, tokens (legitimate and forged), and real HTTP servers on 127.0.0.1
 * (one per origin) whose paths each answer one fault.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startServer, json, hang, type Handler, type TestServer } from '../helpers/http_server.ts';
import { NOW, NOW_ISO } from '../helpers/clock.ts';

export { NOW, NOW_ISO };
export const ISS = 'https://auth.faults.example.com';
export const AUD = 'api-faults';
// The CLI's fetch timeout (subprocesses start slowly on a loaded machine) and the middleware's (in process).
export const TIMEOUT_MS = 4000;
export const MW_TIMEOUT_MS = 1500;

// ---- keys and tokens -------------------------------------------------------

interface Signer {
  kid: string;
  alg: 'RS256' | 'HS256';
  key: KeyObject | Buffer;
}
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
export const pubJwk = (k: KeyObject, kid: string, alg = 'RS256') => ({
  ...(k.export({ format: 'jwk' }) as Record<string, unknown>),
  kid,
  alg,
  use: 'sig',
});
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function mint(s: Signer, claims: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: s.alg, typ: 'JWT', kid: s.kid })}.${b64({ iss: ISS, aud: AUD, sub: 'user-1', iat: NOW - 60, exp: NOW + 30 * 86400, ...claims })}`;
  const sig =
    s.alg === 'HS256'
      ? createHmac('sha256', s.key as Buffer)
          .update(input)
          .digest()
      : sign('sha256', Buffer.from(input), s.key as KeyObject);
  return `${input}.${sig.toString('base64url')}`;
}

const good = rsa(2048);
export const goodJwk = pubJwk(good.publicKey, 'good');
export const GOOD_SET = { keys: [goodJwk] };
// The attacker's own key, served under the real kid by another origin or a lying discovery document.
const attacker = rsa(2048);
export const ATTACKER_SET = { keys: [pubJwk(attacker.publicKey, 'good')] };
export const leaked = rsa(2048);
export const LEAK_SET = {
  keys: [{ ...(leaked.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'leak', alg: 'RS256', use: 'sig' }],
};
const secret = randomBytes(32);
export const OCT_SET = { keys: [{ kty: 'oct', kid: 'hs', alg: 'HS256', use: 'sig', k: secret.toString('base64url') }] };
const weak = rsa(512);
export const WEAK_SET = { keys: [pubJwk(weak.publicKey, 'r512')] };
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecJwk = pubJwk(ec.publicKey, 'off', 'ES256') as Record<string, string>;
const yBytes = Buffer.from(ecJwk.y!, 'base64url');
yBytes[yBytes.length - 1]! ^= 0x01; // (x, y') is not on P-256
export const OFF_CURVE_SET = { keys: [{ ...ecJwk, y: yBytes.toString('base64url') }] };

export const LEGIT = mint({ kid: 'good', alg: 'RS256', key: good.privateKey });
export const FORGED = {
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
export const hugeSent: number[] = [];
export const HUGE_BYTES = 100 * 1024 * 1024;
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
export const redirect =
  (to: () => string): Handler =>
  (_req, res) =>
    void res.writeHead(302, { location: to() }).end();
export const typed =
  (type: string, body: string): Handler =>
  (_req, res) =>
    void res.writeHead(200, { 'content-type': type }).end(body);

/** Each fault's answer, served at its path and switched in on the middleware's JWKS URL. */
export const FAULT_HANDLERS: Record<string, Handler> = {
  '/hang': hang,
  '/drip': drip,
  '/500': json({ error: 'boom' }, 500),
  '/429': json({ error: 'slow down' }, 429, { 'retry-after': '120' }),
  '/redirect-same': redirect(() => '/good.json'),
  '/redirect-cross': redirect(() => `${ctx.evil.url}/jwks.json`),
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

/** The servers of the matrix: `ctx.s` serves every fault at its path, `ctx.evil` is another origin. */
export const ctx = {} as { s: TestServer; evil: TestServer; dir: string };

/** Starts the servers before the file's tests and stops them after (call once per test file). */
export function useFaultServers(): void {
  test.before(async () => {
    ctx.dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-faults-'));
    ctx.evil = await startServer({ '/jwks.json': json(ATTACKER_SET) });
    const s = (ctx.s = await startServer({ '/good.json': json(GOOD_SET), '/evil.json': json(ATTACKER_SET), ...FAULT_HANDLERS }));
    s.route('/idp/.well-known/openid-configuration', json({ issuer: `${s.url}/idp`, jwks_uri: `${s.url}/good.json` }));
    s.route('/liar/.well-known/openid-configuration', json({ issuer: 'https://evil.example', jwks_uri: `${s.url}/evil.json` }));
    s.route(
      '/hop/.well-known/openid-configuration',
      redirect(() => `${ctx.evil.url}/.well-known/openid-configuration`),
    );
  });
  test.after(async () => {
    await ctx.s.close();
    await ctx.evil.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });
}

// ---- the matrix ----------------------------------------------------------------

export interface Fault {
  name: string;
  path: string;
  /** The reason code every front end reports. */
  code: string;
  /** Expected members of the finding's detail. */
  detail?: (url: string) => Record<string, unknown>;
  /** A token an attacker could mint with this fault: never accepted. */
  forged?: string;
}

export const FAULTS: Fault[] = [
  { name: 'hang', path: '/hang', code: 'jwks_unreachable', detail: () => ({ error: 'timeout' }) },
  { name: 'slow drip (1 byte/s)', path: '/drip', code: 'jwks_unreachable', detail: () => ({ error: 'timeout' }) },
  { name: '500', path: '/500', code: 'jwks_unreachable', detail: () => ({ error: 'http_status', status: 500 }) },
  {
    name: '429 with Retry-After',
    path: '/429',
    code: 'jwks_unreachable',
    detail: () => ({ error: 'http_status', status: 429, retryAfterSeconds: 120 }),
  },
  {
    name: 'redirect, same origin (not opted in)',
    path: '/redirect-same',
    code: 'jwks_unreachable',
    detail: (u) => ({ error: 'redirect', redirect: `${u}/good.json` }),
  },
  {
    name: 'redirect, cross origin',
    path: '/redirect-cross',
    code: 'jwks_unreachable',
    detail: () => ({ error: 'redirect', redirect: `${ctx.evil.url}/jwks.json` }),
    forged: FORGED.attacker,
  },
  { name: '100 MB body, chunked', path: '/huge', code: 'jwks_unreachable', detail: () => ({ error: 'too_large' }) },
  { name: '100 MB body, declared', path: '/huge-declared', code: 'jwks_unreachable', detail: () => ({ error: 'too_large' }) },
  { name: 'invalid JSON', path: '/invalid-json', code: 'jwks_unreachable', detail: () => ({ error: 'invalid_json' }) },
  {
    name: 'HTML',
    path: '/html',
    code: 'jwks_unreachable',
    detail: () => ({ error: 'content_type', contentType: 'text/html; charset=utf-8' }),
  },
  {
    name: 'wrong content type',
    path: '/wrong-type',
    code: 'jwks_unreachable',
    detail: () => ({ error: 'content_type', contentType: 'text/plain' }),
    forged: FORGED.attacker,
  },
  { name: 'connection reset mid-body', path: '/reset', code: 'jwks_unreachable', detail: () => ({ error: 'network' }) },
  {
    name: 'private members',
    path: '/private',
    code: 'private_key_published',
    detail: () => ({ kid: 'leak', excluded: true, members: ['d', 'p', 'q', 'dp', 'dq', 'qi'] }),
    forged: FORGED.leak,
  },
  {
    name: 'oct key',
    path: '/oct',
    code: 'private_key_published',
    detail: () => ({ kid: 'hs', excluded: true, members: ['k'] }),
    forged: FORGED.hs,
  },
  { name: 'EC point off the curve', path: '/off-curve', code: 'ec_point_invalid', detail: () => ({ kid: 'off', excluded: true }) },
  {
    name: '512-bit RSA',
    path: '/rsa512',
    code: 'rsa_key_too_small',
    detail: () => ({ kid: 'r512', bits: 512, excluded: true }),
    forged: FORGED.weak,
  },
];

export const OWNER: Record<string, string> = { private: 'signer', oct: 'secrets' };

export function assertDetail(f: { detail?: Record<string, unknown> } | undefined, want: Record<string, unknown>, label: string): void {
  assert.ok(f, `${label}: finding present`);
  for (const [k, v] of Object.entries(want)) assert.deepEqual(f.detail?.[k], v, `${label}: detail.${k}`);
}

export type DiagnosisJson = {
  result: string;
  signature: { status: string };
  findings: { code: string; severity: string; owner?: string; expected?: unknown; actual?: unknown; detail?: Record<string, unknown> }[];
};
export const parsed = (r: CliResult) => JSON.parse(r.stdout) as DiagnosisJson;

export function writeContract(name: string, keys: unknown[], issuer = ISS): string {
  const file = join(ctx.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ version: 1, environments: { prod: { issuer, audience: AUD, keys } } }));
  return file;
}
export const diagnoseCli = (token: string, contract: string) =>
  runCli([
    'diagnose',
    token,
    '--contract',
    contract,
    '--env',
    'prod',
    '--timeout',
    String(TIMEOUT_MS),
    '--now',
    NOW_ISO,
    '--format',
    'json',
  ]);

/** One environment whose key sources are every fault at once (one CLI run reports them all, each by its URL). */
export const faultContract = () =>
  writeContract(
    'faults',
    FAULTS.map((f) => ({ jwksUri: `${ctx.s.url}${f.path}` })),
  );
export const ofSource = (d: { findings: DiagnosisJson['findings'] }, f: Fault) =>
  d.findings.find((x) => x.code === f.code && x.severity === 'error' && x.detail?.location === `${ctx.s.url}${f.path}`);
