/**
 * Command functions called directly, without a subprocess: each returns its
 * exit code, writes its report to the given output, and throws the error
 * hierarchy's classes for input it cannot use. And the flag kit: one
 * spelling, default and choice list per flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Command } from 'commander';
import { REPO, SEED_LINES } from '../helpers/cli.ts';
import { errors } from '../../src/index.ts';
import { decodeCommand } from '../../src/cli/commands/decode.ts';
import { diagnoseCommand } from '../../src/cli/commands/diagnose.ts';
import { matchCommand } from '../../src/cli/commands/match.ts';
import { contractDiffCommand } from '../../src/cli/commands/contract.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { formatOption, timeoutOption } from '../../src/cli/flags.ts';
import type { Output } from '../../src/cli/command.ts';
import { EXAMPLES_NOW_ISO } from '../helpers/index.ts';

const TOKEN_FILE = join(REPO, 'examples/tokens/local-login.jwt');
const CONTRACT = join(REPO, 'examples/auth-contract.yaml');

/** An Output that keeps what the command writes. */
function buffer(): Output & { text: string } {
  const out = { text: '', write: (s: string) => ((out.text += s), true) };
  return out;
}

test('decodeCommand: exit 0 and the UNVERIFIED decode as JSON; exit 1 for a malformed token', () => {
  const out = buffer();
  assert.equal(decodeCommand(TOKEN_FILE, { format: 'json', now: EXAMPLES_NOW_ISO }, out), errors.EXIT.ok);
  const j = JSON.parse(out.text);
  assert.equal(j.schema, 'jwt-doctor/decode/v1');
  assert.equal(j.verified, false);
  assert.equal(typeof j.header.alg, 'string');
  const bad = buffer();
  assert.equal(decodeCommand('not-a-token', { format: 'json' }, bad), errors.EXIT.fail);
  assert.ok(JSON.parse(bad.text).findings.some((f: { code: string }) => f.code === 'malformed_token'));
});

test('diagnoseCommand: the seed case against staging is claim_mismatch, exit 1, as text and as JSON', async () => {
  const text = buffer();
  assert.equal(await diagnoseCommand(TOKEN_FILE, { contract: CONTRACT, env: 'staging', now: EXAMPLES_NOW_ISO }, text), errors.EXIT.fail);
  assert.deepEqual(text.text.split('\n').slice(0, SEED_LINES.length), [...SEED_LINES]);
  const json = buffer();
  assert.equal(
    await diagnoseCommand(TOKEN_FILE, { contract: CONTRACT, env: 'staging', now: EXAMPLES_NOW_ISO, format: 'json' }, json),
    errors.EXIT.fail,
  );
  assert.equal(JSON.parse(json.text).result, 'claim_mismatch');
});

test('matchCommand: exit 0 when the token is valid in some environment of the contract', async () => {
  const out = buffer();
  const code = await matchCommand(TOKEN_FILE, { contract: CONTRACT, now: EXAMPLES_NOW_ISO, format: 'json' }, out);
  const r = JSON.parse(out.text);
  assert.ok(r.validIn.length > 0, out.text);
  assert.equal(code, errors.EXIT.ok);
});

test('contractDiffCommand: exit 1 on a breaking change, 0 for the same contract', () => {
  const fixture = (name: string) => join(REPO, 'test/rotation/fixtures', name);
  const out = buffer();
  assert.equal(contractDiffCommand(fixture('contract-v1.yaml'), fixture('contract-v2.yaml'), { format: 'json' }, out), errors.EXIT.fail);
  assert.ok(JSON.parse(out.text).breaking > 0);
  assert.equal(contractDiffCommand(fixture('contract-v1.yaml'), fixture('contract-v1.yaml'), {}, buffer()), errors.EXIT.ok);
});

test('command functions throw the hierarchy for unusable input, and write nothing', async () => {
  const out = buffer();
  assert.throws(() => decodeCommand(undefined, { tokenFile: join(REPO, 'no-such-token.jwt') }, out), errors.UsageError);
  await assert.rejects(diagnoseCommand(TOKEN_FILE, { contract: CONTRACT, env: 'qa' }, out), errors.UsageError);
  await assert.rejects(matchCommand(TOKEN_FILE, { contract: join(REPO, 'no-such-contract.yaml') }, out), errors.ContractError);
  assert.equal(out.text, '');
});

test('every command registers with the shared flags: one --format, --timeout and --contract spelling', async () => {
  for (const [name, { load }] of Object.entries(COMMANDS)) {
    const program = new Command('jwt-doctor');
    (await load()).register(program, () => {});
    const commands = program.commands.flatMap((c) => [c, ...c.commands]);
    for (const c of commands) {
      for (const o of c.options) {
        if (o.long === '--format') assert.equal(o.flags, '-f, --format <format>', `${name} ${c.name()}`);
        if (o.long === '--timeout') assert.deepEqual([o.flags, o.defaultValue], ['--timeout <ms>', '5000'], `${name} ${c.name()}`);
        if (o.long === '--contract') assert.equal(o.flags, '-c, --contract <file>', `${name} ${c.name()}`);
        if (o.long === '--env') assert.equal(o.flags, '-e, --env <name>', `${name} ${c.name()}`);
      }
    }
  }
  const f = formatOption(['markdown', 'json']);
  assert.deepEqual([f.defaultValue, f.argChoices], ['markdown', ['markdown', 'json']]);
  assert.equal(timeoutOption().defaultValue, '5000');
});
