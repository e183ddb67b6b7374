/** CLI usage and contract errors (exit 2), decode, match, help texts: never a stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_NOW } from '../../src/cli/commands/demo.ts';
import { EXAMPLES_NOW_ISO, NOW, REPO, SEED_LINES, b64url, claimsAt, hasStackTrace, makeKey, runCli, signJws } from '../helpers/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-usage-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('an invalid contract exits 2 and names the file and the field path', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'environments:\n  staging:\n    issuer: https://a\n    audiense: web\n');
  const r = await runCli(['diagnose', 'x.y.z', '--contract', bad, '--env', 'staging']);
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes(bad));
  assert.ok(r.stderr.includes('environments.staging.audiense'));
  assert.equal(hasStackTrace(r.stderr), false);
  const unset = join(dir, 'unset.yaml');
  writeFileSync(unset, 'environments:\n  prod:\n    issuer: ${ISSUER_NOT_SET_ANYWHERE}\n');
  const u = await runCli(['match', 'x.y.z', '--contract', unset], { env: { ISSUER_NOT_SET_ANYWHERE: undefined } });
  assert.equal(u.code, 2);
  assert.ok(u.stderr.includes('environments.prod.issuer'));
  const missing = await runCli(['diagnose', 'x.y.z', '--contract', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.ok(missing.stderr.includes('nope.yaml'));
});

test('usage errors exit 2 with a message, never a stack trace', async () => {
  const cases: string[][] = [
    ['diagnose'],
    ['diagnose', 'x.y.z', '--contract', 'examples/auth-contract.yaml', '--env', 'qa'],
    ['diagnose', 'x.y.z', '--contract', 'examples/auth-contract.yaml'],
    ['diagnose', 'x.y.z', '--now', 'yesterday'],
    ['diagnose', 'x.y.z', '--alg', 'none'],
    ['diagnose', 'x.y.z', '--secret-encoding', 'rot13', '--secret', 'x'],
    ['diagnose', 'x.y.z', '--clock-tolerance', '-5'],
    ['diagnose', 'x.y.z', '--token-file', join(dir, 'missing.txt')],
    ['diagnose', 'x.y.z', '--env', 'staging'],
    ['decode', 'x.y.z', '--max-token-bytes', 'lots'],
    ['match', 'x.y.z', '--contract', 'examples/auth-contract.yaml', '--timeout', '0'],
    ['no-such-command'],
  ];
  for (const args of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, args.join(' '));
    assert.equal(hasStackTrace(r.stderr), false, args.join(' '));
  }
});

test('--help of every command shows Examples and exit codes', async () => {
  for (const cmd of ['decode', 'diagnose', 'match']) {
    const r = await runCli([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.ok(r.stdout.includes('Examples:'), cmd);
    assert.ok(r.stdout.includes('Exit codes'), cmd);
  }
  const top = await runCli(['--help']);
  assert.ok(top.stdout.includes('Examples:'));
});

test('decode: UNVERIFIED label, registered fields first, ISO + relative times; JSON; malformed exits 1', async () => {
  const r = await runCli(['decode', 'examples/tokens/local-login.jwt', '--now', EXAMPLES_NOW_ISO]);
  assert.equal(r.code, 0);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /UNVERIFIED/);
  assert.deepEqual(
    lines.slice(1, 10).map((l) => l.split(' = ')[0]),
    ['alg', 'kid', 'typ', 'iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
  );
  assert.ok(lines.includes('exp = 2026-11-28T13:00:00.000Z (expires in 55m)'));
  assert.ok(lines.includes('iat = 2026-11-28T12:00:00.000Z (5m ago)'));
  const j = await runCli(['decode', 'examples/tokens/local-login.jwt', '--format', 'json', '--sanitize', '--now', EXAMPLES_NOW_ISO]);
  const d = JSON.parse(j.stdout);
  assert.equal(d.schema, 'jwt-doctor/decode/v1');
  assert.equal(d.verified, false);
  assert.match(d.claims.sub, /^hash:/);
  const jwe = await runCli(['decode', 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', '--format', 'json']);
  assert.equal(jwe.code, 1);
  assert.equal(JSON.parse(jwe.stdout).findings[0].code, 'token_encrypted');
  const dup = await runCli(['decode', `${b64url('{"alg":"HS256","alg":"none"}')}.${b64url({ a: 1 })}.AAAA`, '--format', 'json']);
  assert.equal(dup.code, 1);
  assert.equal(JSON.parse(dup.stdout).findings[0].detail.member, 'alg');
  const big = await runCli(['decode', signJws(makeKey('HS256'), claimsAt(1)), '--max-token-bytes', '32', '--format', 'json']);
  assert.equal(JSON.parse(big.stdout).findings[0].detail.maxBytes, 32);
});

test('match: one row per environment, mintedBy, exit codes', async () => {
  const r = await runCli([
    'match',
    'examples/tokens/local-login.jwt',
    '--contract',
    'examples/auth-contract.yaml',
    '--now',
    EXAMPLES_NOW_ISO,
  ]);
  assert.equal(r.code, 0);
  const rows = r.stdout
    .split('\n')
    .slice(1, 4)
    .map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(rows, ['local', 'staging', 'prod']);
  assert.ok(r.stdout.includes('most_likely_minted_by = local'));
  const j = await runCli([
    'match',
    'examples/tokens/local-login.jwt',
    '--contract',
    'examples/auth-contract.yaml',
    '--now',
    EXAMPLES_NOW_ISO,
    '--format',
    'json',
    '--sanitize',
  ]);
  const m = JSON.parse(j.stdout);
  assert.equal(m.schema, 'jwt-doctor/match/v1');
  assert.deepEqual(
    m.rows.map((x: { env: string }) => x.env),
    ['local', 'staging', 'prod'],
  );
  assert.deepEqual(m.rows.find((x: { env: string }) => x.env === 'staging').failing, ['issuer_mismatch', 'audience_mismatch']);
  assert.match(m.diagnoses.staging.claims.sub, /^hash:/);
  const none = await runCli([
    'match',
    signJws(makeKey('ES256'), claimsAt(NOW)),
    '--contract',
    'examples/auth-contract.yaml',
    '--now',
    String(NOW),
  ]);
  assert.equal(none.code, 1);
});

test('the offline demo (npm start without oidc-provider) prints the diagnosis and the match table', async () => {
  const r = await runCli(['demo', '--offline'], { env: { NO_COLOR: undefined } });
  assert.equal(r.code, 0);
  const i = r.stdout.split('\n').indexOf('iss_token = https://auth.staging.example.com');
  assert.ok(i > 0);
  assert.deepEqual(r.stdout.split('\n').slice(i, i + 6), SEED_LINES);
  assert.ok(r.stdout.includes('most_likely_minted_by'));
  assert.equal(r.stdout.includes('\u001b['), false);
  // The tests that run examples/ tokens check at the demo's instant.
  assert.equal(EXAMPLES_NOW_ISO, DEMO_NOW);
});

test('a reader that closes the pipe early (jwt-doctor --help | head) gets no EPIPE stack trace', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'diagnose', '--help'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.doesNotMatch(stderr, /EPIPE|\n\s+at /);
  assert.equal(code, 0);
});

test('"jwt-doctor help CMD" shows the command\'s full help with its options and examples', async () => {
  const r = await runCli(['help', 'diagnose']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--contract/);
  assert.match(r.stdout, /Examples:/);
});
