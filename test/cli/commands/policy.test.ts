/**
 * `jwt-doctor policy` end to end (runCli): the bundled policy example
 * (every violation at once), a contract that holds, a shared Redis deny
 * set (real redis-server) reached and unreachable, tokens from stdin,
 * --no-revocation, and usage / contract errors with exit 2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { claimsAt, makeKey, signJws } from '../../helpers/mint.ts';
import { freePort, startRedis, type RunningRedis } from '../../helpers/redis_server.ts';
import { RedisClient } from '../../../src/revocation/redis_client.ts';
import type { PolicyReport } from '../../../src/policy/build_policy_report.ts';

const NOW = 1_800_000_000;
const DAY = 86400;
const ISS = 'https://auth.example.com';
const key = makeKey('RS256', { kid: 'k-2027' });
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-policy-cli-'));
let redis: RunningRedis;

/** A contract in the temp dir: one environment trusting `key` (its JWK stamped with iat), with this policy. */
function contract(name: string, policy: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  writeFileSync(join(dir, `${name}.jwks.json`), JSON.stringify({ keys: [{ ...key.publicJwk, iat: NOW - 10 * DAY }] }));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      environments: {
        staging: {
          issuer: ISS,
          audience: 'api',
          algorithms: ['RS256'],
          clockToleranceSeconds: 10,
          keys: [{ jwksFile: `${name}.jwks.json` }],
          policy,
          ...extra,
        },
      },
    }),
  );
  return file;
}
const token = (extra: Record<string, unknown> = {}) =>
  signJws(key, claimsAt(NOW, { iss: ISS, iat: NOW - 60, exp: NOW + 840, jti: 'jti-ok', ...extra }));
const at = ['--now', String(NOW)];
const json = (stdout: string) => JSON.parse(stdout) as PolicyReport;
const codes = (r: PolicyReport) => r.findings.map((f) => f.code).sort();

