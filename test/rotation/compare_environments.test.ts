import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract } from '../../src/contract/load.ts';
import { compareEnvironments, importSignerKey } from '../../src/rotation/compare_environments.ts';
import { jwksKey, runCli, codes } from '../helpers/index.ts';

const SECRET = 'c3VwZXItc2VjcmV0LXZhbHVlLXRoYXQtaXMtbG9uZy1lbm91Z2gtMTIzNDU2'; // base64 text

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'jd-drift-'));
  const shared = jwksKey('shared');
  const stagingOnly = jwksKey('staging-only');
  const prodOnly = jwksKey('prod-only', 'ES256');
  writeFileSync(join(dir, 'staging.jwks.json'), JSON.stringify({ keys: [shared.publicJwk, stagingOnly.publicJwk] }));
  writeFileSync(join(dir, 'prod.jwks.json'), JSON.stringify({ keys: [shared.publicJwk, prodOnly.publicJwk] }));
  writeFileSync(join(dir, 'signer.pem'), stagingOnly.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(
    join(dir, 'c.yaml'),
    [
      'version: 1',
      'environments:',
      '  local:',
      '    issuer: http://localhost:4000',
      '    algorithms: [HS256]',
      '    keys: [{ secret: { env: DRIFT_SECRET, encoding: utf8 } }]',
      '  staging:',
      '    issuer: https://auth.staging.example.com',
      '    audience: web-staging',
      '    algorithms: [RS256, HS256]',
      '    keys: [{ jwksFile: staging.jwks.json }, { secret: { env: DRIFT_SECRET, encoding: base64 } }]',
      '  prod:',
      '    issuer: https://auth.example.com',
      '    audience: web-prod',
      '    algorithms: [RS256, ES256]',
      '    typ: JWT',
      '    keys: [{ jwksFile: prod.jwks.json }]',
      '',
    ].join('\n'),
  );
  return { dir, shared, stagingOnly, prodOnly };
}

test('drift: fields side by side and key identity by thumbprint', async () => {
  const s = setup();
  try {
    const contract = loadContract(join(s.dir, 'c.yaml'));
    const r = await compareEnvironments(contract, 'staging', 'prod', { vars: { DRIFT_SECRET: SECRET } });
    assert.equal(r.schema, 'jwt-doctor/drift/v1');
    const f = Object.fromEntries(r.fields.map((x) => [x.field, x.same]));
    assert.deepEqual(f, {
      issuer: false,
      audience: false,
      algorithms: false,
      typ: false,
      clockToleranceSeconds: true,
      maxTokenAgeSeconds: true,
      requiredClaims: true,
      claims: true,
      keySources: false,
    });
    assert.deepEqual(
      r.keys.both.map((k) => k.kid),
      ['shared'],
    );
    assert.deepEqual(r.keys.onlyFrom.map((k) => k.kid ?? k.kty).sort(), ['oct', 'staging-only']);
    assert.deepEqual(
      r.keys.onlyTo.map((k) => k.kid),
      ['prod-only'],
    );
    assert.ok(r.keys.onlyFrom.find((k) => k.kty === 'oct')!.identity.startsWith('fp:'));
    assert.ok(!JSON.stringify(r).includes(SECRET), 'the secret never appears');
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('drift --signer-key: which environments trust the signer, secret encoding mismatch', async () => {
  const s = setup();
  try {
    const contract = loadContract(join(s.dir, 'c.yaml'));
    const signer = importSignerKey({ file: join(s.dir, 'signer.pem') });
    const r = await compareEnvironments(contract, 'staging', 'prod', { signer, vars: { DRIFT_SECRET: SECRET } });
    const trust = Object.fromEntries(r.signer!.trust.map((t) => [t.env, t.trusted]));
    assert.deepEqual(trust, { local: false, staging: true, prod: false });
    assert.deepEqual(codes(r), ['signer_key_untrusted']);
    assert.equal(r.findings[0]!.detail!.env, 'prod');

    // The signer reads the secret as utf8; staging reads it as base64; local as utf8.
    const secretSigner = importSignerKey({ secret: SECRET, encoding: 'utf8' });
    const r2 = await compareEnvironments(contract, 'local', 'staging', { signer: secretSigner, vars: { DRIFT_SECRET: SECRET } });
    const t2 = Object.fromEntries(r2.signer!.trust.map((t) => [t.env, t]));
    assert.equal(t2.local!.trusted, true);
    assert.equal(t2.staging!.trusted, false);
    assert.equal(t2.staging!.trustedWithEncoding, 'base64');
    assert.deepEqual(codes(r2), ['secret_encoding_mismatch']);
    assert.ok(!JSON.stringify(r2).includes(SECRET));

    // CLI: text output and exit code, secret from the environment, never printed.
    const cli = await runCli(
      ['drift', '--from', 'local', '--to', 'staging', '--contract', join(s.dir, 'c.yaml'), '--signer-secret', 'env:DRIFT_SECRET'],
      { env: { DRIFT_SECRET: SECRET } },
    );
    assert.equal(cli.code, 1, cli.stderr);
    assert.match(cli.stdout, /read here as base64 and by the signer as utf8/);
    assert.ok(!cli.stdout.includes(SECRET) && !cli.stderr.includes(SECRET));
    // A secret file written by echo (trailing newline) is read raw, as a verifier reads it: the signer's bytes
    // then differ from the variable's, and drift says so instead of trimming silently.
    writeFileSync(join(s.dir, 'signer.secret'), `${SECRET}\n`);
    const fromFile = await runCli(
      [
        'drift',
        '--from',
        'local',
        '--to',
        'staging',
        '--contract',
        join(s.dir, 'c.yaml'),
        '--signer-secret',
        `@${join(s.dir, 'signer.secret')}`,
        '--format',
        'json',
      ],
      {
        env: { DRIFT_SECRET: SECRET },
      },
    );
    const rowsFromFile = (JSON.parse(fromFile.stdout) as { signer: { trust: { env: string; trusted: boolean }[] } }).signer.trust;
    assert.equal(rowsFromFile.find((t) => t.env === 'local')!.trusted, false);
    assert.ok(!fromFile.stdout.includes(SECRET) && !fromFile.stderr.includes(SECRET));
    const bad = await runCli(['drift', '--from', 'local', '--to', 'nowhere', '--contract', join(s.dir, 'c.yaml')], {
      env: { DRIFT_SECRET: SECRET },
    });
    assert.equal(bad.code, 2);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
