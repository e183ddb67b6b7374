/**
 * findStaticOverlaps: a key (RFC 7638 thumbprint or an HMAC secret's keyed
 * fingerprint), an issuer or an audience production shares with another
 * environment, client audiences included; nothing when they differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadContract } from '../../src/contract/load.ts';
import { createContractDiagnosers } from '../../src/match.ts';
import { findStaticOverlaps } from '../../src/isolation/static_overlaps.ts';
import { checkIsolation } from '../../src/isolation/check_isolation.ts';

const NOW = 1_800_000_000;
const vars = { SHARED: randomBytes(32).toString('hex'), OWN: randomBytes(32).toString('hex'), DEV: randomBytes(32).toString('hex') };
const secret = (env: string) => ({ secret: { env, encoding: 'hex' } });

function contractWith(prodKey: string, prodExtra: Record<string, unknown> = {}) {
  return loadContract(
    {
      version: 1,
      environments: {
        dev: {
          issuer: 'https://auth.dev.example.com',
          audience: 'api-dev',
          keys: [secret('DEV'), secret('SHARED')],
          clients: { mobile: { audience: 'api-mobile' } },
        },
        prod: {
          issuer: 'https://auth.example.com',
          audience: ['api', 'api-mobile'],
          production: true,
          keys: [secret(prodKey)],
          ...prodExtra,
        },
      },
    },
    { vars },
  );
}

async function overlaps(prodKey: string) {
  const contract = contractWith(prodKey);
  const diagnosers = await createContractDiagnosers(contract, { vars });
  const keys = new Map([...diagnosers].map(([n, d]) => [n, d.keys] as const));
  return { contract, keys, findings: findStaticOverlaps(contract, 'prod', keys) };
}

test("a shared HMAC secret is named by its keyed fingerprint, a client's audience counts as the environment's", async () => {
  const { keys, findings } = await overlaps('SHARED');
  const fingerprint = keys.get('prod')![0]!.fingerprint;
  assert.match(fingerprint ?? '', /^fp:/);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, f.detail]),
    [
      ['environment_isolation_broken', 'error', { from: 'dev', variant: 'static', overlap: 'key', critical: true, fingerprint }],
      [
        'environment_isolation_broken',
        'error',
        { from: 'dev', variant: 'static', overlap: 'audience', critical: true, value: 'api-mobile' },
      ],
    ],
  );
  assert.equal(JSON.stringify(findings).includes(vars.SHARED), false, 'never the secret');
});

test('distinct secrets: only the shared client audience remains', async () => {
  const { findings } = await overlaps('OWN');
  assert.deepEqual(
    findings.map((f) => f.detail?.overlap),
    ['audience'],
  );
});

test('checkIsolation reports static overlaps even when nothing can be minted (no signer anywhere): fail, not skip', async () => {
  const r = await checkIsolation(contractWith('SHARED'), 'prod', { now: NOW, vars });
  assert.equal(r.status, 'fail');
  assert.deepEqual(r.attempts, []);
  assert.deepEqual(
    r.findings.map((f) => f.detail?.overlap),
    ['key', 'audience'],
  );
});