before(async () => {
  redis = await startRedis();
  const admin = new RedisClient({ host: '127.0.0.1', port: redis.port });
  await admin.command(['SADD', 'revoked-jtis', 'jti-stolen']);
  await admin.close();
});
after(async () => {
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the bundled example: tolerance, rollover, lifetime, refresh window and deny list all violated, exit 1', async () => {
  const r = await runCli([
    'policy',
    '--env',
    'staging',
    '--contract',
    'examples/policy/auth-contract.yaml',
    'examples/tokens/local-login.jwt',
    '--now',
    '2026-11-28T12:56:00Z',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const report = json(r.stdout);
  assert.deepEqual(codes(report), [
    'clock_tolerance_exceeds_policy',
    'key_rotation_overdue',
    'token_lifetime_exceeds_policy',
    'token_refresh_overdue',
    'token_revoked',
  ]);
  assert.deepEqual(
    [report.tokens[0]!.revocation, report.tokens[0]!.jti, report.keys[0]!.ageSource],
    ['revoked', 'a3f1c2e4-example', 'contract'],
  );
  const text = await runCli([
    'policy',
    '--env',
    'staging',
    '--contract',
    'examples/policy/auth-contract.yaml',
    'examples/tokens/local-login.jwt',
    '--now',
    '2026-11-28T12:56:00Z',
  ]);
  assert.match(text.stdout, /^result = violation$/m);
  const md = await runCli([
    'policy',
    '--env',
    'staging',
    '--contract',
    'examples/policy/auth-contract.yaml',
    'examples/tokens/local-login.jwt',
    '--now',
    '2026-11-28T12:56:00Z',
    '--format',
    'markdown',
  ]);
  assert.match(md.stdout, /^\| 1 \| a3f1c2e4-example \| 1h \|/m);
});

test('a policy that holds: exit 0, the key age from the JWK iat, the token not revoked', async () => {
  const file = contract('holds', {
    tokenLifetimeSeconds: '15m',
    refreshWindowSeconds: '2m',
    maxClockToleranceSeconds: 30,
    keyMaxAgeDays: 90,
    keyRolloverDays: 30,
    revocation: { redis: { url: redis.url, key: 'revoked-jtis' } },
  });
  const r = await runCli(['policy', '--env', 'staging', '--contract', file, token(), ...at, '--format', 'json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = json(r.stdout);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(
    [report.keys[0]!.ageSource, report.keys[0]!.ageDays, report.tokens[0]!.revocation, report.tokens[0]!.lifetimeSeconds],
    ['jwk_iat', 10, 'not_revoked', 900],
  );
  assert.ok(!r.stdout.includes(token()), 'the report never carries the token');
});

test('Redis: a jti in the shared set is token_revoked; Redis unreachable is revocation_unavailable with the report still written', async () => {
  const file = contract('redis', { revocation: { redis: { url: redis.url, key: 'revoked-jtis' } } });
  const revoked = await runCli(['policy', '--env', 'staging', '--contract', file, token({ jti: 'jti-stolen' }), ...at, '--format', 'json']);
  assert.equal(revoked.code, 1);
  assert.deepEqual(codes(json(revoked.stdout)), ['token_revoked']);
  const down = contract('down', { revocation: { redis: { url: `redis://127.0.0.1:${await freePort()}`, key: 'revoked-jtis' } } });
  const r = await runCli(['policy', '--env', 'staging', '--contract', down, token(), ...at]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^token 1 revocation = unavailable \(redis:\/\/127\.0\.0\.1:\d+ revoked-jtis\)$/m);
  assert.match(r.stdout, /^error {3}revocation_unavailable \(token=1 source=\S+ revoked-jtis error=unreachable\)/m);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  const skipped = await runCli(['policy', '--env', 'staging', '--contract', down, token(), ...at, '--no-revocation', '--format', 'json']);
  assert.equal(skipped.code, 0);
  assert.equal(json(skipped.stdout).tokens[0]!.revocation, 'not_checked');
});

test('tokens from stdin, one per line; a forged token is reported as such and never looked up', async () => {
  const file = contract('stdin', { tokenLifetimeSeconds: 3600, revocation: { redis: { url: redis.url, key: 'revoked-jtis' } } });
  const forged = signJws(makeKey('RS256', { kid: 'k-2027', fresh: true }), claimsAt(NOW, { iss: ISS, jti: 'jti-stolen' }));
  const r = await runCli(['policy', '--env', 'staging', '--contract', file, '-', ...at, '--format', 'json'], {
    input: `${token()}\n\n# a comment\n${forged}\n`,
  });
  const report = json(r.stdout);
  assert.deepEqual(
    report.tokens.map((t) => [t.index, t.signature, t.revocation, t.findings.map((f) => f.code)]),
    [
      [1, 'pass', 'not_revoked', []],
      [2, 'fail', 'not_checked', ['signature_invalid']],
    ],
  );
  assert.equal(r.code, 1);
});

test('usage and contract errors exit 2 with a message saying what to fix', async () => {
  const noEnv = await runCli(['policy', '--contract', contract('x', {})]);
  assert.deepEqual([noEnv.code, /--env NAME/.test(noEnv.stderr)], [2, true]);
  const bad = await runCli(['policy', '--env', 'staging', '--contract', contract('bad', { refreshWindowSeconds: '5 minutes' })]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /environments\.staging\.policy\.refreshWindowSeconds/);
  const secret = contract('secret', {
    revocation: { redis: { url: redis.url, key: 'k', password: { env: 'JWT_DOCTOR_TEST_REDIS_PASSWORD' } } },
  });
  const unset = await runCli(['policy', '--env', 'staging', '--contract', secret, token(), ...at], {
    env: { JWT_DOCTOR_TEST_REDIS_PASSWORD: undefined },
  });
  assert.equal(unset.code, 2);
  assert.match(unset.stderr, /JWT_DOCTOR_TEST_REDIS_PASSWORD is not set/);
  for (const r of [noEnv, bad, unset]) assert.ok(!hasStackTrace(r.stderr), r.stderr);
});

test('diagnose names token_revoked for a valid token on the deny list; --no-revocation skips the lookup', async () => {
  writeFileSync(join(dir, 'revoked.txt'), 'jti-stolen\n');
  const file = contract('diagnose', { revocation: { denylist: 'revoked.txt' } });
  const revoked = await runCli([
    'diagnose',
    token({ jti: 'jti-stolen' }),
    '--env',
    'staging',
    '--contract',
    file,
    ...at,
    '--format',
    'json',
  ]);
  assert.equal(revoked.code, 1);
  assert.equal((JSON.parse(revoked.stdout) as { result: string }).result, 'token_revoked');
  const skipped = await runCli([
    'diagnose',
    token({ jti: 'jti-stolen' }),
    '--env',
    'staging',
    '--contract',
    file,
    ...at,
    '--no-revocation',
    '--format',
    'json',
  ]);
  assert.deepEqual([skipped.code, (JSON.parse(skipped.stdout) as { result: string }).result], [0, 'valid']);
});
