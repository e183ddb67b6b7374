/**
 * Provider profiles through the CLI: the contract's `provider:` field and
 * `--provider`, the JSON diagnosis's top-level `provider`, and bad values
 * refused as usage or contract errors (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/index.ts';

const ISS = 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aaaaaaaaa';
const TOKEN = resolve('examples/tokens/providers/cognito-access.jwt');
const JWKS = resolve('examples/keys/staging.jwks.json');
const NOW = ['--now', '2026-11-28T12:05:00Z'];

function contract(provider: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-provider-'));
  const file = join(dir, 'auth-contract.yaml');
  const env = { issuer: ISS, audience: '1example23456789', keys: [{ jwksFile: JWKS }], ...(provider === undefined ? {} : { provider }) };
  writeFileSync(file, JSON.stringify({ version: 1, environments: { api: env } }));
  return file;
}

test('a contract naming cognito accepts its access token; the JSON diagnosis names the profile', async () => {
  const r = await runCli([
    'diagnose',
    TOKEN,
    '--contract',
    contract({ name: 'cognito', tokenUse: 'access' }),
    '--env',
    'api',
    ...NOW,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.result, 'valid');
  assert.deepEqual(d.provider, { name: 'cognito', source: 'contract' });
});

test('without the field the provider is detected and the advice is its own; --provider applies it', async () => {
  const detected = await runCli(['diagnose', TOKEN, '--contract', contract(undefined), '--env', 'api', ...NOW, '--format', 'json']);
  assert.equal(detected.code, 1);
  const d = JSON.parse(detected.stdout);
  assert.deepEqual(d.provider, { name: 'cognito', source: 'detected' });
  assert.ok(
    d.findings.some((f: { claim?: string; detail?: { provider?: string } }) => f.claim === 'aud' && f.detail?.provider === 'cognito'),
  );
  const flag = await runCli(['diagnose', TOKEN, '--iss', ISS, '--aud', '1example23456789', '--key', JWKS, '--provider', 'cognito', ...NOW]);
  assert.equal(flag.code, 0, flag.stdout + flag.stderr);
});

test('an unknown provider is a contract error or a usage error (exit 2), never a stack trace', async () => {
  const bad = await runCli(['diagnose', TOKEN, '--contract', contract('azure-b2c'), '--env', 'api', ...NOW]);
  assert.equal(bad.code, 2);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const flag = await runCli(['diagnose', TOKEN, '--iss', ISS, '--key', JWKS, '--provider', 'azure-b2c', ...NOW]);
  assert.equal(flag.code, 2);
});
