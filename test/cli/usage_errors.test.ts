/**
 * Operator mistakes are usage errors (issue 9 item 4, issue 8 item 6):
 * exit 2, ONE line on stderr saying what to fix, no stack trace, nothing
 * on stdout (never a token finding). The same inputs given correctly work.
 * Every case runs the real CLI as a subprocess.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, hasStackTrace, REPO, type CliResult } from '../helpers/cli.ts';
import { claimsAt, makeKey, signJws } from '../helpers/mint.ts';
import { startServer, type TestServer } from '../helpers/http_server.ts';

const NOW_ISO = '2026-11-28T12:05:00Z';
const NOW = Date.parse(NOW_ISO) / 1000;
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-usage-errors-'));
const SECRET = 'usage-error-secret-0123456789abcdef';
const hs = makeKey('HS256', { secret: Buffer.from(SECRET) });
const token = signJws(hs, claimsAt(NOW, { iss: 'https://auth.example.com', aud: 'api' }));
const tokenFile = join(dir, 'token.jwt');
writeFileSync(tokenFile, `${token}\n`);
writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
writeFileSync(join(dir, 'empty.jwt'), '\n');
mkdirSync(join(dir, 'folder'));
const contract = join(dir, 'contract.yaml');
writeFileSync(
  contract,
  [
    'version: 1',
    'environments:',
    '  local:',
    '    issuer: https://auth.example.com',
    '    audience: api',
    '    algorithms: [HS256]',
    '    keys: [{ secret: { env: JWT_DOCTOR_TEST_SECRET, encoding: utf8 } }]',
    '  other:',
    '    issuer: https://other.example.com',
    '    algorithms: [HS256]',
    `    keys: [{ secret: { file: ${join(dir, 'secret.txt')} } }]`,
    '',
  ].join('\n'),
);
let server: TestServer;
test.before(async () => {
  server = await startServer({ '/ok': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') });
});
test.after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Exit 2, one line on stderr, no stack trace, no report on stdout. */
function assertUsage(r: CliResult, args: readonly string[], mentions: readonly string[] = []): void {
  const what = `${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.code, 2, what);
  assert.equal(r.stdout, '', `no token finding on stdout: ${what}`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${what}`);
  assert.equal(hasStackTrace(r.stderr), false, what);
  assert.doesNotMatch(r.stderr, /unexpected error/, what);
  for (const m of mentions) assert.ok(r.stderr.includes(m), `stderr names ${m}: ${what}`);
}

/** Runs independent CLI cases a few at a time (the machine has 2 cores). */
async function inBatches(cases: (() => Promise<void>)[], size = 4): Promise<void> {
  for (let i = 0; i < cases.length; i += size) await Promise.all(cases.slice(i, i + size).map((c) => c()));
}

async function usage(args: string[], mentions: readonly string[] = [], options: Parameters<typeof runCli>[1] = {}): Promise<void> {
  assertUsage(await runCli(args, options), args, mentions);
}

const inline = ['--iss', 'https://auth.example.com', '--aud', 'api', '--alg', 'HS256', '--now', NOW_ISO];

test('token input: a missing file, an empty stdin or file, a token given twice are usage errors in every command', async () => {
  const missing = join(dir, 'nope.jwt');
  const takesToken: string[][] = [
    ['decode'],
    ['diagnose', ...inline],
    ['match', '--contract', contract],
    ['probe', '--base-url', server.url, '--route', '/ok', '--no-echo'],
    ['clock', '--issuer-url', server.url, '--samples', '1'],
  ];
  // One function reads the token for every command: each command gets the main cases...
  await inBatches(takesToken.flatMap(([name, ...rest]) => [
    () => usage([name!, missing, ...rest], ['nope.jwt']),
    () => usage([name!, '-', ...rest], ['stdin'], { input: '' }),
    () => usage([name!, token, '--token-file', tokenFile, ...rest], ['--token-file']),
  ]));
  // ...and the other shapes of the same mistakes once.
  await inBatches([
    () => usage(['decode', '--token-file', missing], ['nope.jwt']),
    () => usage(['decode', 'tokens/nope.txt'], ['tokens/nope.txt']),
    () => usage(['decode', '-'], ['stdin'], { input: ' \n' }),
    () => usage(['decode', '--token-file', '-'], ['stdin'], { input: '' }),
    () => usage(['decode', '--token-file', join(dir, 'empty.jwt')], ['empty.jwt']),
    () => usage(['decode', ''], ['empty']),
    () => usage(['decode', join(dir, 'folder')], ['folder']),
  ]);
  // probe and clock also take --token: given with the argument, it is given twice.
  await usage(['probe', token, '--token', token, '--base-url', server.url, '--route', '/ok'], ['--token']);
  await usage(['clock', token, '--token', token, '--issuer-url', server.url], ['--token']);
});

