import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { equivalentCommand, explainRequest } from '../../src/ui/api.ts';

/** The words a POSIX shell makes of a command line (printf prints each on its own line). */
const words = (line: string) =>
  execFileSync('sh', ['-c', `printf '%s\\n' ${line}`], { encoding: 'utf8' })
    .trimEnd()
    .split('\n');

test('equivalentCommand: the same words in a shell, whatever the contract path; the token is never in it', () => {
  for (const contractFile of ['examples/auth-contract.yaml', "team's contract.yaml", 'a;b $(x) `y`.yaml']) {
    const line = equivalentCommand({ contractFile, now: 1_795_867_500 }, 'staging', 'token');
    const tail = line.slice('jwt-doctor diagnose "$TOKEN" '.length);
    assert.deepEqual(words(tail), ['--contract', contractFile, '--env', 'staging', '--now', '2026-11-28T12:05:00.000Z']);
  }
  assert.match(
    equivalentCommand({ contractFile: 'c.yaml' }, 'prod', 'headers'),
    /^jwt-doctor diagnose --headers - --contract c\.yaml --env prod < request\.txt$/,
  );
});

test('explainRequest: a body without text is invalid_request; an unknown message translates to null', () => {
  assert.equal((explainRequest({}) as { code: string }).code, 'invalid_request');
  assert.equal((explainRequest({ text: 42 }) as { code: string }).code, 'invalid_request');
  assert.equal((explainRequest({ text: 'no verifier said this' }) as { translation: unknown }).translation, null);
});
