/**
 * Flag values (issue 9 item 5 --now, issue 8 item 6 --timeout): one parser
 * per kind, shared by every command; a value out of its documented range
 * is a usage error (exit 2, one line), never a silently different value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, REPO } from '../helpers/cli.ts';
import { inBatches, NOW, NOW_ISO, SECRET, usage, usageFixtures } from '../helpers/usage.ts';

const f = usageFixtures();
const { token, contract } = f;

test('--now: ISO 8601 with Z or an offset, or UNIX seconds; anything else exits 2 in every command', async () => {
  const same: [string, number][] = [
    ['2027-01-15T08:00:00Z', NOW],
    ['2027-01-15T09:00:00+01:00', NOW],
    ['2027-01-15T03:00:00-0500', NOW],
    [String(NOW), NOW],
    [`${NOW}.5`, NOW + 0.5],
  ];
  await inBatches(
    same.map(([now, expected]) => async () => {
      const r = await runCli([
        'diagnose',
        token,
        '--iss',
        'https://auth.example.com',
        '--secret',
        SECRET,
        '--now',
        now,
        '--format',
        'json',
      ]);
      assert.equal(r.code, 0, `${now}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).clock.now, expected, now);
    }),
  );
  const bad = ['2026-11-28T12:05:00', '2026-11-28', 'yesterday', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '1e9'];
  const commands: string[][] = [
    ['decode', token],
    ['diagnose', token, '--secret', SECRET],
    ['match', token, '--contract', contract],
    ['keys', join(REPO, 'examples/keys/prod.jwks.json')],
    [
      'rotation',
      'overlap',
      '--old',
      join(REPO, 'examples/keys/prod.jwks.json'),
      '--new',
      join(REPO, 'examples/keys/prod.jwks.json'),
      '--lifetime',
      '3600',
    ],
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
    ['probe', token, '--base-url', f.server.url, '--route', '/ok', '--no-echo'],
    ['clock', '--issuer-url', f.server.url, '--samples', '1'],
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
  await inBatches(
    [commands[0]!, commands[3]!, commands[4]!].map((cmd) => async () => {
      const ok = await runCli([...cmd, '--timeout', '600000'], { env });
      assert.notEqual(ok.code, 2, `${cmd.join(' ')} --timeout 600000: ${ok.stderr}`);
    }),
  );
});

test('other number and URL flags share the same parsers', async () => {
  await inBatches([
    () => usage(['decode', token, '--max-token-bytes', '1e5'], ['--max-token-bytes']),
    () => usage(['diagnose', token, '--secret', SECRET, '--max-token-bytes', '8'], ['--max-token-bytes']),
    () => usage(['diagnose', token, '--secret', SECRET, '--clock-tolerance', '0x10'], ['--clock-tolerance']),
    () => usage(['probe', token, '--base-url', 'localhost:8080', '--route', '/ok'], ['--base-url']),
    () => usage(['probe', token, '--base-url', f.server.url, '--route', '/ok', '--concurrency', '2.5'], ['--concurrency']),
    () => usage(['clock', '--api-url', 'notaurl'], ['--api-url']),
    () => usage(['clock', '--issuer-url', f.server.url, '--samples', '0'], ['--samples']),
    () => usage(['probe-server', '--port', '70000'], ['--port']),
  ]);
});

test("commander's own errors (unknown option, a choice outside its list) are one line too", async () => {
  await usage(['diagnose', token, '--secret', SECRET, '--secret-encoding', 'nope'], ['--secret-encoding']);
  await usage(['diagnose', token, '--bogus'], ['--bogus']);
});
