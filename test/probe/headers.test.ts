/**
 * Header hygiene of request dumps (curl -v, curl command, devtools fetch,
 * HAR, raw request) and its merge into diagnose --headers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHeaderDump, headerSettingsFor, parseHeaderDump } from '../../src/probe/headers.ts';
import type { Diagnosis } from '../../src/diagnose.ts';
import { runCli } from '../helpers/cli.ts';
import { HEADERS_NOW, SECRET, mintHs256 } from './fixtures.ts';

const token = mintHs256({ iss: 'https://auth.test', aud: 'web', sub: 'u', iat: HEADERS_NOW - 10, exp: HEADERS_NOW + 600 });
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-headers-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('reads curl -v, curl commands, devtools fetch, HAR, JSON and raw requests', () => {
  const verbose = parseHeaderDump(
    `*   Trying 127.0.0.1:443...\n> GET /v1/me?x=1 HTTP/1.1\n> Host: api\n> Authorization: Bearer ${token}\n>\n< HTTP/1.1 401 Unauthorized\n< www-authenticate: Bearer`,
  );
  assert.equal(verbose.format, 'curl_verbose');
  assert.deepEqual(
    verbose.headers.map((h) => h.name),
    ['host', 'authorization'],
  );
  assert.deepEqual(verbose.queryParams, ['x']);

  const cmd = parseHeaderDump(
    `curl 'https://api.example.com/v1/me?access_token=abc' \\\n  -H 'accept: application/json' \\\n  -H "Authorization: Bearer ${token}" --compressed`,
  );
  assert.equal(cmd.format, 'curl_command');
  assert.deepEqual(
    cmd.headers.map((h) => h.name),
    ['accept', 'authorization'],
  );
  assert.deepEqual(cmd.queryParams, ['access_token']);

  const fetchDump = parseHeaderDump(
    `fetch("https://api.example.com/v1/me", {\n  "headers": {\n    "accept": "*/*",\n    "authorization": "Bearer ${token}"\n  },\n  "method": "GET"\n});`,
  );
  assert.equal(fetchDump.format, 'fetch');
  assert.equal(fetchDump.headers[1]!.value, `Bearer ${token}`);

  const har = parseHeaderDump(
    JSON.stringify({
      log: { entries: [{ request: { url: 'https://a/x', headers: [{ name: 'Authorization', value: `Bearer ${token}` }] } }] },
    }),
  );
  assert.equal(har.format, 'har');
  assert.equal(har.headers[0]!.name, 'authorization');

  const obj = parseHeaderDump(JSON.stringify({ Authorization: [`Bearer ${token}`, `Bearer ${token}`] }));
  assert.equal(obj.headers.length, 2);

  const raw = parseHeaderDump(
    `POST /v1/orders HTTP/1.1\r\nHost: api\r\n:authority: api\r\nAuthorization: Bearer\r\n ${token}\r\n\r\nAuthorization: not-a-header-this-is-the-body`,
  );
  assert.equal(raw.format, 'raw');
  assert.deepEqual(
    raw.headers.map((h) => h.name),
    ['host', ':authority', 'authorization'],
  );
  assert.equal(raw.headers[2]!.value, `Bearer ${token}`, 'obs-fold continuation joined');
  assert.deepEqual(parseHeaderDump('').headers, []);
});

const problems = (text: string, settings?: Parameters<typeof checkHeaderDump>[1]) =>
  checkHeaderDump(parseHeaderDump(text), settings).findings.map((f) => [f.code, f.detail!.problem ?? f.detail!.where ?? null, f.severity]);

test('header_malformed: wrong scheme, doubled prefix, quotes, comma, missing scheme, case, extra space', () => {
  assert.deepEqual(problems(`Authorization: Bearer ${token}`), []);
  assert.deepEqual(problems(`Authorization: Token ${token}`), [['header_malformed', 'wrong_scheme', 'error']]);
  assert.deepEqual(problems(`Authorization: Bearer Bearer ${token}`), [['header_malformed', 'doubled_scheme', 'error']]);
  assert.deepEqual(problems(`Authorization: Bearer "${token}"`), [['header_malformed', 'quotes', 'error']]);
  assert.deepEqual(problems(`Authorization: Bearer ${token}, Bearer ${token}`), [['header_malformed', 'comma', 'error']]);
  assert.deepEqual(problems(`Authorization: ${token}`), [['header_malformed', 'missing_scheme', 'error']]);
  assert.deepEqual(problems(`Authorization: bearer ${token}`), [['header_malformed', 'scheme_case', 'info']]);
  assert.deepEqual(problems(`Authorization: Bearer  ${token}`), [['header_malformed', 'extra_whitespace', 'warning']]);
  assert.deepEqual(problems(`Authorization: Bearer`), [['header_malformed', 'no_credentials', 'error']]);
  assert.deepEqual(problems(`X-Auth-Token: Bearer ${token}`, { header: 'x-auth-token', scheme: null }), [
    ['header_malformed', 'unexpected_scheme', 'error'],
  ]);
});

