/**
 * `jwt-doctor check` end to end (runCli): the bundled offline example
 * (examples/check: tokens minted with the staging signer) stable and with
 * a client whose refresh comes too late, the JUnit file written and parsed
 * back, a token endpoint that is down (exit 1, the report and the JUnit
 * file still written), usage and contract errors with exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { hasStackTrace, REPO, runCli } from '../../helpers/cli.ts';
import { assertUsage } from '../../helpers/usage.ts';
import { closedPort } from '../../probe/fixtures.ts';
import type { CheckReport } from '../../../src/check/run_check.ts';

const CONTRACT = join(REPO, 'examples/check/auth-contract.yaml');
const AT = ['--now', '2026-11-28T12:05:00Z'];
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-check-cli-'));

const junit = (file: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(
    readFileSync(file, 'utf8'),
  ).testsuites as { testsuite: { name: string; testcase: { name: string; failure?: { type: string } }[] }[] };

test('a stable environment: exit 0, the guide lines (lifetime too: the policy sets one)', async () => {
  const r = await runCli(['check', '--contract', CONTRACT, '--env', 'staging', ...AT]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    'signature = pass',
    'issuer = pass',
    'audience = pass',
    'lifetime = pass',
    'clock_skew_seconds = skip',
    'refresh_flow = pass',
    'status = stable',
  ]);
});

test('a client whose refresh comes too late: exit 1, JSON per client, the JUnit failure typed refresh_too_late', async () => {
  const file = join(dir, 'shop.xml');
  const r = await runCli(['check', '--contract', CONTRACT, '--env', 'shop', ...AT, '--format', 'json', '--junit', file]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as CheckReport;
  assert.deepEqual(
    report.clients.map((c) => [c.client, c.status]),
    [
      ['web', 'stable'],
      ['mobile', 'unstable'],
    ],
  );
  const suites = junit(file).testsuite;
  assert.deepEqual(
    suites.map((s) => s.name),
    ['shop/web', 'shop/mobile'],
  );
  const failures = suites.flatMap((s) => s.testcase.filter((t) => t.failure).map((t) => [s.name, t.name, t.failure!.type]));
  assert.deepEqual(failures, [['shop/mobile', 'refresh_flow', 'refresh_too_late']]);
  const one = await runCli(['check', '--contract', CONTRACT, '--env', 'shop', '--client', 'web', ...AT, '--format', 'markdown']);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^## jwt-doctor check: shop: stable/);
});

test('the token endpoint down: exit 1, a failing token line, the report and the JUnit file still written, no stack trace', async () => {
  const file = join(dir, 'down.yaml');
  const cc = {
    clientId: 'ci',
    clientSecret: { env: 'JWT_DOCTOR_CHECK_SECRET' },
    tokenEndpoint: `http://127.0.0.1:${await closedPort()}/token`,
  };
  writeFileSync(
    file,
    JSON.stringify({
      environments: {
        staging: {
          issuer: 'urn:example:auth',
          audience: 'api',
          keys: [{ jwksFile: join(REPO, 'examples/keys/staging.jwks.json') }],
          obtain: { clientCredentials: cc },
        },
      },
    }),
  );
  const xml = join(dir, 'down.xml');
  const r = await runCli(['check', '--contract', file, '--env', 'staging', '--junit', xml, '--timeout', '2000'], {
    env: { JWT_DOCTOR_CHECK_SECRET: 'a-secret-that-never-shows' },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.split('\n').includes('token = fail token_endpoint_unreachable'));
  assert.equal(hasStackTrace(r.stderr), false);
  assert.equal((r.stdout + r.stderr).includes('a-secret-that-never-shows'), false);
  const token = junit(xml).testsuite[0]!.testcase.find((t) => t.name === 'token')!;
  assert.equal(token.failure?.type, 'token_endpoint_unreachable');
});

test('usage and contract errors exit 2 with one line saying what to fix', async () => {
  const base = ['check', '--contract', CONTRACT];
  assertUsage(await runCli(base), base, ['--env']);
  assertUsage(await runCli([...base, '--env', 'qa']), [...base, '--env', 'qa'], ['qa']);
  assertUsage(await runCli([...base, '--env', 'shop', '--client', 'tablet']), [...base, '--client', 'tablet'], ['tablet']);
  assertUsage(await runCli([...base, '--env', 'staging', '--format', 'yaml']), [...base, '--format'], ['yaml']);
  assertUsage(
    await runCli([...base, '--env', 'staging', ...AT, '--junit', join(dir, 'no/such/dir/x.xml')]),
    [...base, '--junit'],
    ['--junit'],
  );
  assertUsage(await runCli(['check', '--contract', join(dir, 'missing.yaml'), '--env', 'staging']), ['check'], ['missing.yaml']);
});
