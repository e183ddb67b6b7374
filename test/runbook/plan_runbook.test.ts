import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract } from '../../src/contract/load.ts';
import { planRunbook } from '../../src/runbook/plan_runbook.ts';
import { REASONS } from '../../src/reasons.ts';
import { RUNBOOK_SECTIONS, TOKEN } from '../../src/runbook/runbook_steps.ts';

const OWNERS = { signer: 'identity-team', verifier: 'api-platform', secrets: 'security-ops', gateway: 'platform-edge' };

/** One contract, one environment per shape. */
const contract = loadContract(
  {
    version: 1,
    owners: OWNERS,
    environments: {
      // Nothing but expectations: an issuer that is no URL, no keys, no api.
      bare: { issuer: 'issuer-bare', audience: 'api' },
      full: {
        issuer: 'https://auth.full.example',
        audience: 'api',
        keys: [{ jwksUri: 'https://auth.full.example/jwks.json' }],
        api: { baseUrl: 'http://127.0.0.1:9/', routes: [{ path: '/v1/me' }] },
        verifier: { debugUrl: 'http://127.0.0.1:9/.well-known/jwt-doctor/keys' },
        policy: { tokenLifetimeSeconds: 900 },
        obtain: { static: { env: 'FULL_TOKEN' } },
        owners: { verifier: 'orders-team' },
      },
      prod: {
        issuer: 'issuer-prod',
        keys: [{ jwksFile: 'prod.jwks.json' }],
        api: { baseUrl: 'http://127.0.0.1:9/', routes: [{ path: '/v1/me' }] },
        production: true,
      },
      clientsOnly: {
        issuer: 'issuer-clients',
        issuerBaseUrl: 'http://127.0.0.1:9/',
        clients: { web: { audience: 'web' }, mobile: { obtain: { static: { file: 'mobile.jwt' } } } },
      },
    },
  },
  { baseDir: '/tmp' },
);

const ids = (env: string) => planRunbook(contract, env, 'ops/auth-contract.yaml').steps.map((s) => s.id);

test('an environment with only expectations gets decode, diagnose and match', () => {
  assert.deepEqual(ids('bare'), ['decode', 'diagnose', 'match']);
});

test("every section the contract has adds its step, in the guide's order", () => {
  assert.deepEqual(ids('full'), ['token', 'decode', 'diagnose', 'clock', 'probe', 'keys', 'rotation', 'match', 'policy', 'check', 'drill']);
  const sections = planRunbook(contract, 'full', 'c.yaml').steps.map((s) => s.section);
  const ranks = sections.map((s) => RUNBOOK_SECTIONS.indexOf(s));
  assert.ok(
    ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!)),
    `sections out of order: ${sections.join(', ')}`,
  );
});

test('production: no drill; key files: keys but no rotation check; no obtain: no token or check', () => {
  assert.deepEqual(ids('prod'), ['decode', 'diagnose', 'probe', 'keys', 'match']);
  assert.equal(planRunbook(contract, 'prod', 'c.yaml').production, true);
});

test("a client's obtain source gives the token step with --client; issuerBaseUrl gives clock", () => {
  const r = planRunbook(contract, 'clientsOnly', 'c.yaml');
  assert.deepEqual(
    r.steps.map((s) => s.id),
    ['token', 'decode', 'diagnose', 'clock', 'match', 'check'],
  );
  assert.deepEqual(r.steps[0]!.argv, ['token', '--client', 'mobile', '--contract', 'c.yaml', '--env', 'clientsOnly']);
  assert.equal(r.tokenFrom, 'token-step');
});

test('each command carries the contract path and the environment; match the contract only; decode neither', () => {
  const steps = new Map(planRunbook(contract, 'full', 'ops/auth-contract.yaml').steps.map((s) => [s.id, s]));
  assert.deepEqual(steps.get('diagnose')!.argv, ['diagnose', TOKEN, '--contract', 'ops/auth-contract.yaml', '--env', 'full']);
  assert.deepEqual(steps.get('rotation')!.argv, ['rotation', 'check', '--contract', 'ops/auth-contract.yaml', '--env', 'full']);
  assert.deepEqual(steps.get('match')!.argv, ['match', TOKEN, '--contract', 'ops/auth-contract.yaml']);
  assert.deepEqual(steps.get('decode')!.argv, ['decode', TOKEN]);
  assert.deepEqual(steps.get('check')!.argv, ['check', '--contract', 'ops/auth-contract.yaml', '--env', 'full']);
  assert.equal(steps.get('keys')!.needsToken, false);
  assert.equal(steps.get('probe')!.needsToken, true);
});

test("owners are the registry's roles of each step's reasons, named by the environment's teams (its override first)", () => {
  const steps = new Map(planRunbook(contract, 'full', 'c.yaml').steps.map((s) => [s.id, s]));
  for (const step of steps.values()) {
    for (const r of step.reasons) {
      assert.equal(r.owner, REASONS[r.code].owner, `${step.id} ${r.code}`);
      const expected = r.owner === 'verifier' ? 'orders-team' : OWNERS[r.owner as keyof typeof OWNERS];
      assert.equal(r.team, expected, `${step.id} ${r.code}`);
    }
    assert.deepEqual(new Set(step.owners.map((o) => o.role)), new Set(step.reasons.map((r) => r.owner)), step.id);
  }
  // probe's reasons are mostly the gateway's: it leads.
  assert.deepEqual(steps.get('probe')!.owners[0], { role: 'gateway', team: 'platform-edge' });
  // No client team in the contract: the role is named without a team.
  const diagnose = steps.get('diagnose')!;
  assert.deepEqual(
    diagnose.owners.find((o) => o.role === 'client'),
    { role: 'client' },
  );
  assert.ok(diagnose.reasons.some((r) => r.code === 'issuer_mismatch') && diagnose.reasons.some((r) => r.code === 'audience_mismatch'));
});

test('rotation check without verifier.debugUrl carries a note saying what to add', () => {
  const c = loadContract({ environments: { s: { issuer: 'i', keys: [{ discovery: 'https://auth.s.example' }] } } }, { baseDir: '/tmp' });
  const rotation = planRunbook(c, 's', 'c.yaml').steps.find((s) => s.id === 'rotation')!;
  assert.match(rotation.note ?? '', /verifier\.debugUrl/);
  assert.equal(planRunbook(contract, 'full', 'c.yaml').steps.find((s) => s.id === 'rotation')!.note, undefined);
});
