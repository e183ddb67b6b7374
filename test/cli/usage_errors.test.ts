/**
 * Operator mistakes in keys are usage errors (issue 9 item 4): inline key
 * flags, an unset env: secret in a contract; inline mode names no other
 * environment; key_not_found with no key says so. Every case runs the real
 * CLI as a subprocess (see test/helpers/usage.ts for the assertion).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, REPO } from '../helpers/cli.ts';
import { assertUsage, NOW_ISO, SECRET, usage, usageFixtures } from '../helpers/usage.ts';
import { EXAMPLES_NOW_ISO } from '../helpers/index.ts';

const f = usageFixtures();
const { token, contract, dir, inline } = f;

test('inline key flags: a missing --key or --secret @file, an unset env: secret, a non-URL --jwks-url, an undecodable secret exit 2; given correctly they verify', async () => {
  const base = ['diagnose', token, ...inline];
  await usage([...base, '--key', join(dir, 'missing.pem')], ['--key', 'missing.pem']);
  await usage([...base, '--key', join(dir, 'missing.jwks.json')], ['missing.jwks.json']);
  await usage([...base, '--secret', `@${join(dir, 'missing.secret')}`], ['missing.secret']);
  await usage([...base, '--secret', 'env:JWT_DOCTOR_UNSET_VARIABLE'], ['JWT_DOCTOR_UNSET_VARIABLE'], {
    env: { JWT_DOCTOR_UNSET_VARIABLE: undefined },
  });
  for (const url of ['notaurl', 'localhost:8080/jwks.json', 'ftp://auth.example.com/jwks.json'])
    await usage([...base, '--jwks-url', url], ['--jwks-url']);
  const notHex = 'zz-not-hex-secret-value';
  const r = await runCli([...base, '--secret', notHex, '--secret-encoding', 'hex']);
  assertUsage(r, ['--secret-encoding hex'], ['--secret-encoding']);
  assert.equal(r.stderr.includes(notHex), false, 'the secret is never echoed');
  await usage([...base, '--secret', 'not base64 !!', '--secret-encoding', 'base64'], ['--secret-encoding']);
  await usage([...base, '--secret', '@' + join(dir, 'secret.txt'), '--secret-encoding', 'hex'], ['--secret-encoding']);
  // The same flags given correctly verify the token.
  const ok = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli([...base, '--format', 'json', ...args], { env });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).result, 'valid');
  };
  await ok(['--secret', `@${join(dir, 'secret.txt')}`]);
  await ok(['--secret', 'env:JWT_DOCTOR_SET_VARIABLE'], { JWT_DOCTOR_SET_VARIABLE: SECRET });
  await ok(['--secret', Buffer.from(SECRET).toString('hex'), '--secret-encoding', 'hex']);
  await ok(['--secret', Buffer.from(SECRET).toString('base64'), '--secret-encoding', 'base64']);
  // A well-formed --jwks-url that cannot be reached stays a finding (exit 1), not a usage error.
  const down = await runCli([...base, '--format', 'json', '--jwks-url', `${f.server.url}/missing.json`]);
  assert.equal(down.code, 1);
  assert.equal(JSON.parse(down.stdout).result, 'jwks_unreachable');
});

test('contract: an unset env: secret of the environment used is a contract error naming the variable and the field path', async () => {
  const env = { JWT_DOCTOR_TEST_SECRET: undefined };
  await usage(
    ['diagnose', token, '--contract', contract, '--env', 'local', '--now', NOW_ISO],
    ['JWT_DOCTOR_TEST_SECRET', 'environments.local.keys[0].secret.env'],
    { env },
  );
  await usage(
    ['match', token, '--contract', contract, '--now', NOW_ISO],
    ['JWT_DOCTOR_TEST_SECRET', 'environments.local.keys[0].secret.env'],
    { env },
  );
  await usage(['keys', '--contract', contract, '--env', 'local'], ['JWT_DOCTOR_TEST_SECRET'], { env });
  // Another environment of the same contract is still usable.
  const other = await runCli(['diagnose', token, '--contract', contract, '--env', 'other', '--now', NOW_ISO, '--format', 'json'], { env });
  assert.equal(other.code, 1);
  assert.ok(JSON.parse(other.stdout).findings.some((f: { code: string }) => f.code === 'issuer_mismatch'));
  const set = await runCli(['diagnose', token, '--contract', contract, '--env', 'local', '--now', NOW_ISO, '--format', 'json'], {
    env: { JWT_DOCTOR_TEST_SECRET: SECRET },
  });
  assert.equal(set.code, 0, set.stderr);
  assert.equal(JSON.parse(set.stdout).result, 'valid');
});

test('inline mode names no other environment: a contract in the folder is not used without --env', async () => {
  // examples/ holds auth-contract.yaml, whose environments trust the token's key.
  const cwd = join(REPO, 'examples');
  const closed = `${f.server.url}/no-such-jwks.json`;
  const runs = [
    await runCli(['diagnose', 'tokens/local-login.jwt', '--jwks-url', closed, '--now', EXAMPLES_NOW_ISO, '--format', 'json'], { cwd }),
    await runCli(['diagnose', 'tokens/local-hs256.jwt', '--secret', '@keys/local.secret', '--now', EXAMPLES_NOW_ISO, '--format', 'json'], {
      cwd,
    }),
    await runCli(
      [
        'diagnose',
        'tokens/local-login.jwt',
        '--iss',
        'https://auth.example.com',
        '--jwks-url',
        closed,
        '--now',
        EXAMPLES_NOW_ISO,
        '--format',
        'json',
      ],
      { cwd },
    ),
  ];
  for (const r of runs) {
    assert.equal(r.code, 1, r.stderr);
    const d = JSON.parse(r.stdout) as { findings: { code: string; hint: string; detail?: Record<string, unknown> }[] };
    assert.equal(
      d.findings.some((f) => f.code === 'key_from_other_environment'),
      false,
      JSON.stringify(d.findings),
    );
    for (const f of d.findings) {
      assert.doesNotMatch(f.hint, /another environment|environment (local|staging|prod)\b/, f.code);
      assert.equal(f.detail?.issuerOfEnvironments, undefined);
    }
  }
  // The wrong encoding is still found, as an encoding problem of the secret given.
  assert.ok(JSON.parse(runs[1]!.stdout).findings.some((f: { code: string }) => f.code === 'secret_encoding_mismatch'));
  // With --env, the contract is used and provenance may name its other environments.
  const withEnv = await runCli(['diagnose', 'tokens/local-login.jwt', '--env', 'prod', '--now', EXAMPLES_NOW_ISO, '--format', 'json'], {
    cwd,
  });
  assert.ok(JSON.parse(withEnv.stdout).findings.some((f: { code: string }) => f.code === 'key_from_other_environment'));
});

test('key_not_found with no key at all says that no key is trusted, never "expected , found"', async () => {
  const r = await runCli(['diagnose', token, '--iss', 'https://auth.example.com', '--now', NOW_ISO]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout, /expected , found/);
  const j = await runCli(['diagnose', token, '--iss', 'https://auth.example.com', '--now', NOW_ISO, '--format', 'json']);
  const f = JSON.parse(j.stdout).findings.find((x: { code: string }) => x.code === 'key_not_found');
  assert.ok(f);
  assert.equal('expected' in f, false);
  assert.equal(f.detail.trustedKeys, 0);
  assert.equal(f.detail.reason, 'no_trusted_keys');
  assert.notEqual(f.hint, "Check that the verifier's key set contains the signer's current key (kid).");
});
