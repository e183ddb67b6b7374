/**
 * The token input rules (issue 9 item 4), the same in decode, diagnose,
 * match, probe and clock: a missing file, an empty stdin or file and a
 * token given twice are usage errors (exit 2, one line, nothing on stdout);
 * the argument, a file path, -, and --token-file all work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { inBatches, NOW_ISO, SECRET, usage, usageFixtures } from '../helpers/usage.ts';

const f = usageFixtures();
const { token, tokenFile, contract, dir, inline } = f;

test('token input: a missing file, an empty stdin or file, a token given twice are usage errors in every command', async () => {
  const missing = join(dir, 'nope.jwt');
  const takesToken: string[][] = [
    ['decode'],
    ['diagnose', ...inline],
    ['match', '--contract', contract],
    ['probe', '--base-url', f.server.url, '--route', '/ok', '--no-echo'],
    ['clock', '--issuer-url', f.server.url, '--samples', '1'],
  ];
  // One function reads the token for every command: each command gets the main cases...
  await inBatches(
    takesToken.flatMap(([name, ...rest]) => [
      () => usage([name!, missing, ...rest], ['nope.jwt']),
      () => usage([name!, '-', ...rest], ['stdin'], { input: '' }),
      () => usage([name!, token, '--token-file', tokenFile, ...rest], ['--token-file']),
    ]),
  );
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
  await usage(['probe', token, '--token', token, '--base-url', f.server.url, '--route', '/ok'], ['--token']);
  await usage(['clock', token, '--token', token, '--issuer-url', f.server.url], ['--token']);
});

test('token input given correctly: argument, file path, -, --token-file (also -), the same in every command', async () => {
  const hows = [[token], [tokenFile], ['-'], ['--token-file', tokenFile], ['--token-file', '-']];
  const opts = { input: `Authorization: Bearer ${token}\n`, env: { JWT_DOCTOR_TEST_SECRET: SECRET } };
  // Every form through diagnose; every command with each form (rotating, to keep the run short).
  await inBatches(
    hows.map((how) => async () => {
      const d = await runCli(['diagnose', ...how, ...inline, '--secret', SECRET, '--format', 'json'], opts);
      assert.equal(d.code, 0, `${how.join(' ')}: ${d.stdout}${d.stderr}`);
      assert.equal(JSON.parse(d.stdout).result, 'valid');
    }),
  );
  const checks: [string[], (r: CliResult) => void][] = [
    [['decode', '--format', 'json'], (r) => assert.equal(JSON.parse(r.stdout).claims.iss, 'https://auth.example.com')],
    [
      ['match', '--contract', contract, '--now', NOW_ISO, '--format', 'json'],
      (r) => assert.deepEqual(JSON.parse(r.stdout).validIn, ['local']),
    ],
    [
      ['probe', '--base-url', f.server.url, '--route', '/ok', '--no-echo', '--format', 'json'],
      (r) => assert.equal(JSON.parse(r.stdout).token.length, token.length),
    ],
    [
      ['clock', '--issuer-url', f.server.url, '--samples', '1', '--format', 'json'],
      (r) => assert.equal(typeof JSON.parse(r.stdout).token.times, 'object'),
    ],
  ];
  await inBatches(
    checks.flatMap(([[name, ...rest], check], i) =>
      [hows[i % hows.length]!, hows[(i + 2) % hows.length]!].map((how) => async () => {
        const r = await runCli([name!, ...how, ...rest], opts);
        assert.notEqual(r.code, 2, `${name} ${how.join(' ')}: ${r.stderr}`);
        check(r);
      }),
    ),
  );
  // The pasted-line normalization still reports what it stripped.
  const pasted = await runCli(['diagnose', '-', ...inline, '--secret', SECRET, '--format', 'json'], {
    input: `Authorization: Bearer Bearer ${token}\n`,
  });
  assert.ok(
    JSON.parse(pasted.stdout).findings.some(
      (f: { code: string; detail?: { stripped?: string } }) => f.code === 'header_malformed' && f.detail?.stripped === 'doubled_bearer',
    ),
  );
});
