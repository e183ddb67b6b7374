import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadContract, ContractError } from '../../src/contract/load.ts';
import { diffContracts, formatContractDiffMarkdown } from '../../src/rotation/diff_contracts.ts';
import { runCli } from '../helpers/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

test('contract diff: every lifecycle change with impact, teams and clients', () => {
  const d = diffContracts(loadContract(fixture('contract-v1.yaml')), loadContract(fixture('contract-v2.yaml')), { old: 'v1', new: 'v2' });
  assert.equal(d.schema, 'jwt-doctor/contract-diff/v1');
  const byField = Object.fromEntries(d.changes.map((c) => [c.field, c]));
  assert.deepEqual(Object.keys(byField).sort(), [
    'algorithms',
    'audience',
    'keys',
    'policy.refreshTokenLifetimeSeconds',
    'policy.revocation',
    'policy.tokenLifetimeSeconds',
    'requiredClaims',
  ]);
  assert.equal(byField['policy.tokenLifetimeSeconds']!.impact, 'breaking');
  assert.deepEqual([byField['policy.tokenLifetimeSeconds']!.from, byField['policy.tokenLifetimeSeconds']!.to], [3600, 900]);
  assert.deepEqual(byField.audience!.clients, ['mobile']); // only the client whose audience was dropped
  assert.equal(byField['policy.revocation']!.impact, 'review');
  assert.ok(byField.algorithms!.teams.includes('platform'));
  assert.equal(d.breaking, 6);
  const md = formatContractDiffMarkdown(d);
  assert.match(md, /^# Auth contract rollout notes/);
  assert.match(md, /## For front-end teams/);
  assert.match(md, /## For platform teams/);
});

test('contract diff: no change, literal secrets compared by fingerprint only', () => {
  const base = { version: 1, environments: { dev: { issuer: 'https://a', keys: [{ secret: 'first-literal-secret-value-0123456789' }] } } };
  const same = diffContracts(loadContract(base), loadContract(base));
  assert.equal(same.changes.length, 0);
  const other = {
    version: 1,
    environments: { dev: { issuer: 'https://a', keys: [{ secret: 'second-literal-secret-value-0123456789' }] } },
  };
  const d = diffContracts(loadContract(base), loadContract(other));
  assert.deepEqual(
    d.changes.map((c) => c.field),
    ['keys'],
  );
  const text = JSON.stringify(d) + formatContractDiffMarkdown(d);
  assert.ok(!text.includes('literal-secret-value'), 'secret values never appear');
  assert.match(text, /literal fp:[0-9a-f]{12}/);
});

test('contract diff: clients and refresh window, invalid policy is a contract error', () => {
  const mk = (window: number, lead: number, tokenSource: Record<string, unknown>) =>
    loadContract({
      version: 1,
      environments: {
        prod: {
          issuer: 'https://a',
          tokenSource,
          policy: { refreshWindowSeconds: window },
          clients: { web: { refreshLeadSeconds: lead }, mobile: { refreshLeadSeconds: 60 } },
        },
      },
    });
  const d = diffContracts(mk(600, 300, { header: 'authorization', scheme: 'Bearer' }), mk(120, 300, { cookie: 'session' }));
  const win = d.changes.find((c) => c.field === 'policy.refreshWindowSeconds')!;
  assert.equal(win.impact, 'breaking');
  assert.deepEqual(win.clients, ['web']);
  assert.equal(d.changes.find((c) => c.field === 'tokenSource')!.impact, 'breaking');
  const bad = () =>
    loadContract({ version: 1, environments: { prod: { issuer: 'https://a', policy: { tokenLifetimeSeconds: 'one hour' } } } });
  assert.throws(
    () => diffContracts(bad(), bad()),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.prod.policy.tokenLifetimeSeconds',
  );
});

test('CLI: contract diff markdown, json and exit codes', async () => {
  const r = await runCli(['contract', 'diff', fixture('contract-v1.yaml'), fixture('contract-v2.yaml'), '--format', 'json']);
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).breaking, 6);
  const same = await runCli(['contract', 'diff', fixture('contract-v1.yaml'), fixture('contract-v1.yaml')]);
  assert.equal(same.code, 0);
  const missing = await runCli(['contract', 'diff', fixture('nope.yaml'), fixture('contract-v1.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /contract error/);
});