test('header_missing names where the token went; multiple_tokens for a repeated header or a query token', () => {
  const moved = checkHeaderDump(parseHeaderDump(`Host: a\nX-Forwarded-Authorization: Bearer ${token}`));
  assert.equal(moved.findings[0]!.code, 'header_missing');
  assert.deepEqual(moved.findings[0]!.detail!.foundIn, ['x-forwarded-authorization']);
  assert.equal(moved.token, token, 'the token found elsewhere is still diagnosed');
  assert.deepEqual(moved.source, { kind: 'header', name: 'x-forwarded-authorization' });

  const none = checkHeaderDump(parseHeaderDump('Host: a\nCookie: sid=1'));
  assert.equal(none.token, '');
  assert.equal(none.findings[0]!.code, 'header_missing');

  assert.deepEqual(problems(`> GET / HTTP/1.1\n> Authorization: Bearer ${token}\n> Authorization: Bearer ${token}`), [
    ['multiple_tokens', 'repeated_header', 'error'],
  ]);
  assert.deepEqual(problems(`GET /v1/me?access_token=x HTTP/1.1\nAuthorization: Bearer ${token}`), [
    ['multiple_tokens', 'header_and_query', 'error'],
  ]);
});

test('headerSettingsFor: api section first, then tokenSource, else Authorization: Bearer', () => {
  assert.deepEqual(headerSettingsFor(undefined), { header: 'authorization', scheme: 'Bearer' });
  assert.deepEqual(headerSettingsFor({ api: { header: 'X-Token', scheme: null } }), { header: 'x-token', scheme: null });
  assert.deepEqual(headerSettingsFor({ tokenSource: { header: 'x-auth-token', scheme: null } }), { header: 'x-auth-token', scheme: null });
});

test('diagnose --headers: token from the dump, hygiene findings merged and ranked first', async () => {
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, SECRET);
  const base = [
    'diagnose',
    '--iss',
    'https://auth.test',
    '--aud',
    'web',
    '--secret',
    `@${secret}`,
    '--alg',
    'HS256',
    '--now',
    String(HEADERS_NOW),
    '--format',
    'json',
  ];

  const good = join(dir, 'good.txt');
  writeFileSync(good, `> GET /v1/me HTTP/1.1\n> Authorization: Bearer ${token}\n`);
  const ok = await runCli([...base, '--headers', good]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as Diagnosis).result, 'valid');

  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, `Authorization: Token ${token}\nAuthorization: Token ${token}\n`);
  const r = await runCli([...base, '--headers', bad]);
  assert.equal(r.code, 1);
  const d = JSON.parse(r.stdout) as Diagnosis;
  assert.equal(d.result, 'multiple_tokens');
  assert.equal(d.signature.status, 'pass', 'the token itself still verifies');
  assert.ok(d.findings.some((f) => f.code === 'header_malformed' && f.detail!.problem === 'wrong_scheme'));

  const missing = join(dir, 'missing.txt');
  writeFileSync(missing, 'Host: api\nCookie: sid=1\n');
  const m = await runCli([...base, '--headers', missing]);
  const dm = JSON.parse(m.stdout) as Diagnosis;
  assert.equal(dm.result, 'header_missing');
  assert.equal(dm.findings.filter((f) => f.code === 'header_missing').length, 1);

  const stdin = await runCli([...base, '--headers', '-'], { input: `Authorization: Bearer ${token}` });
  assert.equal(stdin.code, 0, stdin.stderr);

  const both = await runCli([...base, token, '--headers', good]);
  assert.equal(both.code, 2);
  const unreadable = await runCli([...base, '--headers', join(dir, 'nope.txt')]);
  assert.equal(unreadable.code, 2);
  assert.doesNotMatch(unreadable.stderr, /^\s{4}at /m);
});
