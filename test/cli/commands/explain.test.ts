/**
 * `jwt-doctor explain`: in-process for the formats and exit codes, as a
 * subprocess for stdin, the input cap, usage errors and the promise that a
 * pasted token is never printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCommand, MAX_EXPLAIN_INPUT_BYTES } from '../../../src/cli/commands/explain.ts';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { claimsAt, makeKey, NOW, signToken } from '../../helpers/index.ts';

function run(words: string[], format?: string): { code: number; out: string } {
  let out = '';
  const code = explainCommand(words, format === undefined ? {} : { format }, { write: (s: string) => (out += s) });
  return { code, out };
}

test('--format json carries code, verifier, claim, expected, actual, kid, owner, fix, next, source (null when absent)', () => {
  const r = run(
    [
      "IDX10214: Audience validation failed. Audiences: 'web-staging'. Did not match: validationParameters.ValidAudience: 'web-prod' or validationParameters.ValidAudiences: 'null'.",
    ],
    'json',
  );
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out) as Record<string, unknown>;
  for (const k of ['code', 'verifier', 'claim', 'expected', 'actual', 'kid', 'owner', 'fix', 'next', 'source']) assert.ok(k in j, k);
  assert.equal(j.code, 'audience_mismatch');
  assert.equal(j.claim, 'aud');
  assert.equal(j.expected, 'web-prod');
  assert.equal(j.actual, 'web-staging');
  assert.equal(j.kid, null);
  assert.equal(j.owner, 'verifier');
  assert.equal(j.next, 'jwt-doctor match TOKEN --contract auth-contract.yaml');
  assert.equal(j.recognised, true);
});

test('text lines name the code, the verifier and the kid; words given unquoted are one message', () => {
  const r = run(['SigningKeyNotFoundError:', 'Unable', 'to', 'find', 'a', 'signing', 'key', 'that', 'matches', "'prod-2026-12'"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^code = key_not_found$/m);
  assert.match(r.out, /^verifier = jwks-rsa$/m);
  assert.match(r.out, /^kid = prod-2026-12$/m);
  assert.match(r.out, /^next = jwt-doctor rotation check --env ENV$/m);
});

test('an unknown message says so and exits 1; the JSON keeps its shape with nulls', () => {
  const t = run(['the service is up']);
  assert.equal(t.code, 1);
  assert.match(t.out, /^recognised = false$/m);
  const j = JSON.parse(run(['the service is up'], 'json').out) as Record<string, unknown>;
  assert.deepEqual([j.recognised, j.code, j.verifier], [false, null, null]);
});

test('as a subprocess: stdin, a pasted token (never echoed), the input cap, usage errors', async () => {
  const token = signToken(makeKey('HS256'), claimsAt(NOW));
  const piped = await runCli(['explain', '-', '--format', 'json'], {
    input: 'kong[1]: {"message":"No credentials found for given \'iss\'"}\n',
  });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal((JSON.parse(piped.stdout) as { code: string }).code, 'key_not_found');

  const pasted = await runCli(['explain', `Authorization: Bearer ${token}`]);
  assert.equal(pasted.code, 1);
  assert.match(pasted.stdout, /this is a token/);
  assert.ok(!pasted.stdout.includes(token.split('.')[1]!) && !pasted.stderr.includes(token.split('.')[1]!), 'the token is echoed');

  // Only the first 64 KiB of stdin are read: a message after them is not seen.
  const late = await runCli(['explain', '-'], { input: `${'.'.repeat(MAX_EXPLAIN_INPUT_BYTES)}\nJwt is expired\n` });
  assert.equal(late.code, 1);
  const early = await runCli(['explain', '-'], { input: `Jwt is expired ${'x'.repeat(2 * MAX_EXPLAIN_INPUT_BYTES)}` });
  assert.equal(early.code, 0);

  for (const args of [['explain'], ['explain', '-'], ['explain', '  ']]) {
    const r = await runCli(args, { input: '' });
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(!hasStackTrace(r.stderr));
  }
});
