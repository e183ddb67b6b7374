/**
 * `jwt-doctor mint` as a subprocess: the token pipes into diagnose, which
 * names the fault; production needs --i-know; the signer's key or secret
 * never reaches stdout or stderr; bad flags are usage errors (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { jwksOf, makeKey } from '../../helpers/mint.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-mint-cli-'));
const rsa = makeKey('RS256', { kid: 'stg-1' });
const pemText = rsa.privateKey!.export({ format: 'pem', type: 'pkcs8' }).toString();
writeFileSync(join(dir, 'signer.pem'), pemText);
writeFileSync(join(dir, 'staging.jwks.json'), JSON.stringify(jwksOf(rsa)));
const SECRET = 'hmac-secret-hmac-secret-hmac-secret-0123';
const contract = join(dir, 'auth-contract.json');
writeFileSync(
  contract,
  JSON.stringify({
    environments: {
      staging: {
        issuer: 'https://auth.staging.example.com',
        audience: ['orders-staging'],
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'scope'],
        keys: [{ jwksFile: 'staging.jwks.json' }],
        signer: { privateKey: { file: 'signer.pem' }, kid: 'stg-1' },
        clients: { mobile: { audience: 'orders-mobile', tokenLifetimeSeconds: 120 } },
      },
      local: {
        issuer: 'http://localhost:4000',
        audience: 'web-local',
        algorithms: ['HS256'],
        keys: [{ secret: { env: 'MINT_CLI_SECRET' } }],
        signer: { secret: { env: 'MINT_CLI_SECRET' } },
      },
      prod: {
        issuer: 'https://auth.example.com',
        audience: 'orders',
        production: true,
        keys: [{ jwksFile: 'staging.jwks.json' }],
        signer: { privateKey: { file: 'signer.pem' } },
      },
    },
  }),
);
const env = { MINT_CLI_SECRET: SECRET };
const NOW = ['--now', '2026-11-28T12:05:00Z'];
const mint = (...args: string[]) => runCli(['mint', '--contract', contract, ...args], { env });
const noSecrets = (s: string) => !s.includes(SECRET) && !s.includes(pemText.split('\n')[1]!);

test('mint | diagnose: a clean token is valid; a faulty one names the fault first', async () => {
  const clean = await mint('--env', 'staging', ...NOW);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const ok = await runCli(['diagnose', '-', '--contract', contract, '--env', 'staging', ...NOW, '--format', 'json'], {
    input: clean.stdout,
    env,
  });
  assert.equal(JSON.parse(ok.stdout).result, 'valid');
  const faulty = await mint('--env', 'staging', ...NOW, '--fault', 'audience_mismatch');
  const d = await runCli(['diagnose', '-', '--contract', contract, '--env', 'staging', ...NOW, '--format', 'json'], {
    input: faulty.stdout,
    env,
  });
  assert.equal(d.code, 1);
  assert.equal(JSON.parse(d.stdout).findings[0].code, 'audience_mismatch');
});

test('--format json: header, claims, the fault made, the signer by kid and thumbprint (never the key)', async () => {
  const r = await mint(
    '--env',
    'staging',
    '--client',
    'mobile',
    ...NOW,
    '--fault',
    'token_not_yet_valid',
    '--claim',
    'scope=orders:read',
    '--claim',
    'admin=false',
    '--jti',
    'j-1',
    '--format',
    'json',
  );
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.schema, 'jwt-doctor/mint/v1');
  assert.deepEqual(j.header, { alg: 'RS256', typ: 'JWT', kid: 'stg-1' });
  assert.deepEqual(
    [j.payload.aud, j.payload.exp - j.payload.iat, j.payload.scope, j.payload.admin, j.payload.jti],
    ['orders-mobile', 120, 'orders:read', false, 'j-1'],
  );
  assert.equal(j.fault.code, 'token_not_yet_valid');
  assert.equal(j.fault.claim, 'nbf');
  assert.equal(j.signer.kid, 'stg-1');
  assert.equal(typeof j.signer.thumbprint, 'string');
  assert.ok(noSecrets(r.stdout + r.stderr));
  const hs = await mint('--env', 'local', ...NOW, '--format', 'json');
  assert.match(JSON.parse(hs.stdout).signer.fingerprint, /^fp:[0-9a-f]{12}$/);
  assert.ok(noSecrets(hs.stdout + hs.stderr));
});

test('production: true is refused without --i-know (exit 2, ERR_PRODUCTION_REFUSED), minted with it', async () => {
  const refused = await mint('--env', 'prod', ...NOW, '--format', 'json');
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.equal(JSON.parse(refused.stderr).code, 'ERR_PRODUCTION_REFUSED');
  const allowed = await mint('--env', 'prod', ...NOW, '--i-know');
  assert.equal(allowed.code, 0, allowed.stderr);
});

test('usage errors: a literal --signer-secret, a fault the environment cannot have, an alg the key cannot sign; no secret echoed, no stack', async () => {
  const cases: [string[], RegExp][] = [
    [['--env', 'local', '--signer-secret', SECRET], /env:NAME or @FILE/],
    [['--env', 'local', '--fault', 'typ_mismatch'], /typ/],
    [['--env', 'staging', '--alg', 'ES256'], /alg/],
    [['--env', 'staging', '--claim', 'novalue'], /NAME=VALUE/],
    [['--env', 'nope'], /unknown environment/],
    [['--env', 'staging', '--signer-key', join(dir, 'staging.jwks.json')], /private key/],
  ];
  for (const [args, message] of cases) {
    const r = await mint(...args, ...NOW);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(hasStackTrace(r.stderr), false);
    assert.ok(noSecrets(r.stdout + r.stderr));
  }
  assert.equal(readFileSync(join(dir, 'signer.pem'), 'utf8'), pemText);
});
