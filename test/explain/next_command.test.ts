import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextCommand } from '../../src/explain/next_command.ts';
import { COMMANDS } from '../../src/cli/main.ts';
import { REASONS, type ReasonCode } from '../../src/reasons.ts';

test('a kid miss leads to the rotation check, a claim miss to match, a time failure to clock, the rest to diagnose', () => {
  assert.equal(nextCommand('key_not_found'), 'jwt-doctor rotation check --env ENV');
  assert.equal(nextCommand('jwks_stale'), 'jwt-doctor rotation check --env ENV');
  assert.equal(nextCommand('audience_mismatch'), 'jwt-doctor match TOKEN --contract auth-contract.yaml');
  assert.equal(nextCommand('token_not_yet_valid'), 'jwt-doctor clock TOKEN --env ENV');
  assert.equal(nextCommand('malformed_token'), 'jwt-doctor decode TOKEN');
  assert.equal(nextCommand('header_missing'), 'jwt-doctor probe TOKEN --env ENV');
  assert.equal(nextCommand('token_expired'), 'jwt-doctor diagnose TOKEN --env ENV');
});

test('every next command names a command the CLI has', () => {
  for (const code of Object.keys(REASONS) as ReasonCode[]) {
    const verb = nextCommand(code).split(' ')[1]!;
    assert.ok(Object.hasOwn(COMMANDS, verb), `${code}: jwt-doctor ${verb}`);
  }
});
