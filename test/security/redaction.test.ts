/**
 * Redaction (issue 8 item 8): with a known HMAC secret, a private key and
 * tokens, every CLI command in every format it supports, and the
 * middleware's logs, metrics, debug endpoint and responses, never contain
 * the secret (raw, base64, base64url, hex) or the private key (PEM body,
 * JWK private members); under --sanitize and in logs, never the token or
 * its signature. Key servers, API and verifier are real servers on
 * 127.0.0.1.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliBatch } from './cli_batch_client.ts';
import { Registry } from 'prom-client';
import { createJsonLineLogger, createVerifier, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import { json, startServer, type TestServer } from '../helpers/http_server.ts';
import { runCli, hasStackTrace, type CliResult } from '../helpers/cli.ts';

const NOW = Math.floor(Date.now() / 1000);
const ISS = 'https://auth.redaction.example.com';
const AUD = 'api-redaction';
// High entropy: any encoding of it in an output is a leak, not a coincidence.
const SECRET = `rs-${randomBytes(24).toString('hex')}`;
const SECRET_FORMS: Record<string, string> = {
  raw: SECRET,
  base64: Buffer.from(SECRET).toString('base64').replace(/=+$/, ''),
  base64url: Buffer.from(SECRET).toString('base64url'),
  hex: Buffer.from(SECRET).toString('hex'),
};
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const PRIVATE_JWK = rsa.privateKey.export({ format: 'jwk' }) as Record<string, string>;
const PUBLIC_JWK = { ...(rsa.publicKey.export({ format: 'jwk' }) as object), kid: 'k1', alg: 'RS256', use: 'sig' };
const PEM_BODY = PRIVATE_PEM.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
/** Pieces of the private key that must never show: PEM body slices (with or without line breaks) and every private JWK member. */
const PRIVATE_FORMS: Record<string, string> = {
  'pem line 2': PRIVATE_PEM.split('\n')[2]!,
  'pem body slice': PEM_BODY.slice(400, 440),
  'pem body tail': PEM_BODY.slice(-80, -40),
  ...Object.fromEntries(['d', 'p', 'q', 'dp', 'dq', 'qi'].map((m) => [`jwk ${m}`, PRIVATE_JWK[m]!.slice(0, 40)])),
};

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
function hsToken(claims: object, secret = SECRET): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
function rsToken(claims: object): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64(claims)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`;
}
const claims = (extra: object = {}) => ({
  iss: ISS,
  aud: AUD,
  sub: 'alice@example.com',
  email: 'alice@example.com',
  iat: NOW - 60,
  exp: NOW + 3600,
  ...extra,
});
const HS = hsToken(claims());
const HS_WRONG = hsToken(claims(), 'another-secret-another-secret-another');
const RS = rsToken(claims());
const RS_EXPIRED = rsToken(claims({ iat: NOW - 7200, exp: NOW - 3600 }));
const TOKENS = [HS, HS_WRONG, RS, RS_EXPIRED];
const signatureOf = (t: string) => t.slice(t.lastIndexOf('.') + 1);

function assertNoSecrets(where: string, text: string): void {
  for (const [form, value] of Object.entries(SECRET_FORMS)) assert.ok(!text.includes(value), `${where}: the HMAC secret (${form})`);
  for (const [form, value] of Object.entries(PRIVATE_FORMS)) assert.ok(!text.includes(value), `${where}: the private key (${form})`);
}
function assertNoTokens(where: string, text: string): void {
  for (const t of TOKENS) {
    assert.ok(!text.includes(t), `${where}: a full token`);
    assert.ok(!text.includes(signatureOf(t)), `${where}: a token signature`);
  }
}

let dir: string;
let keyServer: TestServer;
let api: TestServer;
let mwServer: Server;
let mwBase: string;
let verifier: Verifier;
const logLines: string[] = [];
const captured: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-redaction-'));
  // A JWKS that publishes the private members too (a leak the tool must report, never repeat).
  keyServer = await startServer({
    '/jwks.json': json({ keys: [{ ...PRIVATE_JWK, kid: 'k1', alg: 'RS256', use: 'sig' }] }),
    '/public.json': json({ keys: [PUBLIC_JWK] }),
  });
  api = await startServer({
    '/v1/me': (req, res) => {
      const ok = req.headers.authorization === `Bearer ${HS}`;
      res.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        date: new Date().toUTCString(),
        ...(ok ? {} : { 'www-authenticate': 'Bearer error="invalid_token"' }),
      });
      res.end(JSON.stringify({ ok }));
    },
    '/': (_req, res) => void res.writeHead(200, { date: new Date().toUTCString() }).end('ok'),
  });
  verifier = createVerifier(
    {
      name: 'staging',
      issuer: [ISS],
      audience: [AUD],
      algorithms: ['RS256', 'HS256'],
      keys: [{ jwksUri: `${keyServer.url}/jwks.json` }, { secret: { env: 'REDACT_SECRET' } }],
    },
    {
      registry: new Registry(),
      logger: createJsonLineLogger({ write: (c: string) => void logLines.push(c) }),
      debugEndpoint: true,
      metricsPath: '/metrics',
      vars: { REDACT_SECRET: SECRET },
    },
  );
  await verifier.ready();
  mwServer = createServer(
    withJwtAuth(
      verifier,
      (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub })),
    ),
  );
  await new Promise<void>((r) => mwServer.listen(0, '127.0.0.1', r));
  mwBase = `http://127.0.0.1:${(mwServer.address() as { port: number }).port}`;

  const env = (extra: object) => ({ issuer: ISS, audience: AUD, ...extra });
  const contract = (prodSecret: string) => ({
    version: 1,
    environments: {
      local: env({
        algorithms: ['HS256'],
        keys: [{ secret: { env: 'REDACT_SECRET' } }],
        issuerBaseUrl: api.url,
        api: { baseUrl: api.url, routes: [{ path: '/v1/me' }] },
      }),
      staging: env({
        algorithms: ['RS256'],
        keys: [{ jwksUri: `${keyServer.url}/jwks.json` }],
        verifier: { debugUrl: `${mwBase}/.well-known/jwt-doctor/keys`, metricsUrl: `${mwBase}/metrics` },
        policy: { tokenLifetimeSeconds: 3600 },
      }),
      prod: env({ algorithms: ['RS256', 'HS256'], keys: [{ pem: 'signer.private.pem' }, { secret: { value: prodSecret } }] }),
    },
  });
  writeFileSync(join(dir, 'auth-contract.json'), JSON.stringify(contract(SECRET)));
  writeFileSync(join(dir, 'auth-contract.v2.json'), JSON.stringify(contract(`${SECRET}-rotated`)));
  writeFileSync(join(dir, 'signer.private.pem'), PRIVATE_PEM);
  writeFileSync(join(dir, 'signer.private.jwk.json'), JSON.stringify({ ...PRIVATE_JWK, kid: 'k1' }));
  writeFileSync(
    join(dir, 'private.jwks.json'),
    JSON.stringify({
      keys: [
        { ...PRIVATE_JWK, kid: 'k1' },
        { kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), kid: 'hs' },
      ],
    }),
  );
  writeFileSync(join(dir, 'old.jwks.json'), JSON.stringify({ keys: [PUBLIC_JWK] }));
  writeFileSync(join(dir, 'tokens.txt'), `${RS}\n${RS_EXPIRED}\n`);
  writeFileSync(join(dir, 'token.txt'), HS);
  writeFileSync(join(dir, 'rs-token.txt'), RS);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'verifier.log'), `${JSON.stringify({ time: new Date().toISOString(), kid: 'k1', token: 'never-printed' })}\n`);
});

