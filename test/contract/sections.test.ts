/**
 * src/contract/sections.ts: the environment sections the schema only checks
 * to be objects, parsed once for every front end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContractError, loadContract } from '../../src/contract/load.ts';
import { readClientsSection, readPolicySection, readVerifierSection } from '../../src/contract/sections.ts';

const contract = (prod: Record<string, unknown>) => loadContract({ version: 1, environments: { prod: { issuer: 'https://a', ...prod } } });
const pathOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof ContractError ? e.path : `not a ContractError: ${String(e)}`;
  }
  return undefined;
};

test('verifier section: the rotation commands read it with the middleware rules', () => {
  const c = contract({
    verifier: {
      debugUrl: 'http://127.0.0.1:3000/.well-known/jwt-doctor/keys',
      metricsUrl: 'http://127.0.0.1:3000/metrics',
      cacheTtlSeconds: 300,
    },
  });
  assert.deepEqual(readVerifierSection(c, c.environments.prod!), {
    debugUrl: 'http://127.0.0.1:3000/.well-known/jwt-doctor/keys',
    metricsUrl: 'http://127.0.0.1:3000/metrics',
    cacheTtlSeconds: 300,
  });
  assert.deepEqual(readVerifierSection(contract({}), contract({}).environments.prod!), {});
  // A misspelt field was silently ignored by rotation (so its TTL fell back to 600 s); the middleware refused it.
  const typo = contract({ verifier: { cacheTTLSeconds: 300 } });
  assert.equal(
    pathOf(() => readVerifierSection(typo, typo.environments.prod!)),
    'environments.prod.verifier.cacheTTLSeconds',
  );
  const negative = contract({ verifier: { cacheTtlSeconds: -1 } });
  assert.equal(
    pathOf(() => readVerifierSection(negative, negative.environments.prod!)),
    'environments.prod.verifier.cacheTtlSeconds',
  );
});

test('policy and clients sections: values and field paths', () => {
  const c = contract({
    policy: { tokenLifetimeSeconds: 900, revocation: 'denylist', 'x-note': 'ok' },
    clients: { web: { audience: 'web', refreshLeadSeconds: 60 } },
  });
  assert.deepEqual(readPolicySection(c, c.environments.prod!), { tokenLifetimeSeconds: 900, revocation: 'denylist' });
  assert.deepEqual(readClientsSection(c, c.environments.prod!).web!.audience, ['web']);
  const bad = [
    [{ policy: { tokenLifetime: 900 } }, 'environments.prod.policy.tokenLifetime'],
    [{ policy: { revocation: 'sometimes' } }, 'environments.prod.policy.revocation'],
    [{ clients: { web: { refreshLeadSeconds: -5 } } }, 'environments.prod.clients.web.refreshLeadSeconds'],
    [{ clients: { web: { audience: [1] } } }, 'environments.prod.clients.web.audience[0]'],
  ] as const;
  // The policy and clients sections have a JSON schema: their errors come from the loader, with the field path.
  for (const [section, path] of bad) {
    assert.equal(
      pathOf(() => {
        const b = contract(section);
        return path.includes('policy') ? readPolicySection(b, b.environments.prod!) : readClientsSection(b, b.environments.prod!);
      }),
      path,
    );
  }
});
