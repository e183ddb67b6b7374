/**
 * The contract's policy section: durations (numbers or 15m/1h/90d), key
 * publication dates, revocation sources, and errors with the field path
 * from the loader's schema and from the section parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContractError, loadContract } from '../../src/contract/load.ts';
import { readPolicySection } from '../../src/contract/sections.ts';
import { parsePolicySection } from '../../src/contract/policy_section.ts';

const policyOf = (policy: Record<string, unknown>) => {
  const c = loadContract({ version: 1, environments: { prod: { issuer: 'https://a', policy } } });
  return readPolicySection(c, c.environments.prod!);
};
const pathOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ContractError) return e.path;
    throw e;
  }
  return undefined;
};

test('durations as numbers in the field unit or strings with their own unit; dates as NumericDates', () => {
  assert.deepEqual(
    policyOf({
      tokenLifetimeSeconds: '15m',
      refreshWindowSeconds: 120,
      maxClockToleranceSeconds: '30s',
      keyMaxAgeDays: '2160h',
      keyRolloverDays: 30,
      keyPublished: { k1: '2026-10-01T00:00:00Z', k2: 1790000000 },
    }),
    {
      tokenLifetimeSeconds: 900,
      refreshWindowSeconds: 120,
      maxClockToleranceSeconds: 30,
      keyMaxAgeDays: 90,
      keyRolloverDays: 30,
      keyPublished: { k1: 1790812800, k2: 1790000000 },
    },
  );
});

test('revocation: a kind alone, or one source; secrets only from a variable or a file', () => {
  assert.deepEqual(policyOf({ revocation: 'none' }), { revocation: 'none' });
  assert.deepEqual(policyOf({ revocation: { denylist: 'revoked.txt' } }), {
    revocation: 'denylist',
    revocationSource: { kind: 'denylist', file: 'revoked.txt' },
  });
  assert.deepEqual(
    policyOf({
      revocation: { redis: { url: 'redis://10.0.0.5:6379/2', key: 'revoked', password: { env: 'REDIS_PASSWORD' }, timeoutMs: 500 } },
    }).revocationSource,
    {
      kind: 'redis',
      url: 'redis://10.0.0.5:6379/2',
      key: 'revoked',
      password: { env: 'REDIS_PASSWORD' },
      timeoutMs: 500,
    },
  );
  assert.deepEqual(
    policyOf({
      revocation: { introspection: { endpoint: 'https://auth/introspect', clientId: 'api', clientSecret: { file: 'secret.txt' } } },
    }).revocationSource,
    {
      kind: 'introspection',
      endpoint: 'https://auth/introspect',
      clientId: 'api',
      clientSecret: { file: 'secret.txt' },
    },
  );
});

test('bad policies are contract errors naming the field; a literal secret is refused and never echoed', () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ tokenLifetimeSeconds: 'one hour' }, 'environments.prod.policy.tokenLifetimeSeconds'],
    [{ keyMaxAgeDays: -1 }, 'environments.prod.policy.keyMaxAgeDays'],
    [{ maxTokenLifetime: 900 }, 'environments.prod.policy.maxTokenLifetime'],
    [{ keyPublished: { k1: 'last tuesday' } }, 'environments.prod.policy.keyPublished.k1'],
    [{ revocation: 'sometimes' }, 'environments.prod.policy.revocation'],
    [{ revocation: { redis: { url: 'redis://:hunter2@10.0.0.5:6379', key: 'k' } } }, 'environments.prod.policy.revocation.redis.url'],
    [
      { revocation: { introspection: { endpoint: 'https://a/i', clientId: 'api', clientSecret: 'hunter2' } } },
      'environments.prod.policy.revocation.introspection.clientSecret',
    ],
  ];
  for (const [policy, path] of bad) {
    let message = '';
    assert.equal(
      pathOf(() => {
        try {
          policyOf(policy);
        } catch (e) {
          message = (e as Error).message;
          throw e;
        }
      }),
      path,
      JSON.stringify(policy),
    );
    assert.ok(!message.includes('hunter2'), `the secret is not echoed: ${message}`);
  }
  // The section parser alone (a contract object that skipped the schema) gives the same paths.
  assert.equal(
    pathOf(() =>
      parsePolicySection(
        { revocation: { introspection: { endpoint: 'https://a/i', clientId: 'api', clientSecret: 'hunter2' } } },
        'c.yaml',
        'prod',
      ),
    ),
    'environments.prod.policy.revocation.introspection.clientSecret',
  );
  assert.equal(
    pathOf(() => parsePolicySection({ refreshWindowSeconds: '5 minutes' }, 'c.yaml', 'prod')),
    'environments.prod.policy.refreshWindowSeconds',
  );
});