test('token input given correctly: argument, file path, -, --token-file (also -), the same in every command', async () => {
  const hows = [[token], [tokenFile], ['-'], ['--token-file', tokenFile], ['--token-file', '-']];
  const opts = { input: `Authorization: Bearer ${token}\n`, env: { JWT_DOCTOR_TEST_SECRET: SECRET } };
  // Every form through diagnose; every command with each form (rotating, to keep the run short).
  await inBatches(hows.map((how) => async () => {
    const d = await runCli(['diagnose', ...how, ...inline, '--secret', SECRET, '--format', 'json'], opts);
    assert.equal(d.code, 0, `${how.join(' ')}: ${d.stdout}${d.stderr}`);
    assert.equal(JSON.parse(d.stdout).result, 'valid');
  }));
  const checks: [string[], (r: CliResult) => void][] = [
    [['decode', '--format', 'json'], (r) => assert.equal(JSON.parse(r.stdout).claims.iss, 'https://auth.example.com')],
    [['match', '--contract', contract, '--now', NOW_ISO, '--format', 'json'], (r) => assert.deepEqual(JSON.parse(r.stdout).validIn, ['local'])],
    [['probe', '--base-url', server.url, '--route', '/ok', '--no-echo', '--format', 'json'], (r) => assert.equal(JSON.parse(r.stdout).token.length, token.length)],
    [['clock', '--issuer-url', server.url, '--samples', '1', '--format', 'json'], (r) => assert.equal(typeof JSON.parse(r.stdout).token.times, 'object')],
  ];
  await inBatches(checks.flatMap(([[name, ...rest], check], i) => [hows[i % hows.length]!, hows[(i + 2) % hows.length]!].map((how) => async () => {
    const r = await runCli([name!, ...how, ...rest], opts);
    assert.notEqual(r.code, 2, `${name} ${how.join(' ')}: ${r.stderr}`);
    check(r);
  })));
  // The pasted-line normalization still reports what it stripped.
  const pasted = await runCli(['diagnose', '-', ...inline, '--secret', SECRET, '--format', 'json'], { input: `Authorization: Bearer Bearer ${token}\n` });
  assert.ok(JSON.parse(pasted.stdout).findings.some((f: { code: string; detail?: { stripped?: string } }) => f.code === 'header_malformed' && f.detail?.stripped === 'doubled_bearer'));
});

test('inline key flags: a missing --key or --secret @file, an unset env: secret, a non-URL --jwks-url, an undecodable secret exit 2; given correctly they verify', async () => {
  const base = ['diagnose', token, ...inline];
  await usage([...base, '--key', join(dir, 'missing.pem')], ['--key', 'missing.pem']);
  await usage([...base, '--key', join(dir, 'missing.jwks.json')], ['missing.jwks.json']);
  await usage([...base, '--secret', `@${join(dir, 'missing.secret')}`], ['missing.secret']);
  await usage([...base, '--secret', 'env:JWT_DOCTOR_UNSET_VARIABLE'], ['JWT_DOCTOR_UNSET_VARIABLE'], { env: { JWT_DOCTOR_UNSET_VARIABLE: undefined } });
  for (const url of ['notaurl', 'localhost:8080/jwks.json', 'ftp://auth.example.com/jwks.json']) await usage([...base, '--jwks-url', url], ['--jwks-url']);
  const notHex = 'zz-not-hex-secret-value';
  const r = await runCli([...base, '--secret', notHex, '--secret-encoding', 'hex']);
  assertUsage(r, ['--secret-encoding hex'], ['--secret-encoding']);
  assert.equal(r.stderr.includes(notHex), false, 'the secret is never echoed');
  await usage([...base, '--secret', 'not base64 !!', '--secret-encoding', 'base64'], ['--secret-encoding']);
  await usage([...base, '--secret', '@' + join(dir, 'secret.txt'), '--secret-encoding', 'hex'], ['--secret-encoding']);
  // The same flags given correctly verify the token.
  const ok = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli([...base, '--format', 'json', ...args], { env });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).result, 'valid');
  };
  await ok(['--secret', `@${join(dir, 'secret.txt')}`]);
  await ok(['--secret', 'env:JWT_DOCTOR_SET_VARIABLE'], { JWT_DOCTOR_SET_VARIABLE: SECRET });
  await ok(['--secret', Buffer.from(SECRET).toString('hex'), '--secret-encoding', 'hex']);
  await ok(['--secret', Buffer.from(SECRET).toString('base64'), '--secret-encoding', 'base64']);
  // A well-formed --jwks-url that cannot be reached stays a finding (exit 1), not a usage error.
  const down = await runCli([...base, '--format', 'json', '--jwks-url', `${server.url}/missing.json`]);
  assert.equal(down.code, 1);
  assert.equal(JSON.parse(down.stdout).result, 'jwks_unreachable');
});

