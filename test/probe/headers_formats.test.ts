/**
 * diagnose --headers on every real copy format (test/probe/fixtures/headers,
 * SOURCES.md says where each shape comes from): the Authorization header
 * is found in each, and an unreadable dump is `headers_unreadable`, not a
 * `header_missing` that blames the gateway.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DUMP_CHARS, checkHeaderDump, parseHeaderDump } from '../../src/probe/headers.ts';
import { REASONS } from '../../src/reasons.ts';
import type { Diagnosis } from '../../src/diagnose.ts';
import { runCli } from '../helpers/cli.ts';
import { HEADERS_NOW, SECRET, mintHs256 } from './fixtures.ts';
import { codes } from '../helpers/index.ts';

const FIXTURES = new URL('./fixtures/headers/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
/** The token every fixture carries (SOURCES.md). */
const token = mintHs256({ iss: 'https://auth.test', aud: 'web', sub: 'u', iat: HEADERS_NOW - 10, exp: HEADERS_NOW + 600 });

const FORMATS: [file: string, format: string, queryParams: string[]][] = [
  ['curl_bash_chrome.sh', 'curl_command', ['page']],
  ['curl_bash_firefox.sh', 'curl_command', ['page']],
  ['curl_cmd_chrome.cmd', 'curl_cmd', ['page']],
  ['curl_cmd_firefox.cmd', 'curl_cmd', ['page']],
  ['curl_no_space.sh', 'curl_command', ['page']],
  ['curl_header_equals.sh', 'curl_command', ['page']],
  ['curl_oauth2_bearer.sh', 'curl_command', ['page']],
  ['fetch_chrome.js', 'fetch', ['page']],
  ['fetch_firefox.js', 'fetch', ['page']],
  ['powershell_chrome.ps1', 'powershell', ['page']],
  ['powershell_typed.ps1', 'powershell', ['page']],
  ['httpie.sh', 'httpie', ['page']],
  ['har_chrome.har', 'har', ['page']],
  ['curl_verbose.txt', 'curl_verbose', ['page']],
  ['raw_http.txt', 'raw', ['page']],
];

for (const [file, format, queryParams] of FORMATS) {
  test(`${file}: read as ${format}, one clean Authorization: Bearer <token>`, () => {
    const dump = parseHeaderDump(read(file));
    assert.equal(dump.format, format);
    assert.deepEqual(
      dump.headers.filter((h) => h.name === 'authorization').map((h) => h.value),
      [`Bearer ${token}`],
    );
    assert.deepEqual(dump.queryParams, queryParams);
    const hygiene = checkHeaderDump(dump);
    assert.deepEqual(hygiene.findings, [], JSON.stringify(hygiene.findings));
    assert.equal(hygiene.token, token);
  });
}

test("shell quoting is undone as each shell would: $'...' (bash), ^ and \\\" (cmd), backticks (PowerShell)", () => {
  const value = (file: string, name: string) => parseHeaderDump(read(file)).headers.find((h) => h.name === name)?.value;
  assert.equal(value('curl_bash_chrome.sh', 'x-request-note'), "it's 100% ok!");
  assert.equal(value('curl_bash_firefox.sh', 'x-request-note'), "it's 100% ok!");
  assert.equal(value('curl_cmd_firefox.cmd', 'x-request-note'), "it's 100% ok!");
  assert.equal(value('curl_cmd_firefox.cmd', 'if-none-match'), 'W/"5e-1a2b"');
  assert.equal(value('curl_cmd_chrome.cmd', 'x-request-note'), "it's 100% ok!");
  assert.equal(value('powershell_chrome.ps1', 'if-none-match'), 'W/"5e-1a2b"');
  assert.equal(
    value('powershell_chrome.ps1', 'user-agent'),
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  );
  assert.equal(value('fetch_chrome.js', 'sec-ch-ua-platform'), '"Windows"');
  // Every header of the Chrome bash copy survives (the old regex reader stopped at $'...').
  assert.equal(parseHeaderDump(read('curl_bash_chrome.sh')).headers.length, 17);
});

