/**
 * mintToken's shape and refusals: claims from the environment, the client
 * and policy; the signer from a private JWK in a variable (its kid and
 * alg); never the key in the result; contract and usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { loadContract } from '../../src/contract/load.ts';
import { mintToken, DEFAULT_MINT_LIFETIME_SECONDS } from '../../src/mint/mint_token.ts';
import { ContractError, ProductionRefusedError, UsageError } from '../../src/errors.ts';

const NOW = 1_795_874_700;
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const privateJwk: Record<string, unknown> = {
  ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>),
  kid: 'jwk-kid',
  alg: 'ES384',
};
const vars = { SIGNER_JWK: JSON.stringify(privateJwk) };
const signer = { privateKey: { env: 'SIGNER_JWK' } };
const contract = loadContract(
  {
    environments: {
      staging: {
        issuer: ['https://auth.staging.example.com', 'https://old.example.com'],
        audience: ['orders', 'orders-legacy'],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'tenant', 'nbf'],
        claims: {
          scope: { includes: ['orders:read', 'orders:write'] },
          roles: { includes: ['ops'] },
          tier: { oneOf: ['gold', 'silver'] },
          v: 2,
        },
        policy: { tokenLifetimeSeconds: 600 },
        signer,
        clients: { mobile: { audience: 'orders-mobile', tokenLifetimeSeconds: 120 }, web: {} },
      },
      plain: { issuer: 'https://auth.example.com', signer },
      nosigner: { issuer: 'https://auth.example.com' },
      prod: { issuer: 'https://auth.example.com', production: true, signer },
    },
  },
  { vars },
);

test('the environment shapes the token: iss, aud, typ, expected and required claims, policy lifetime; the JWK gives kid and alg', () => {
  const m = mintToken(contract, 'staging', { now: NOW, vars, jti: 'j1' });
  assert.deepEqual(m.header, { alg: 'ES384', typ: 'at+jwt', kid: 'jwk-kid' });
  assert.deepEqual(m.payload, {
    iss: 'https://auth.staging.example.com',
    sub: 'jwt-doctor-mint',
    aud: 'orders',
    iat: NOW,
    exp: NOW + 600,
    jti: 'j1',
    scope: 'orders:read orders:write',
    roles: ['ops'],
    tier: 'gold',
    v: 2,
    tenant: 'jwt-doctor-mint',
    nbf: NOW,
  });
  assert.deepEqual(m.signer, { alg: 'ES384', kid: 'jwk-kid', thumbprint: m.signer.thumbprint, location: 'env:SIGNER_JWK' });
  assert.equal(JSON.stringify(m).includes(String(privateJwk.d)), false);
});

test('a client brings its audience and lifetime; options and claims override; a Date is a clock too', () => {
  const m = mintToken(contract, 'staging', {
    now: new Date(NOW * 1000 + 999),
    vars,
    client: 'mobile',
    claims: { sub: 'user-7', tier: 'bronze' },
  });
  assert.deepEqual(
    [m.client, m.payload.aud, m.payload.exp, m.payload.sub, m.payload.tier],
    ['mobile', 'orders-mobile', NOW + 120, 'user-7', 'bronze'],
  );
  const web = mintToken(contract, 'staging', { now: NOW, vars, client: 'web', lifetimeSeconds: 30 });
  assert.deepEqual([web.payload.aud, web.payload.exp], ['orders', NOW + 30]);
  const plain = mintToken(contract, 'plain', { now: NOW, vars });
  assert.equal(plain.payload.exp, NOW + DEFAULT_MINT_LIFETIME_SECONDS);
  assert.equal(plain.header.typ, 'JWT');
  assert.equal('aud' in plain.payload, false);
  assert.notEqual(plain.payload.jti, mintToken(contract, 'plain', { now: NOW, vars }).payload.jti);
});

test('refusals: production without allowProduction, no signer, an unset variable, an unknown client or environment, a fault the environment lacks', () => {
  assert.throws(() => mintToken(contract, 'prod', { now: NOW, vars }), ProductionRefusedError);
  assert.equal(mintToken(contract, 'prod', { now: NOW, vars, allowProduction: true }).env, 'prod');
  assert.throws(
    () => mintToken(contract, 'nosigner', { now: NOW, vars }),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.nosigner.signer',
  );
  assert.throws(
    () => mintToken(contract, 'plain', { now: NOW, vars: {} }),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.plain.signer.privateKey',
  );
  assert.throws(() => mintToken(contract, 'staging', { now: NOW, vars, client: 'tv' }), UsageError);
  assert.throws(() => mintToken(contract, 'qa', { now: NOW, vars }), UsageError);
  assert.throws(
    () => mintToken(contract, 'plain', { now: NOW, vars, fault: 'typ_mismatch' }),
    (e: unknown) => e instanceof UsageError && /typ/.test(e.message),
  );
  assert.throws(
    () => mintToken(contract, 'plain', { now: NOW, vars, signer: { ...signer, alg: 'RS256' } }),
    (e: unknown) => e instanceof UsageError && !e.message.includes(String(privateJwk.d)),
  );
});

test('an HMAC signer secret in a file that ends with a newline is read as the verifier reads it: raw, or trimmed on both sides', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { diagnose } = await import('../../src/diagnose/create_diagnoser.ts');
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-mint-'));
  writeFileSync(join(dir, 'jwt.secret'), 'hs-signing-secret-0123456789abcdef\n'); // echo without -n
  for (const trim of [false, true]) {
    const secret = { file: 'jwt.secret', ...(trim ? { trim } : {}) };
    const c = loadContract(
      {
        environments: {
          dev: { issuer: 'https://auth.example.com', algorithms: ['HS256'], keys: [{ secret }], signer: { secret, alg: 'HS256' } },
        },
      },
      { baseDir: dir },
    );
    const minted = mintToken(c, 'dev', { now: NOW });
    const d = await diagnose(minted.token, c.environments.dev!, { contract: c, now: NOW });
    assert.equal(d.result, 'valid', `trim ${trim}`);
    // The other reading is another key: a verifier reading the file the other way rejects the token.
    const other = loadContract(
      {
        environments: {
          dev: { issuer: 'https://auth.example.com', algorithms: ['HS256'], keys: [{ secret: { file: 'jwt.secret', trim: !trim } }] },
        },
      },
      { baseDir: dir },
    );
    const rejected = await diagnose(minted.token, other.environments.dev!, { contract: other, now: NOW });
    assert.equal(rejected.result, 'signature_invalid', `trim ${trim}`);
  }
});
