import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract } from '../../src/contract/load.ts';
import { formatRunbookMarkdown, shellLine, type RunbookResults } from '../../src/runbook/format_runbook.ts';
import { planRunbook } from '../../src/runbook/plan_runbook.ts';

const contract = loadContract(
  {
    owners: { signer: 'identity-team', verifier: 'api-platform' },
    environments: {
      dev: { issuer: 'issuer-dev', keys: [{ jwksFile: 'dev jwks.json' }], obtain: { static: { env: 'DEV_TOKEN' } } },
      bare: { issuer: 'issuer-bare' },
    },
  },
  { baseDir: '/tmp' },
);

test('commands are shell lines: "$TOKEN" for the token, other arguments quoted, the token step assigns TOKEN', () => {
  const steps = new Map(planRunbook(contract, 'dev', 'my contracts/auth.yaml').steps.map((s) => [s.id, s]));
  assert.equal(shellLine(steps.get('token')!), "TOKEN=$(jwt-doctor token --contract 'my contracts/auth.yaml' --env dev)");
  assert.equal(shellLine(steps.get('diagnose')!), 'jwt-doctor diagnose "$TOKEN" --contract \'my contracts/auth.yaml\' --env dev');
});

test('each result sits under its step: exit code, stdout and stderr fenced, skipped and timed-out steps say so', () => {
  const runbook = planRunbook(contract, 'dev', 'auth.yaml');
  const results: RunbookResults = {
    ranAt: '2026-12-01T03:00:00.000Z',
    byStep: {
      token: { status: 'ran', exitCode: 0, stdout: '[token 100 chars, sha256 0badf00d]\n', stderr: '', durationMs: 120 },
      decode: { status: 'ran', exitCode: 1, stdout: 'has ``` inside\n', stderr: 'malformed\n', durationMs: 40 },
      diagnose: { status: 'timeout', stdout: '', stderr: '', durationMs: 60_000 },
      keys: { status: 'skipped', reason: 'no token', stdout: '', stderr: '', durationMs: 0 },
    },
  };
  const md = formatRunbookMarkdown(runbook, results);
  const section = (title: string) => md.slice(md.indexOf(title), md.indexOf('\n### ', md.indexOf(title) + 1));
  assert.match(
    section('Decode the token'),
    /\*\*Result:\*\* exit 1 \(0\.0 s\)\n\nstdout:\n\n````text\nhas ``` inside\n````\n\nstderr:\n\n```text\nmalformed\n```/,
  );
  assert.match(section('Obtain a fresh token'), /\*\*Result:\*\* exit 0[\s\S]*\[token 100 chars, sha256 0badf00d\]/);
  assert.match(section('Check it against'), /\*\*Result:\*\* no answer within 60 s/);
  assert.match(section('Inspect the environment'), /\*\*Result:\*\* not run: no token\./);
  assert.match(md, /Results below are from a run at 2026-12-01T03:00:00\.000Z/);
});

test('without a check step the runbook ends with how to validate the fix (diagnose again)', () => {
  const md = formatRunbookMarkdown(planRunbook(contract, 'bare', 'auth.yaml'));
  assert.match(md, /## Validate\n\nAfter the fix, put a newly issued token in `TOKEN` and run step 2 again/);
  assert.ok(!formatRunbookMarkdown(planRunbook(contract, 'dev', 'auth.yaml')).includes('After the fix'));
});