test('command forms: clustered flags, curl -u, HTTPie bearer auth, empty "Name;" header, variables kept literal', () => {
  const auth = (text: string) =>
    parseHeaderDump(text)
      .headers.filter((h) => h.name === 'authorization')
      .map((h) => h.value);
  assert.deepEqual(auth(`curl -sSH 'Authorization: Bearer ${token}' https://a/x`), [`Bearer ${token}`]);
  assert.deepEqual(auth(`curl -u alice:secret https://a/x`), [`Basic ${Buffer.from('alice:secret').toString('base64')}`]);
  assert.deepEqual(auth(`http -A bearer -a ${token} GET https://a/x`), [`Bearer ${token}`]);
  assert.deepEqual(auth(`https --auth-type=bearer --auth=${token} a.example/x`), [`Bearer ${token}`]);
  assert.deepEqual(auth(`curl -H 'Authorization;' https://a/x`), ['']);
  assert.deepEqual(auth(`curl -H "Authorization: Bearer $TOKEN" https://a/x`), ['Bearer $TOKEN']);
  // A Postman-style PowerShell header dictionary.
  assert.deepEqual(
    auth(
      `$headers = New-Object "System.Collections.Generic.Dictionary[[String],[String]]"\n$headers.Add("Authorization", "Bearer ${token}")\n$response = Invoke-RestMethod 'https://a/x' -Method 'GET' -Headers $headers`,
    ),
    [`Bearer ${token}`],
  );
  // Two commands on two lines: the first curl is read, the rest is another command.
  assert.deepEqual(auth(`export X=1\ncurl https://a/x -H 'Authorization: Bearer ${token}'\necho -H 'Authorization: Bearer other'`), [
    `Bearer ${token}`,
  ]);
});

test('a recognised request without the header is header_missing; nothing recognisable is headers_unreadable (owner client)', () => {
  const missing = checkHeaderDump(parseHeaderDump(`curl 'https://api.example.com/v1/me' -H 'accept: */*'`));
  assert.deepEqual(codes(missing), ['header_missing']);

  for (const text of [read('unreadable.txt'), '', 'just some words', '{"count": 3}']) {
    const dump = parseHeaderDump(text);
    assert.equal(dump.format, 'unreadable', text);
    const h = checkHeaderDump(dump);
    assert.deepEqual(codes(h), ['headers_unreadable'], text);
    assert.equal(h.findings[0]!.owner, 'client');
    assert.equal(h.token, '');
  }
  assert.notEqual(REASONS.headers_unreadable.owner, 'gateway');
  const huge = checkHeaderDump(parseHeaderDump(`Authorization: Bearer ${token}\n`.padEnd(MAX_DUMP_CHARS + 1, ' ')));
  assert.deepEqual(
    huge.findings.map((f) => [f.code, f.detail!.tooLarge]),
    [['headers_unreadable', true]],
  );
});

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-headers-formats-'));
  writeFileSync(join(dir, 'secret.txt'), SECRET);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('diagnose --headers: command, script and Windows forms diagnose valid; the unreadable one says so and blames no gateway', async () => {
  const base = [
    'diagnose',
    '--iss',
    'https://auth.test',
    '--aud',
    'web',
    '--secret',
    `@${join(dir, 'secret.txt')}`,
    '--alg',
    'HS256',
    '--now',
    String(HEADERS_NOW),
    '--format',
    'json',
  ];
  // A few end to end (each is a CLI process); every format is read in process above.
  for (const file of ['curl_cmd_firefox.cmd', 'fetch_firefox.js', 'powershell_chrome.ps1', 'httpie.sh']) {
    const r = await runCli([...base, '--headers', new URL(file, FIXTURES).pathname]);
    assert.equal(r.code, 0, `${file}: ${r.stdout}${r.stderr}`);
    assert.equal((JSON.parse(r.stdout) as Diagnosis).result, 'valid', file);
  }
  const u = await runCli([...base, '--headers', new URL('unreadable.txt', FIXTURES).pathname]);
  assert.equal(u.code, 1);
  const d = JSON.parse(u.stdout) as Diagnosis;
  assert.equal(d.result, 'headers_unreadable');
  assert.ok(!d.findings.some((f) => f.code === 'header_missing' || f.owner === 'gateway'), JSON.stringify(d.findings));
});