test('contract: an unset env: secret of the environment used is a contract error naming the variable and the field path', async () => {
  const env = { JWT_DOCTOR_TEST_SECRET: undefined };
  await usage(['diagnose', token, '--contract', contract, '--env', 'local', '--now', NOW_ISO], ['JWT_DOCTOR_TEST_SECRET', 'environments.local.keys[0].secret.env'], { env });
  await usage(['match', token, '--contract', contract, '--now', NOW_ISO], ['JWT_DOCTOR_TEST_SECRET', 'environments.local.keys[0].secret.env'], { env });
  await usage(['keys', '--contract', contract, '--env', 'local'], ['JWT_DOCTOR_TEST_SECRET'], { env });
  // Another environment of the same contract is still usable.
  const other = await runCli(['diagnose', token, '--contract', contract, '--env', 'other', '--now', NOW_ISO, '--format', 'json'], { env });
  assert.equal(other.code, 1);
  assert.ok(JSON.parse(other.stdout).findings.some((f: { code: string }) => f.code === 'issuer_mismatch'));
  const set = await runCli(['diagnose', token, '--contract', contract, '--env', 'local', '--now', NOW_ISO, '--format', 'json'], { env: { JWT_DOCTOR_TEST_SECRET: SECRET } });
  assert.equal(set.code, 0, set.stderr);
  assert.equal(JSON.parse(set.stdout).result, 'valid');
});

