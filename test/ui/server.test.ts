/**
 * The ui server as a browser and an attacker's page would reach it: real
 * HTTP on 127.0.0.1 (node:http, so Host, Origin and the body can be set to
 * anything), the examples contract, a fixed clock. Refusals are read by
 * their status and JSON code; the diagnosis is compared with what
 * `diagnose --format json` prints for the same token.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_NOW, EXAMPLES_NOW_ISO, REPO, SEED_LINES } from '../helpers/index.ts';
import { loadContract } from '../../src/contract/load.ts';
import { matchEnvironments } from '../../src/match.ts';
import { diagnoseCommand } from '../../src/cli/commands/diagnose.ts';
import { uiCommand } from '../../src/cli/commands/ui.ts';
import { errors } from '../../src/index.ts';
import { SECURITY_HEADERS, MAX_BODY_BYTES } from '../../src/ui/guard.ts';
import { startUiServer, type UiServer } from '../../src/ui/server.ts';
import { builtPage } from './build_page.ts';

const CONTRACT_FILE = 'examples/auth-contract.yaml';
const contract = loadContract(join(REPO, CONTRACT_FILE));
const TOKEN = readFileSync(join(REPO, 'examples/tokens/local-login.jwt'), 'utf8').trim();
const HS_TOKEN = readFileSync(join(REPO, 'examples/tokens/local-hs256.jwt'), 'utf8').trim();
let ui: UiServer;

before(async () => {
  ui = await startUiServer({ contract, contractFile: CONTRACT_FILE, assetsDir: await builtPage(), now: EXAMPLES_NOW });
});
after(() => ui.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { error?: { code: string } } & Record<string, unknown>;
}

/** One raw request: every header as given (Host included), the body as given. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: ui.port, method, path, headers: { host: `127.0.0.1:${ui.port}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const auth = () => ({ 'x-jwt-doctor-token': ui.accessToken });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw('POST', path, { ...auth(), 'content-type': 'application/json', ...headers }, JSON.stringify(body));

test('the URL is 127.0.0.1 with a 32-byte base64url access token; the page is served with every security header', async () => {
  assert.match(ui.url, new RegExp(`^http://127\\.0\\.0\\.1:${ui.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  assert.equal(Buffer.from(ui.accessToken, 'base64url').length, 32);
  for (const [path, type] of [
    ['/', /^text\/html/],
    ['/app.js', /^text\/javascript/],
    ['/app.css', /^text\/css/],
  ] as const) {
    const r = await raw('GET', path);
    assert.equal(r.status, 200, path);
    assert.match(String(r.headers['content-type']), type);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(r.headers[name.toLowerCase()], value, `${path} ${name}`);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  }
  const csp = SECURITY_HEADERS['Content-Security-Policy']!;
  for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'none'"])
    assert.ok(csp.includes(directive), directive);
  assert.doesNotMatch(csp, /https?:|\*|unsafe/);
});

test('API refusals: no access token, a wrong one, a foreign Host (DNS rebinding), a foreign Origin or site', async () => {
  const cases: [string, Promise<Answer>, number, string][] = [
    ['no token', raw('GET', '/api/environments'), 403, 'access_token_required'],
    ['wrong token', raw('GET', '/api/environments', { 'x-jwt-doctor-token': 'x'.repeat(43) }), 403, 'access_token_invalid'],
    ['token in the query only', raw('GET', `/api/environments?token=${ui.accessToken}`), 403, 'access_token_required'],
    ['rebinding Host', raw('GET', '/api/environments', { ...auth(), host: `attacker.example:${ui.port}` }), 403, 'host_not_allowed'],
    ['rebinding Host, the page', raw('GET', '/', { host: `attacker.example:${ui.port}` }), 403, 'host_not_allowed'],
    ['other port in Host', raw('GET', '/api/environments', { ...auth(), host: '127.0.0.1:1' }), 403, 'host_not_allowed'],
    [
      'foreign Origin',
      post('/api/diagnose', { input: TOKEN, env: 'staging' }, { origin: 'http://attacker.example' }),
      403,
      'origin_not_allowed',
    ],
    ['null Origin', post('/api/explain', { text: 'x' }, { origin: 'null' }), 403, 'origin_not_allowed'],
    ['cross-site fetch', raw('GET', '/api/environments', { ...auth(), 'sec-fetch-site': 'cross-site' }), 403, 'origin_not_allowed'],
  ];
  for (const [name, pending, status, code] of cases) {
    const r = await pending;
    assert.deepEqual([r.status, r.json().error?.code], [status, code], name);
    assert.equal(r.headers['content-security-policy'], SECURITY_HEADERS['Content-Security-Policy'], name);
    assert.equal(r.headers['access-control-allow-origin'], undefined, name);
    assert.ok(!r.text.includes(ui.accessToken), name);
  }
  // The positive controls: the page's own origin, under either name.
  assert.equal((await post('/api/explain', { text: 'x' }, { origin: `http://127.0.0.1:${ui.port}` })).status, 200);
  const viaLocalhost = { host: `localhost:${ui.port}`, origin: `http://localhost:${ui.port}`, 'sec-fetch-site': 'same-origin' };
  assert.equal((await raw('GET', '/api/environments', { ...auth(), ...viaLocalhost })).status, 200);
});

test('API refusals: oversize body (declared or streamed), wrong method, not JSON, bad fields', async () => {
  const big = JSON.stringify({ input: 'a'.repeat(MAX_BODY_BYTES), env: 'staging' });
  const cases: [string, Promise<Answer>, number, string][] = [
    ['declared oversize', post('/api/diagnose', JSON.parse(big)), 413, 'body_too_large'],
    [
      'streamed oversize',
      raw('POST', '/api/diagnose', { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, big),
      413,
      'body_too_large',
    ],
    ['GET a POST route', raw('GET', '/api/diagnose', auth()), 405, 'method_not_allowed'],
    ['PUT', raw('PUT', '/api/explain', { ...auth(), 'content-type': 'application/json' }, '{}'), 405, 'method_not_allowed'],
    ['POST the page', raw('POST', '/', { 'content-type': 'application/json' }, '{}'), 405, 'method_not_allowed'],
    ['text/plain', raw('POST', '/api/explain', { ...auth(), 'content-type': 'text/plain' }, '{"text":"x"}'), 415, 'content_type_not_json'],
    [
      'form',
      raw('POST', '/api/explain', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, 'text=x'),
      415,
      'content_type_not_json',
    ],
    ['not JSON', raw('POST', '/api/explain', { ...auth(), 'content-type': 'application/json' }, '{"text":'), 400, 'invalid_json'],
    ['no input', post('/api/diagnose', { env: 'staging' }), 400, 'invalid_request'],
    ['array body', post('/api/diagnose', [TOKEN]), 400, 'invalid_request'],
    ['unknown env', post('/api/diagnose', { input: TOKEN, env: 'qa' }), 400, 'unknown_environment'],
    ['prototype env', post('/api/diagnose', { input: TOKEN, env: '__proto__' }), 400, 'unknown_environment'],
    ['unknown API', raw('GET', '/api/keys', auth()), 404, 'not_found'],
    ['unknown file', raw('GET', '/../package.json'), 404, 'not_found'],
  ];
  for (const [name, pending, status, code] of cases) {
    const r = await pending;
    assert.deepEqual([r.status, r.json().error?.code], [status, code], name);
  }
});

test('POST /api/diagnose: the diagnosis diagnose --format json prints, the seed delta, claim rows, match table, reports', async () => {
  const r = await post('/api/diagnose', { input: TOKEN, env: 'staging' });
  assert.equal(r.status, 200);
  const body = r.json() as unknown as import('../../src/ui/api.ts').DiagnoseResponse;
  const cli = { text: '', write: (s: string) => ((cli.text += s), true) };
  await diagnoseCommand(TOKEN, { contract: join(REPO, CONTRACT_FILE), env: 'staging', now: EXAMPLES_NOW_ISO, format: 'json' }, cli);
  assert.deepEqual(body.diagnosis, JSON.parse(cli.text));
  assert.deepEqual(body.delta.split('\n'), [...SEED_LINES]);
  const errorCodes = new Set(body.diagnosis.findings.filter((f) => f.severity === 'error').map((f) => f.code));
  assert.deepEqual(new Set(body.rows.filter((row) => row.status === 'fail').flatMap((row) => row.codes)), errorCodes);
  const row = (claim: string) => body.rows.find((x) => x.claim === claim);
  assert.deepEqual([row('iss')?.status, row('iss')?.codes, row('iss')?.owner], ['fail', ['issuer_mismatch'], 'verifier']);
  assert.equal(row('iss')?.team, 'orders-team');
  assert.deepEqual(
    [row('signature')?.status, row('header.alg')?.status, row('exp')?.status, row('sub')?.status],
    ['pass', 'pass', 'pass', 'pass'],
  );
  const { diagnoses: _d, ...match } = await matchEnvironments(TOKEN, contract, { now: EXAMPLES_NOW });
  assert.deepEqual(body.match, match);
  assert.match(body.markdown, /^# JWT diagnosis: staging: `claim_mismatch`/);
  assert.ok(!body.markdown.includes('user-1234'), 'the Markdown report is sanitized: sub is hashed');
  assert.equal(body.command, `jwt-doctor diagnose "$TOKEN" --contract ${CONTRACT_FILE} --env staging --now 2026-11-28T12:05:00.000Z`);
  assert.deepEqual(body.input, { kind: 'token' });
});

test('POST /api/diagnose reads a header line as the token, and a curl command as diagnose --headers does', async () => {
  const line = (await post('/api/diagnose', { token: `Authorization: Bearer ${TOKEN}`, env: 'staging' })).json();
  assert.deepEqual([line.input, (line.diagnosis as { result: string }).result], [{ kind: 'token' }, 'claim_mismatch']);
  const curl = `curl -sS https://api.staging.example.com/v1/me \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: Bearer ${TOKEN}'`;
  const c = (await post('/api/diagnose', { input: curl, env: 'staging' })).json();
  assert.deepEqual([c.input, (c.diagnosis as { result: string }).result], [{ kind: 'headers', format: 'curl_command' }, 'claim_mismatch']);
  assert.match(String(c.command), /^jwt-doctor diagnose --headers - /);
  const wrongScheme = (await post('/api/diagnose', { input: `curl -H 'Authorization: Token ${TOKEN}' https://x`, env: 'local' })).json();
  const findings = (wrongScheme.diagnosis as { findings: { code: string; detail?: { problem?: string } }[] }).findings;
  assert.ok(findings.some((f) => f.code === 'header_malformed' && f.detail?.problem === 'wrong_scheme'));
});

test('no response carries key material: no secret, no private or public key parameters, no PEM', async () => {
  const secret = readFileSync(join(REPO, 'examples/keys/local.secret'), 'utf8').trim();
  const jwks = ['staging', 'prod'].flatMap(
    (e) => (JSON.parse(readFileSync(join(REPO, `examples/keys/${e}.jwks.json`), 'utf8')) as { keys: Record<string, string>[] }).keys,
  );
  const params = jwks.flatMap((k) => ['n', 'x', 'y', 'd', 'p', 'q'].map((p) => k[p]).filter((v): v is string => typeof v === 'string'));
  assert.ok(params.length > 0 && secret.length > 0, 'the forbidden strings are read');
  const answers = [
    await post('/api/diagnose', { input: HS_TOKEN, env: 'local' }),
    await post('/api/diagnose', { input: TOKEN, env: 'staging' }),
    await post('/api/diagnose', { input: TOKEN, env: 'prod' }),
    await raw('GET', '/api/environments', auth()),
  ];
  const hs = answers[0]!.json() as { diagnosis: { findings: { code: string }[] } };
  assert.ok(
    hs.diagnosis.findings.some((f) => f.code === 'secret_encoding_mismatch'),
    'the secret was used by the server',
  );
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.ok(!a.text.includes(secret), 'the HMAC secret');
    for (const p of params) assert.ok(!a.text.includes(p), 'a JWK parameter');
    assert.doesNotMatch(a.text, /BEGIN [A-Z ]*KEY/);
  }
});

test('GET /api/environments lists the picker entries; POST /api/explain translates a verifier message', async () => {
  const envs = (await raw('GET', '/api/environments', auth())).json() as unknown as import('../../src/ui/api.ts').EnvironmentsResponse;
  assert.deepEqual(
    envs.environments.map((e) => [e.name, e.production]),
    Object.keys(contract.environments).map((n) => [n, contract.environments[n]!.production === true]),
  );
  const hit = (await post('/api/explain', { text: 'JsonWebTokenError: jwt expired' })).json();
  assert.equal((hit.translation as { code: string }).code, 'token_expired');
  assert.equal((await post('/api/explain', { text: 'nothing known' })).json().translation, null);
});

test('uiCommand: the first line printed is the URL; it serves until stopped, then exits 0; usage errors exit 2', async () => {
  const out = { text: '', write: (s: string) => ((out.text += s), true) };
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const running = uiCommand(
    { contract: join(REPO, CONTRACT_FILE), open: false, assetsDir: await builtPage(), now: EXAMPLES_NOW_ISO },
    out,
    stopped,
  );
  while (!out.text.includes('\n')) await new Promise((r) => setTimeout(r, 20));
  const url = new URL(out.text.split('\n')[0]!);
  assert.equal(url.hostname, '127.0.0.1');
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const api = await fetch(new URL('/api/environments', url), { headers: { 'x-jwt-doctor-token': url.searchParams.get('token')! } });
  assert.equal(api.status, 200);
  stop();
  assert.equal(await running, errors.EXIT.ok);
  const usage = (o: Parameters<typeof uiCommand>[0]) => uiCommand({ open: false, ...o }, out, Promise.resolve());
  await assert.rejects(usage({ contract: join(REPO, CONTRACT_FILE), port: 'x' }), errors.UsageError);
  await assert.rejects(usage({ contract: join(REPO, CONTRACT_FILE), assetsDir: join(REPO, 'no-such-dir') }), errors.UsageError);
  await assert.rejects(
    usage({ contract: join(REPO, CONTRACT_FILE), port: String(ui.port), assetsDir: await builtPage() }),
    errors.UsageError,
  );
  await assert.rejects(usage({ contract: join(REPO, 'no-such-contract.yaml') }), errors.ContractError);
});
