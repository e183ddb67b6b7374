/**
 * mintVariants: which tokens the isolation check sends and how each is
 * shaped (only one dimension differs from production in the key, issuer
 * and audience variants), what cannot be minted and why, and the
 * production guard: another production environment is never minted for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadContract } from '../../src/contract/load.ts';
import { mintVariants } from '../../src/isolation/mint_variants.ts';

const NOW = 1_800_000_000;
const hex = () => randomBytes(32).toString('hex');
const vars: Record<string, string | undefined> = { STG: hex(), PROD: hex(), EU: hex() };
const signer = (env: string, kid: string) => ({ secret: { env, encoding: 'hex' }, kid, alg: 'HS256' });
const keys = (env: string) => [{ secret: { env, encoding: 'hex' } }];

const contract = loadContract(
  {
    version: 1,
    environments: {
      staging: {
        issuer: ['https://auth.staging.example.com', 'https://old-auth.staging.example.com'],
        audience: 'orders-staging',
        typ: 'JWT',
        keys: keys('STG'),
        signer: signer('STG', 'stg-1'),
        clients: { mobile: { audience: 'orders-mobile-staging' } },
      },
      broken: { issuer: 'https://auth.qa.example.com', keys: keys('QA'), signer: signer('QA', 'qa-1') },
      eu: { issuer: 'https://auth.eu.example.com', production: true, keys: keys('EU'), signer: signer('EU', 'eu-1') },
      prod: {
        issuer: 'https://auth.example.com',
        audience: 'orders',
        typ: 'JWT',
        production: true,
        requiredClaims: ['sub', 'tenant'],
        claims: { scope: { includes: ['orders:read'] } },
        keys: keys('PROD'),
        signer: signer('PROD', 'prod-1'),
      },
    },
  },
  { vars },
);

const decode = (token: string) =>
  token
    .split('.')
    .slice(0, 2)
    .map((s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));

test('per other environment: its own token, its key with production claims, production signer with each issuer and audience', () => {
  const plan = mintVariants(contract, 'prod', NOW, vars);
  assert.deepEqual(
    plan.minted.filter((v) => v.from === 'staging').map((v) => [v.variant, v.value, v.signer.kid]),
    [
      ['as-minted', undefined, 'stg-1'],
      ['key', undefined, 'stg-1'],
      ['issuer', 'https://auth.staging.example.com', 'prod-1'],
      ['issuer', 'https://old-auth.staging.example.com', 'prod-1'],
      ['audience', 'orders-staging', 'prod-1'],
      ['audience', 'orders-mobile-staging', 'prod-1'],
    ],
  );
  // The first token of each variant (issuer and audience have one per value).
  const byVariant = Object.fromEntries(
    plan.minted
      .filter((v) => v.from === 'staging')
      .reverse()
      .map((v) => [v.variant, decode(v.token)]),
  );
  const [keyHeader, keyPayload] = byVariant.key!;
  assert.equal(keyHeader.kid, 'stg-1');
  assert.deepEqual(
    [keyPayload.iss, keyPayload.aud, keyPayload.scope, keyPayload.tenant, keyPayload.iat],
    ['https://auth.example.com', 'orders', 'orders:read', 'jwt-doctor-mint', NOW],
  );
  const [, asMinted] = byVariant['as-minted']!;
  assert.deepEqual([asMinted.iss, asMinted.aud], ['https://auth.staging.example.com', 'orders-staging']);
  const [, audience] = byVariant.audience!;
  assert.deepEqual([audience.iss, audience.aud], ['https://auth.example.com', 'orders-staging']);
});

test('another production environment is not minted for (the guard); a signer that does not load is a line, not a throw', () => {
  const plan = mintVariants(contract, 'prod', NOW, vars);
  assert.deepEqual(
    plan.minted.filter((v) => v.from === 'eu').map((v) => [v.variant, v.signer.kid]),
    [['issuer', 'prod-1']],
  );
  const lines = plan.notMinted.map((n) => [n.from, n.variant]);
  assert.deepEqual(lines, [
    ['broken', 'as-minted'],
    ['broken', 'key'],
    ['eu', 'as-minted, key'],
  ]);
  assert.match(plan.notMinted[0]!.why, /environments\.broken\.signer\.secret/);
  assert.match(plan.notMinted[2]!.why, /production too/);
  assert.equal(JSON.stringify(plan.notMinted).includes(vars.STG!), false);
});