after(async () => {
  verifier?.close();
  mwServer?.closeAllConnections();
  await new Promise<void>((r) => (mwServer ? mwServer.close(() => r()) : r()));
  await keyServer?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  name: string;
  args: () => string[];
  formats: string[];
  sanitize?: boolean;
}
const c = () => ['-c', join(dir, 'auth-contract.json')];
/** Every command, with the formats it supports (see each command's --help). */
function runs(): Run[] {
  return [
    { name: 'decode', args: () => ['decode', HS], formats: ['text', 'json'], sanitize: true },
    {
      name: 'decode --token-file (RS)',
      args: () => ['decode', '--token-file', join(dir, 'rs-token.txt')],
      formats: ['text', 'json'],
      sanitize: true,
    },
    {
      name: 'diagnose --env local',
      args: () => ['diagnose', HS, ...c(), '-e', 'local'],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --env local, wrong secret',
      args: () => ['diagnose', HS_WRONG, ...c(), '-e', 'local'],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --secret VALUE',
      args: () => ['diagnose', HS_WRONG, '--iss', ISS, '--aud', AUD, '--secret', SECRET],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --secret @FILE (base64 reading)',
      args: () => ['diagnose', HS, '--secret', `@${join(dir, 'secret.txt')}`, '--secret-encoding', 'base64'],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --key private PEM',
      args: () => ['diagnose', RS, '--key', join(dir, 'signer.private.pem')],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --key private JWKS with an oct key',
      args: () => ['diagnose', HS_WRONG, '--key', join(dir, 'private.jwks.json')],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --env staging (served private members)',
      args: () => ['diagnose', RS_EXPIRED, ...c(), '-e', 'staging'],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    {
      name: 'diagnose --env prod (contract literal secret, private PEM)',
      args: () => ['diagnose', HS_WRONG, ...c(), '-e', 'prod'],
      formats: ['text', 'json', 'markdown'],
      sanitize: true,
    },
    { name: 'match', args: () => ['match', HS_WRONG, ...c()], formats: ['text', 'json'], sanitize: true },
    { name: 'match (RS)', args: () => ['match', RS, ...c()], formats: ['text', 'json'], sanitize: true },
    { name: 'keys --env staging', args: () => ['keys', ...c(), '-e', 'staging'], formats: ['text', 'json'] },
    { name: 'keys --env prod', args: () => ['keys', ...c(), '-e', 'prod'], formats: ['text', 'json'] },
    { name: 'keys URL with private members', args: () => ['keys', `${keyServer.url}/jwks.json`], formats: ['text', 'json'] },
    {
      name: 'keys private JWKS file',
      args: () => ['keys', join(dir, 'private.jwks.json'), '--alg', 'HS256', '--alg', 'RS256'],
      formats: ['text', 'json'],
    },
    { name: 'keys private JWK file', args: () => ['keys', join(dir, 'signer.private.jwk.json')], formats: ['text', 'json'] },
    {
      name: 'rotation check --env staging (debug endpoint)',
      args: () => ['rotation', 'check', ...c(), '-e', 'staging'],
      formats: ['text', 'json'],
    },
    {
      name: 'rotation overlap',
      args: () => [
        'rotation',
        'overlap',
        '--old',
        join(dir, 'old.jwks.json'),
        '--new',
        `${keyServer.url}/jwks.json`,
        '--tokens',
        join(dir, 'tokens.txt'),
        '--lifetime',
        '3600',
      ],
      formats: ['text', 'json'],
    },
    {
      name: 'rotation retire --log',
      args: () => ['rotation', 'retire', ...c(), '-e', 'staging', '--kid', 'k1', '--log', join(dir, 'verifier.log')],
      formats: ['text', 'json'],
    },
    {
      name: 'rotation retire --metrics-url',
      args: () => ['rotation', 'retire', ...c(), '-e', 'staging', '--kid', 'k1', '--interval', '1'],
      formats: ['text', 'json'],
    },
    {
      name: 'drift --signer-key private PEM',
      args: () => ['drift', ...c(), '--from', 'local', '--to', 'staging', '--signer-key', join(dir, 'signer.private.pem')],
      formats: ['text', 'json'],
    },
    {
      name: 'drift --signer-secret VALUE',
      args: () => ['drift', ...c(), '--from', 'local', '--to', 'prod', '--signer-secret', SECRET],
      formats: ['text', 'json'],
    },
    {
      name: 'drift --signer-secret env:NAME (hex reading)',
      args: () => [
        'drift',
        ...c(),
        '--from',
        'prod',
        '--to',
        'local',
        '--signer-secret',
        'env:REDACT_SECRET',
        '--signer-secret-encoding',
        'hex',
      ],
      formats: ['text', 'json'],
    },
    {
      name: 'contract diff (literal secret rotated)',
      args: () => ['contract', 'diff', join(dir, 'auth-contract.json'), join(dir, 'auth-contract.v2.json')],
      formats: ['markdown', 'json'],
    },
    { name: 'probe --env local', args: () => ['probe', ...c(), '-e', 'local', '-t', HS, '--no-echo'], formats: ['text', 'json'] },
    {
      name: 'probe (wrong token)',
      args: () => ['probe', ...c(), '-e', 'local', '--token-file', join(dir, 'token.txt'), '--route', '/v1/me'],
      formats: ['text', 'json'],
    },
    { name: 'clock --env local', args: () => ['clock', ...c(), '-e', 'local', '-t', HS, '--samples', '2'], formats: ['text', 'json'] },
  ];
}

interface Invocation {
  title: string;
  args: () => string[];
  sanitize: boolean;
}
const invocations: Invocation[] = runs().flatMap((run) =>
  run.formats.flatMap((format) =>
    (run.sanitize ? [false, true] : [false]).map((sanitize) => ({
      title: `${run.name} --format ${format}${sanitize ? ' --sanitize' : ''}`,
      args: () => [...run.args(), '--format', format, ...(sanitize ? ['--sanitize'] : [])],
      sanitize,
    })),
  ),
);

function checkOutput(title: string, r: CliResult, sanitize: boolean): void {
  const all = r.stdout + r.stderr;
  captured.push(all);
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  assert.ok(r.code !== null && r.code >= 0 && r.code <= 2, `exit ${r.code}: ${r.stderr}`);
  assert.ok(r.stdout.length > 0 || r.stderr.length > 0, 'no output at all');
  assertNoSecrets(title, all);
  if (sanitize) assertNoTokens(title, all);
}

describe('every command in every format (CLI main(), one process for the matrix)', () => {
  const results = new Map<string, CliResult>();
  before(async () => {
    // One process runs the whole matrix through the CLI's main() (test/security/cli_batch.ts), sequentially.
    const out = await runCliBatch(
      invocations.map((i) => i.args()),
      dir,
      { REDACT_SECRET: SECRET },
    );
    invocations.forEach((inv, i) => results.set(inv.title, out[i]!));
  });
  for (const inv of invocations) {
    test(inv.title, () => checkOutput(inv.title, results.get(inv.title)!, inv.sanitize));
  }
  test('the matrix ran the real commands (not vacuous)', () => {
    const diag = results.get('diagnose --env local --format json')!;
    assert.equal(diag.code, 0, diag.stderr);
    assert.equal((JSON.parse(diag.stdout) as { result: string }).result, 'valid');
    assert.ok(results.get('keys URL with private members --format json')!.stdout.includes('private_key_published'));
    assert.ok(results.get('decode --format text')!.stdout.includes('alice@example.com'), 'decode without --sanitize shows the claims');
    assert.ok(!results.get('decode --format text --sanitize')!.stdout.includes('alice@example.com'));
  });
});

describe('a sample through the real entry point (subprocess per command)', { concurrency: 2 }, () => {
  const sample = [
    'diagnose --env local --format text --sanitize',
    'keys URL with private members --format json',
    'drift --signer-key private PEM --format text',
    'contract diff (literal secret rotated) --format markdown',
  ];
  for (const title of sample) {
    test(title, async () => {
      const inv = invocations.find((i) => i.title === title)!;
      assert.ok(inv, title);
      checkOutput(title, await runCli(inv.args(), { env: { REDACT_SECRET: SECRET }, cwd: dir }), inv.sanitize);
    });
  }
});

describe('middleware: responses, logs, metrics, debug endpoint', () => {
  const texts: string[] = [];
  before(async () => {
    for (const t of [...TOKENS, `${HS}x`, `${RS.slice(0, -4)}AAAA`]) {
      for (const path of ['/orders/1', '/admin']) {
        const res = await fetch(`${mwBase}${path}`, { headers: { authorization: `Bearer ${t}`, 'x-request-id': 'r1' } });
        texts.push(JSON.stringify([...res.headers.entries()]) + (await res.text()));
      }
    }
  });

  test('the tokens really went through (valid ones 200, forged ones rejected and logged)', async () => {
    assert.ok(texts.some((t) => t.includes('"sub"')));
    assert.ok(logLines.length >= 4);
  });

  test('responses never carry the secret, the private key, a token or a signature', () => {
    for (const t of texts) {
      assertNoSecrets('response', t);
      assertNoTokens('response', t);
    }
  });

  test('the rejection log never carries the secret, the private key, a token or a signature', () => {
    const all = logLines.join('');
    for (const line of all.split('\n').filter((l) => l !== '')) assert.equal(typeof JSON.parse(line), 'object');
    assertNoSecrets('log', all);
    assertNoTokens('log', all);
  });

  test('metrics and the key debug endpoint carry neither the secret nor the private members served to it', async () => {
    for (const path of ['/metrics', '/.well-known/jwt-doctor/keys']) {
      const res = await fetch(`${mwBase}${path}`);
      assert.equal(res.status, 200, path);
      const body = await res.text();
      assertNoSecrets(path, body);
      assertNoTokens(path, body);
    }
  });
});

test('the redaction checks can fail: the forms are present in a deliberate leak', () => {
  assert.throws(() => assertNoSecrets('x', `..${Buffer.from(SECRET).toString('hex')}..`));
  assert.throws(() => assertNoSecrets('x', JSON.stringify(PRIVATE_JWK)));
  assert.throws(() => assertNoSecrets('x', PRIVATE_PEM));
  assert.throws(() => assertNoTokens('x', `sig=${signatureOf(RS)}`));
  assert.ok(captured.length > 0);
});
