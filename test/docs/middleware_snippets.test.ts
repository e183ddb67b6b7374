import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every ```ts block of docs/middleware.md is a complete program, run here as written (the
// package name resolves to src/ through a resolution hook), and what it claims is asserted.
const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(root, 'docs/middleware.md'), 'utf8');
const ISS = 'https://auth.example.com';
const AUD = 'web-prod';
const KID = 'staging-docs';

interface Snippet {
  name: string;
  code: string;
}

/** The ```ts blocks, each named by the `<!-- snippet: NAME -->` line just above it. */
function extractSnippets(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  for (const m of markdown.matchAll(/(?:<!-- snippet: ([\w-]+) -->\n)?```ts\n([\s\S]*?)\n```/g)) out.push({ name: m[1] ?? `(unnamed block ${out.length + 1})`, code: m[2]! });
  return out;
}

let dir: string;
let key: KeyObject;
const children: ChildProcess[] = [];

before(() => {
  // Inside node_modules so the snippets' own imports (express, fastify, prom-client) resolve.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules/.cache/jwt-doctor-snippets-'));
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  key = pair.privateKey;
  mkdirSync(join(dir, 'keys'));
  writeFileSync(join(dir, 'keys/staging.jwks.json'), JSON.stringify({ keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] }));
  writeFileSync(join(dir, 'auth-contract.yaml'), ['version: 1', 'environments:', '  staging:', `    issuer: ${ISS}`, `    audience: ${AUD}`, '    algorithms: [RS256]', '    keys:', '      - jwksFile: keys/staging.jwks.json', ''].join('\n'));
});

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill();
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function token(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64({ iss: ISS, aud: AUD, sub: 'user-1', iat: now - 60, exp: now + 600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
const expired = () => token({ iat: Math.floor(Date.now() / 1000) - 4000, exp: Math.floor(Date.now() / 1000) - 3000 });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts a snippet as its own Node process, the way a user runs a file. */
function start(snippet: Snippet, env: Record<string, string> = {}): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const file = join(dir, `${snippet.name}.mts`);
  writeFileSync(file, snippet.code + '\n');
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const hook = fileURLToPath(new URL('./register_jwt_doctor.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--import', tsx, '--import', hook, file], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, done };
}

/** Runs a server snippet on a free port until it answers, then the claims, then stops it. */
async function withServer(snippet: Snippet, claims: (base: string, output: () => string) => Promise<void>): Promise<void> {
  const port = await freePort();
  const run = start(snippet, { PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (run.child.exitCode !== null) assert.fail(`snippet ${snippet.name} exited ${run.child.exitCode}:\n${run.output()}`);
      try {
        await fetch(base, { signal: AbortSignal.timeout(1000) });
        break;
      } catch {
        if (i > 300) assert.fail(`snippet ${snippet.name} never listened:\n${run.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await claims(base, run.output);
  } finally {
    run.child.kill();
    await run.done;
  }
}

async function runToEnd(snippet: Snippet, env: Record<string, string> = {}): Promise<string> {
  const run = start(snippet, env);
  const timer = setTimeout(() => run.child.kill(), 60_000);
  const code = await run.done;
  clearTimeout(timer);
  assert.equal(code, 0, `snippet ${snippet.name} failed:\n${run.output()}`);
  return run.output();
}

const CLAIMS: Record<string, (s: Snippet) => Promise<void>> = {
  'node-http': (s) =>
    withServer(s, async (base) => {
      assert.equal((await fetch(`${base}/v1/orders/7`)).status, 401);
      const order = await fetch(`${base}/v1/orders/7`, { headers: bearer(token()) });
      assert.equal(order.status, 200);
      assert.equal(await order.text(), 'user-1');
      // The admin route is protected: a valid token without the admin scope is refused.
      const nonAdmin = await fetch(`${base}/v1/admin`, { headers: bearer(token({ scope: 'orders:read' })) });
      assert.equal(nonAdmin.status, 403);
      assert.match(nonAdmin.headers.get('www-authenticate')!, /error="insufficient_scope".*scope="admin"/);
      const admin = await fetch(`${base}/v1/admin?x=1`, { headers: bearer(token({ scope: 'orders:read admin' })) });
      assert.equal(admin.status, 200);
      assert.equal((await fetch(`${base}/v1/admin`, { headers: bearer(expired()) })).status, 401);
    }),
  express: (s) =>
    withServer(s, async (base) => {
      const order = await fetch(`${base}/v1/orders/7`, { headers: bearer(token()) });
      assert.deepEqual(await order.json(), { sub: 'user-1', id: '7' });
      const none = await fetch(`${base}/v1/orders/7`);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="staging"');
      assert.equal((await fetch(`${base}/v1/orders`, { method: 'POST', headers: bearer(token()) })).status, 403);
      assert.equal((await fetch(`${base}/v1/orders`, { method: 'POST', headers: bearer(token({ scope: 'orders:write' })) })).status, 201);
      assert.deepEqual(await (await fetch(`${base}/v1/catalog`)).json(), { personalized: false });
      assert.deepEqual(await (await fetch(`${base}/v1/catalog`, { headers: bearer(token()) })).json(), { personalized: true });
      assert.equal((await fetch(`${base}/v1/catalog`, { headers: bearer(expired()) })).status, 401);
      const problem = await fetch(`${base}/v2/orders/7`, { headers: { ...bearer(expired()), 'x-request-id': 'req-docs' } });
      assert.equal(problem.status, 401);
      assert.match(problem.headers.get('content-type')!, /^application\/problem\+json/);
      assert.match(problem.headers.get('www-authenticate')!, /error_description="token_expired"/);
      assert.deepEqual(await problem.json(), { type: 'https://docs.example.com/errors/token_expired', status: 401, request_id: 'req-docs' });
      assert.deepEqual(await (await fetch(`${base}/v2/orders/7`, { headers: bearer(token()) })).json(), { sub: 'user-1' });
    }),
  fastify: (s) =>
    withServer(s, async (base, output) => {
      assert.deepEqual(await (await fetch(`${base}/v1/orders/7`, { headers: bearer(token()) })).json(), { sub: 'user-1' });
      const bad = await fetch(`${base}/v1/orders/7`, { headers: bearer(expired()) });
      assert.equal(bad.status, 401);
      const body = (await bad.json()) as { error_description: string; request_id: string };
      assert.equal(body.error_description, 'token_expired');
      assert.equal((await fetch(`${base}/v1/admin`, { headers: bearer(token()) })).status, 403);
      assert.equal((await fetch(`${base}/v1/admin`, { headers: bearer(token({ scope: 'admin' })) })).status, 200);
      assert.deepEqual(await (await fetch(`${base}/v1/catalog`)).json(), { personalized: false });
      assert.deepEqual(await (await fetch(`${base}/v1/catalog`, { headers: bearer(token()) })).json(), { personalized: true });
      assert.equal((await fetch(`${base}/v1/catalog`, { headers: bearer(expired()) })).status, 401);
      assert.equal((await fetch(`${base}/health`)).status, 200);
      // The rejection went to request.log under Fastify's reqId, the body's request_id.
      const lines = output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const rec = lines.find((l) => l.event === 'jwt_auth_rejected' && l.reason === 'token_expired')!;
      assert.equal(rec.reqId, body.request_id);
      assert.equal(rec.requestId, body.request_id);
    }),
  revocation: async (s) => {
    writeFileSync(join(dir, 'revoked.txt'), '# revoked sessions\njti-stolen\n');
    await withServer(s, async (base) => {
      const ok = await fetch(`${base}/v1/orders/7`, { headers: bearer(token({ jti: 'jti-fine' })) });
      assert.deepEqual([ok.status, await ok.text()], [200, 'user-1']);
      const revoked = await fetch(`${base}/v1/orders/7`, { headers: bearer(token({ jti: 'jti-stolen' })) });
      assert.equal(revoked.status, 401);
      assert.match(revoked.headers.get('www-authenticate')!, /error="invalid_token", error_description="token_revoked"/);
      // The deny list gone: fail closed for a jti the cache has not seen.
      rmSync(join(dir, 'revoked.txt'));
      const down = await fetch(`${base}/v1/orders/7`, { headers: bearer(token({ jti: 'jti-new' })) });
      assert.equal(down.status, 503);
      assert.equal(((await down.json()) as { error_description: string }).error_description, 'revocation_unavailable');
    });
  },
  verify: async (s) => {
    assert.equal((await runToEnd(s, { TOKEN: token() })).trim(), 'ok user-1');
    assert.equal((await runToEnd(s, { TOKEN: expired() })).trim(), '401 token_expired');
  },
  'signer-metrics': async (s) => {
    const out = await runToEnd(s);
    assert.match(out, /^jwt_tokens_issued_total\{kid="2026-12"\} 1$/m);
    assert.match(out, /^jwt_tokens_issued_total\{kid="unknown"\} 1$/m);
  },
};

test('every TypeScript snippet of docs/middleware.md is named and has its claims checked', () => {
  const names = extractSnippets(doc).map((s) => s.name);
  assert.deepEqual([...names].sort(), Object.keys(CLAIMS).sort());
});

test('every TypeScript snippet of docs/middleware.md compiles under the project\'s strict settings', async () => {
  const check = mkdtempSync(join(dir, 'tsc-'));
  for (const s of extractSnippets(doc)) writeFileSync(join(check, `${s.name}.mts`), s.code + '\n');
  const paths = { 'jwt-doctor': [join(root, 'src/index.ts')], 'jwt-doctor/middleware': [join(root, 'src/middleware/index.ts')] };
  writeFileSync(join(check, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { paths }, include: ['*.mts'] }));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = await new Promise<{ code: number; out: string }>((resolve) => execFile(process.execPath, [tsc, '-p', check], { timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr })));
  assert.equal(result.code, 0, result.out);
});

for (const snippet of extractSnippets(doc)) {
  test(`docs/middleware.md snippet "${snippet.name}" runs as written and does what it says`, async () => {
    const claims = CLAIMS[snippet.name];
    assert.ok(claims, `no claims for snippet ${snippet.name}`);
    await claims(snippet);
  });
}
