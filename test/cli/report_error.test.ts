/**
 * The CLI's one error handler (src/cli/report_error.ts), end to end through
 * a real process: an unforeseen error is one line and exit 70, with the
 * stack trace only under --debug; with --format json every error (our own,
 * commander's, unforeseen) is one JSON object on stderr and stdout is empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasStackTrace, runCli, type CliResult } from '../helpers/cli.ts';
import { readErrorOutput, ERROR_SCHEMA } from '../../src/cli/report_error.ts';
import { errors } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-errors-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs test/cli/crash_cli.ts: the real main() with a `crash` command that throws a TypeError. */
function runCrash(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { entry: 'test/cli/crash_cli.ts', env: { JWT_DOCTOR_DEBUG: undefined, ...env } });
}

const lines = (s: string) => s.trimEnd().split('\n');

/** One JSON error object on one line of stderr, nothing on stdout; returns it. */
function jsonError(r: CliResult, exitCode: number): Record<string, unknown> {
  const what = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.code, exitCode, what);
  assert.equal(r.stdout, '', what);
  assert.equal(lines(r.stderr).length, 1, what);
  const e = JSON.parse(r.stderr) as Record<string, unknown>;
  assert.equal(e.schema, ERROR_SCHEMA);
  assert.equal(e.exitCode, exitCode);
  return e;
}

test('an unforeseen error prints one line and exits 70; the stack only with --debug', async () => {
  const r = await runCrash(['crash']);
  assert.equal(r.code, errors.EXIT.software);
  assert.equal(r.stdout, '');
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /^jwt-doctor: unexpected error: /);
  assert.match(r.stderr, /--debug/, 'says how to get the stack trace');
  assert.equal(hasStackTrace(r.stderr), false, r.stderr);
  // --debug is global: before or after the command.
  for (const args of [
    ['--debug', 'crash'],
    ['crash', '--debug'],
  ]) {
    const d = await runCrash(args);
    assert.equal(d.code, 70, args.join(' '));
    assert.equal(hasStackTrace(d.stderr), true, `${args.join(' ')}: ${d.stderr}`);
  }
  const env = await runCrash(['crash'], { JWT_DOCTOR_DEBUG: '1' });
  assert.equal(hasStackTrace(env.stderr), true, 'JWT_DOCTOR_DEBUG=1 as --debug');
});

test('with --format json, an unforeseen error is one JSON object (the stack a field under --debug)', async () => {
  const e = jsonError(await runCrash(['crash', '--format', 'json']), 70);
  assert.equal(e.code, 'ERR_UNEXPECTED');
  assert.equal(e.stack, undefined);
  const d = jsonError(await runCrash(['crash', '-f', 'json', '--debug']), 70);
  assert.match(String(d.stack), /^TypeError/);
});

test('with --format json, usage, contract and commander errors are one JSON object; stdout stays empty', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'environments:\n  staging:\n    issuer: https://a\n    audiense: web\n');
  const contract = jsonError(await runCli(['diagnose', 'x.y.z', '--contract', bad, '--env', 'staging', '--format', 'json']), 2);
  assert.equal(contract.code, 'ERR_CONTRACT_INVALID');
  assert.deepEqual(
    contract.detail && { file: (contract.detail as Record<string, string>).file, path: (contract.detail as Record<string, string>).path },
    { file: bad, path: 'environments.staging.audiense' },
  );
  const usage = jsonError(await runCli(['decode', '--token-file', join(dir, 'missing.jwt'), '--format=json']), 2);
  assert.equal(usage.code, 'ERR_USAGE');
  assert.match(String(usage.message), /missing\.jwt/);
  const commander = jsonError(await runCli(['keys', '--bogus', '-f', 'json']), 2);
  assert.equal(commander.code, 'ERR_USAGE');
  assert.match(String(commander.message), /--bogus/);
  // The same errors in text form: one line, not JSON.
  const text = await runCli(['decode', '--token-file', join(dir, 'missing.jwt')]);
  assert.equal(text.code, 2);
  assert.match(text.stderr, /^jwt-doctor: cannot read --token-file /);
});

test('readErrorOutput: --format json in every spelling, --debug taken out anywhere before --', () => {
  const cases: [string[], { json: boolean; debug: boolean }, string[]][] = [
    [['diagnose', 't', '--format', 'json'], { json: true, debug: false }, ['diagnose', 't', '--format', 'json']],
    [['diagnose', 't', '-f', 'json'], { json: true, debug: false }, ['diagnose', 't', '-f', 'json']],
    [['diagnose', 't', '--format=json'], { json: true, debug: false }, ['diagnose', 't', '--format=json']],
    [['diagnose', 't', '-fjson'], { json: true, debug: false }, ['diagnose', 't', '-fjson']],
    [
      ['diagnose', 't', '--format', 'json', '--format', 'text'],
      { json: false, debug: false },
      ['diagnose', 't', '--format', 'json', '--format', 'text'],
    ],
    [['--debug', 'decode', 't'], { json: false, debug: true }, ['decode', 't']],
    [['decode', '--', '--debug', '--format', 'json'], { json: false, debug: false }, ['decode', '--', '--debug', '--format', 'json']],
  ];
  for (const [argv, output, args] of cases) assert.deepEqual(readErrorOutput(argv), { args, output }, argv.join(' '));
});
