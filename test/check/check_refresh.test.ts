/**
 * The refresh_flow and lifetime lines of check, with tokens minted by the
 * bundled staging signer and judged by jwt-doctor's verifier at a fixed
 * `now` (no API, no clock to read: the issuer is not an HTTP URL's
 * environment). The mint source answers in 0 ms, so each margin is exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract } from '../../src/contract/load.ts';
import { runCheck, type CheckReport, type CheckLine } from '../../src/check/run_check.ts';
import { NOW } from '../helpers/index.ts';
import { MINT_ENV } from './fixtures.ts';

const now = () => NOW;
const line = (r: CheckReport, client: string, name: CheckLine['name']) =>
  r.clients.find((c) => c.client === client)!.lines.find((l) => l.name === name)!;

const contract = loadContract({
  environments: {
    staging: {
      ...MINT_ENV,
      issuer: 'urn:example:staging',
      policy: { tokenLifetimeSeconds: 900, refreshWindowSeconds: 90 },
      clients: {
        web: { tokenLifetimeSeconds: 600, refreshLeadSeconds: 30 },
        byPolicy: {},
        slowPhone: { refreshLeadSeconds: 60, expectedLatencyMs: 90_000 },
        loop: { tokenLifetimeSeconds: 60, refreshLeadSeconds: 120 },
        tooLong: { tokenLifetimeSeconds: 3600 },
        forged: { obtain: { mint: { fault: 'signature_invalid' } } },
      },
    },
    noPolicy: { ...MINT_ENV, issuer: 'urn:example:staging' },
  },
});

let report: CheckReport;
test.before(async () => {
  report = await runCheck(contract, 'staging', { now });
});

test('a lead that covers the latency: pass, with the timing as evidence', () => {
  const r = line(report, 'web', 'refresh_flow');
  assert.equal(r.status, 'pass');
  assert.deepEqual(
    [
      r.evidence.grant,
      r.evidence.refreshLeadSeconds,
      r.evidence.refreshLeadFrom,
      r.evidence.marginMs,
      r.evidence.oldExp,
      r.evidence.refreshAt,
    ],
    ['new_request', 30, 'client', 30_000, NOW + 600, NOW + 570],
  );
  assert.equal(line(report, 'web', 'lifetime').evidence.limitFrom, 'client');
});

test('the lead comes from the client, else policy.refreshWindowSeconds, else 60 s', async () => {
  assert.deepEqual(
    [
      line(report, 'byPolicy', 'refresh_flow').evidence.refreshLeadFrom,
      line(report, 'byPolicy', 'refresh_flow').evidence.refreshLeadSeconds,
    ],
    ['policy', 90],
  );
  const bare = await runCheck(contract, 'noPolicy', { now });
  const r = bare.clients[0]!.lines.find((l) => l.name === 'refresh_flow')!;
  assert.deepEqual([r.status, r.evidence.refreshLeadFrom, r.evidence.refreshLeadSeconds], ['pass', 'default', 60]);
});

test("the client's expected latency beyond its lead: refresh_too_late, margin negative", () => {
  const r = line(report, 'slowPhone', 'refresh_flow');
  assert.deepEqual([r.status, r.code, r.evidence.marginMs], ['fail', 'refresh_too_late', -30_000]);
  assert.ok(report.findings.some((f) => f.code === 'refresh_too_late' && f.detail?.client === 'slowPhone'));
});

test('a lead as long as the lifetime: refresh_lead_exceeds_lifetime', () => {
  const r = line(report, 'loop', 'refresh_flow');
  assert.deepEqual([r.status, r.code], ['fail', 'refresh_lead_exceeds_lifetime']);
});

test('a lifetime beyond the policy: lifetime fails with token_lifetime_exceeds_policy', () => {
  const l = line(report, 'tooLong', 'lifetime');
  assert.deepEqual(
    [l.status, l.code, l.evidence.lifetimeSeconds, l.evidence.limitSeconds, l.evidence.limitFrom],
    ['fail', 'token_lifetime_exceeds_policy', 3600, 900, 'policy'],
  );
});

test('a refreshed token the verifier rejects fails the refresh flow with its code', () => {
  assert.equal(line(report, 'forged', 'signature').code, 'signature_invalid');
  const r = line(report, 'forged', 'refresh_flow');
  assert.deepEqual([r.status, r.code, r.evidence.acceptedBy, r.evidence.accepted], ['fail', 'signature_invalid', 'verifier', false]);
});

test('the clients that pass are stable, the report unstable', () => {
  assert.deepEqual(
    report.clients.filter((c) => c.status === 'stable').map((c) => c.client),
    ['web', 'byPolicy'],
  );
  assert.equal(report.status, 'unstable');
});