test('--now: ISO 8601 with Z or an offset, or UNIX seconds; anything else exits 2 in every command', async () => {
  const same: [string, number][] = [['2026-11-28T12:05:00Z', NOW], ['2026-11-28T13:05:00+01:00', NOW], ['2026-11-28T07:05:00-0500', NOW], [String(NOW), NOW], [`${NOW}.5`, NOW + 0.5]];
  await inBatches(same.map(([now, expected]) => async () => {
    const r = await runCli(['diagnose', token, '--iss', 'https://auth.example.com', '--secret', SECRET, '--now', now, '--format', 'json']);
    assert.equal(r.code, 0, `${now}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).clock.now, expected, now);
  }));
  const bad = ['2026-11-28T12:05:00', '2026-11-28', 'yesterday', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '1e9'];
  const commands: string[][] = [
    ['decode', token],
    ['diagnose', token, '--secret', SECRET],
    ['match', token, '--contract', contract],
    ['keys', join(REPO, 'examples/keys/prod.jwks.json')],
    ['rotation', 'overlap', '--old', join(REPO, 'examples/keys/prod.jwks.json'), '--new', join(REPO, 'examples/keys/prod.jwks.json'), '--lifetime', '3600'],
  ];
  const env = { JWT_DOCTOR_TEST_SECRET: SECRET };
  // Every rejected form once, then the no-offset form in every command that has --now.
  await inBatches(bad.map((now) => () => usage(['diagnose', token, '--secret', SECRET, '--now', now], ['--now'])));
  await inBatches(commands.map((cmd) => () => usage([...cmd, '--now', '2026-11-28T12:05:00'], ['--now'], { env })));
  await inBatches(['--retire-at', '--switched-at'].map((flag) => () => usage([...commands[4]!, flag, '2026-11-28T12:05:00'], [flag])));
});

test('--timeout: whole milliseconds from 1 to 600000; out of range or not a number exits 2 in every command', async () => {
  const jwks = join(REPO, 'examples/keys/prod.jwks.json');
  const commands: string[][] = [
    ['diagnose', token, '--secret', SECRET, '--now', NOW_ISO],
    ['match', token, '--contract', contract, '--now', NOW_ISO],
    ['probe', token, '--base-url', server.url, '--route', '/ok', '--no-echo'],
    ['clock', '--issuer-url', server.url, '--samples', '1'],
    ['keys', jwks],
    ['drift', '--contract', contract, '--from', 'local', '--to', 'other'],
    ['rotation', 'overlap', '--old', jwks, '--new', jwks, '--lifetime', '3600'],
  ];
  const env = { JWT_DOCTOR_TEST_SECRET: SECRET };
  // 2^31 ms and more silently became a 1 ms timer before: every rejected form once...
  const bad = ['3000000000', '600001', '0', '1.5', 'soon', ''];
  await inBatches(bad.map((t) => () => usage([...commands[0]!, '--timeout', t], ['--timeout'])));
  // ...then 2^31 ms in every command, and the maximum accepted.
  await inBatches(commands.map((cmd) => () => usage([...cmd, '--timeout', '2147483648'], ['--timeout'], { env })));
  await inBatches([commands[0]!, commands[3]!, commands[4]!].map((cmd) => async () => {
    const ok = await runCli([...cmd, '--timeout', '600000'], { env });
    assert.notEqual(ok.code, 2, `${cmd.join(' ')} --timeout 600000: ${ok.stderr}`);
  }));
});

test('other number and URL flags share the same parsers', async () => {
  await inBatches([
    () => usage(['decode', token, '--max-token-bytes', '1e5'], ['--max-token-bytes']),
    () => usage(['diagnose', token, '--secret', SECRET, '--max-token-bytes', '8'], ['--max-token-bytes']),
    () => usage(['diagnose', token, '--secret', SECRET, '--clock-tolerance', '0x10'], ['--clock-tolerance']),
    () => usage(['probe', token, '--base-url', 'localhost:8080', '--route', '/ok'], ['--base-url']),
    () => usage(['probe', token, '--base-url', server.url, '--route', '/ok', '--concurrency', '2.5'], ['--concurrency']),
    () => usage(['clock', '--api-url', 'notaurl'], ['--api-url']),
    () => usage(['clock', '--issuer-url', server.url, '--samples', '0'], ['--samples']),
    () => usage(['probe-server', '--port', '70000'], ['--port']),
  ]);
});

test('inline mode names no other environment: a contract in the folder is not used without --env', async () => {
  // examples/ holds auth-contract.yaml, whose environments trust the token's key.
  const cwd = join(REPO, 'examples');
  const closed = `${server.url}/no-such-jwks.json`;
  const runs = [
    await runCli(['diagnose', 'tokens/local-login.jwt', '--jwks-url', closed, '--now', NOW_ISO, '--format', 'json'], { cwd }),
    await runCli(['diagnose', 'tokens/local-hs256.jwt', '--secret', '@keys/local.secret', '--now', NOW_ISO, '--format', 'json'], { cwd }),
    await runCli(['diagnose', 'tokens/local-login.jwt', '--iss', 'https://auth.example.com', '--jwks-url', closed, '--now', NOW_ISO, '--format', 'json'], { cwd }),
  ];
  for (const r of runs) {
    assert.equal(r.code, 1, r.stderr);
    const d = JSON.parse(r.stdout) as { findings: { code: string; hint: string; detail?: Record<string, unknown> }[] };
    assert.equal(d.findings.some((f) => f.code === 'key_from_other_environment'), false, JSON.stringify(d.findings));
    for (const f of d.findings) {
      assert.doesNotMatch(f.hint, /another environment|environment (local|staging|prod)\b/, f.code);
      assert.equal(f.detail?.issuerOfEnvironments, undefined);
    }
  }
  // The wrong encoding is still found, as an encoding problem of the secret given.
  assert.ok(JSON.parse(runs[1]!.stdout).findings.some((f: { code: string }) => f.code === 'secret_encoding_mismatch'));
  // With --env, the contract is used and provenance may name its other environments.
  const withEnv = await runCli(['diagnose', 'tokens/local-login.jwt', '--env', 'prod', '--now', NOW_ISO, '--format', 'json'], { cwd });
  assert.ok(JSON.parse(withEnv.stdout).findings.some((f: { code: string }) => f.code === 'key_from_other_environment'));
});

test('key_not_found with no key at all says that no key is trusted, never "expected , found"', async () => {
  const r = await runCli(['diagnose', token, '--iss', 'https://auth.example.com', '--now', NOW_ISO]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout, /expected , found/);
  const j = await runCli(['diagnose', token, '--iss', 'https://auth.example.com', '--now', NOW_ISO, '--format', 'json']);
  const f = JSON.parse(j.stdout).findings.find((x: { code: string }) => x.code === 'key_not_found');
  assert.ok(f);
  assert.equal('expected' in f, false);
  assert.equal(f.detail.trustedKeys, 0);
  assert.equal(f.detail.reason, 'no_trusted_keys');
  assert.notEqual(f.hint, 'Check that the verifier\'s key set contains the signer\'s current key (kid).');
});
