/**
 * `jwt-doctor runbook` as a subprocess: the plan of the bundled example,
 * --out, usage errors, and --with-results against a contract whose token
 * source is a file and whose issuer clock is a real HTTP server on
 * 127.0.0.1: each embedded result is the exit code and output the same
 * command gives when run on its own, and the token never appears.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../../src/cli/main.ts';
import { tokenMark } from '../../../src/runbook/redact_tokens.ts';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { serve, type ServedServer } from '../../helpers/http_server.ts';
import { claimsAt, jwksOf, makeKey, NOW, signToken } from '../../helpers/index.ts';

const EXAMPLE = ['--contract', 'examples/auth-contract.yaml'];

test('the plan of the bundled staging environment: its steps, commands with contract and env, owners from the contract', async () => {
  const r = await runCli(['runbook', '--env', 'staging', ...EXAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  const headings = r.stdout.split('\n').filter((l) => l.startsWith('### '));
  assert.deepEqual(
    headings.map((h) => h.replace(/^### \d+\. /, '')),
    [
      'Decode the token without trusting it',
      "Check it against the environment's verifier",
      "Measure the issuer's and the API's clocks",
      "Inspect the environment's key sources",
      'Find the environment the token really belongs to',
    ],
  );
  assert.ok(r.stdout.includes('\njwt-doctor diagnose "$TOKEN" --contract examples/auth-contract.yaml --env staging\n'));
  // staging overrides the verifier team: orders-team, not api-platform.
  assert.match(r.stdout, /\| `issuer_mismatch` \| verifier \(orders-team\) \|/);
  assert.ok(!r.stdout.includes('api-platform'));
  assert.ok(!r.stdout.includes('**Result:**'));
});

test('--format json: the steps with their argv ("$TOKEN" for the token) and shell line', async () => {
  const r = await runCli(['runbook', '--env', 'prod', ...EXAMPLE, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { schema: string; production: boolean; steps: { id: string; argv: string[]; command: string }[] };
  assert.equal(doc.schema, 'jwt-doctor/runbook/v1');
  assert.equal(doc.production, true);
  assert.ok(!doc.steps.some((s) => s.id === 'drill'));
  const decode = doc.steps.find((s) => s.id === 'decode')!;
  assert.deepEqual(decode.argv, ['decode', '$TOKEN']);
  assert.equal(decode.command, 'jwt-doctor decode "$TOKEN"');
});

test('--out writes the runbook to the file and says so on stdout', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'jwt-doctor-runbook-')), 'staging.md');
  const r = await runCli(['runbook', '--env', 'staging', ...EXAMPLE, '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^runbook of staging written to .*staging\.md \(5 steps\)\n$/);
  assert.match(readFileSync(file, 'utf8'), /^# Runbook: staging\n/);
});

test('usage errors exit 2 with one line: no --env, an unknown environment, a token without --with-results', async () => {
  for (const args of [
    ['runbook', ...EXAMPLE],
    ['runbook', '--env', 'qa', ...EXAMPLE],
    ['runbook', '--env', 'staging', ...EXAMPLE, 'examples/tokens/local-login.jwt'],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(!hasStackTrace(r.stderr));
  }
});

test('--with-results without a token and no token source: the token steps are skipped, the others run', async () => {
  const r = await runCli(['runbook', '--env', 'local', ...EXAMPLE, '--with-results', '--format', 'json']);
  const doc = JSON.parse(r.stdout) as { results: { byStep: Record<string, { status: string; exitCode?: number; reason?: string }> } };
  const by = doc.results.byStep;
  for (const id of ['decode', 'diagnose', 'clock', 'match']) assert.equal(by[id]!.status, 'skipped', id);
  assert.match(by.decode!.reason!, /no token/);
  assert.deepEqual({ status: by.keys!.status, exitCode: by.keys!.exitCode }, { status: 'ran', exitCode: 0 });
  assert.equal(r.code, 0);
});

interface Results {
  byStep: Record<string, { status: string; exitCode?: number; stdout: string; stderr: string; durationMs: number }>;
}

let clockServer: ServedServer;
let dir: string;
let token: string;

before(async () => {
  clockServer = await serve((_req, res) => void res.end('ok'));
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-runbook-results-'));
  const key = makeKey('ES256', { kid: 'ci-1' });
  token = signToken(key, claimsAt(NOW, { iss: 'https://auth.ci.example', aud: 'orders' }));
  writeFileSync(join(dir, 'ci.jwks.json'), JSON.stringify(jwksOf(key)));
  writeFileSync(join(dir, 'ci.jwt'), token + '\n');
  writeFileSync(
    join(dir, 'auth-contract.json'),
    JSON.stringify({
      owners: { signer: 'identity-team', verifier: 'orders-team', gateway: 'platform-edge' },
      environments: {
        ci: {
          issuer: 'https://auth.ci.example',
          issuerBaseUrl: clockServer.url,
          audience: 'orders',
          algorithms: ['ES256'],
          keys: [{ jwksFile: 'ci.jwks.json' }],
          obtain: { static: { file: 'ci.jwt' } },
        },
      },
    }),
  );
});

after(() => clockServer.close());

/** Lines that carry the wall clock (now, ages, "expires in"): they differ between two runs. */
const stable = (text: string) =>
  text
    .split('\n')
    .filter((l) => !/\bnow\b|ago|\bin \d|age|offset|rtt|uncertainty|local_now|secondsAhead|secondsBehind|_vs_/i.test(l))
    .join('\n');

test('--with-results embeds what each command prints and its exit code, with the token from the token step, never the token itself', async () => {
  const contract = join(dir, 'auth-contract.json');
  const r = await runCli(['runbook', '--env', 'ci', '--contract', contract, '--with-results', '--format', 'json']);
  assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'the token leaked');
  assert.ok(!hasStackTrace(r.stderr));
  const { byStep } = (JSON.parse(r.stdout) as { results: Results }).results;
  assert.deepEqual(Object.keys(byStep), ['token', 'decode', 'diagnose', 'clock', 'keys', 'match', 'check']);
  assert.deepEqual(byStep.token, {
    status: 'ran',
    exitCode: 0,
    stdout: `${tokenMark(token)}\n`,
    stderr: '',
    durationMs: byStep.token!.durationMs,
  } as never);
  const direct: Record<string, string[]> = {
    decode: ['decode', token],
    diagnose: ['diagnose', token, '--contract', contract, '--env', 'ci'],
    clock: ['clock', token, '--contract', contract, '--env', 'ci'],
    keys: ['keys', '--contract', contract, '--env', 'ci'],
    match: ['match', token, '--contract', contract],
  };
  for (const [id, argv] of Object.entries(direct)) {
    const alone = await runCli(argv);
    const embedded = byStep[id]!;
    assert.equal(embedded.status, 'ran', id);
    assert.equal(embedded.exitCode, alone.code, `${id}: exit code`);
    assert.equal(stable(embedded.stdout), stable(alone.stdout.split(token).join(tokenMark(token))), `${id}: stdout`);
  }
  assert.match(byStep.diagnose!.stdout, /^signature = pass$/m);
  assert.match(byStep.clock!.stdout, /^issuer_url = http:\/\/127\.0\.0\.1:/m);
  if (!Object.hasOwn(COMMANDS, 'check')) {
    // Until `jwt-doctor check` lands, the step's result is the CLI's own usage error.
    assert.equal(byStep.check!.exitCode, 2);
    assert.match(byStep.check!.stderr, /unknown command 'check'/);
    assert.equal(r.code, 1);
  }
});
