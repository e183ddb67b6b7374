/**
 * The clock line of check against real servers whose HTTP Date a test
 * shifts: an issuer on time and the API (jwt-doctor's middleware) ahead.
 * The local clock is injected (a fixed instant 600 ms into a second), so
 * each offset is exact: the Date header's second + 0.5 - the local time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import { runCheck, type CheckReport, type CheckLine } from '../../src/check/run_check.ts';
import { formatCheckText } from '../../src/check/format_check.ts';
import { NOW } from '../helpers/index.ts';
import { startApi, startDateServer, shiftedDate, type TestApi } from './helpers.ts';
import { MINT_ENV } from './fixtures.ts';

const CLOCK_MS = NOW * 1000 + 600;
const clock = () => CLOCK_MS;
let apiShift = 0;
let issuer: TestApi;
let api: TestApi;
let contract: Contract;

const line = (r: CheckReport, name: CheckLine['name']) => r.clients[0]!.lines.find((l) => l.name === name)!;

test.before(async () => {
  issuer = await startDateServer(shiftedDate(clock, 0));
  const spec = {
    environments: {
      staging: {
        ...MINT_ENV,
        issuerBaseUrl: 'http://127.0.0.1:1',
        api: { baseUrl: 'http://127.0.0.1:1', routes: [{ path: '/v1/orders' }] },
      },
    },
  };
  api = await startApi(loadContract(spec), 'staging', { date: () => new Date(CLOCK_MS + apiShift * 1000).toUTCString() });
  spec.environments.staging.issuerBaseUrl = issuer.url;
  spec.environments.staging.api.baseUrl = api.url;
  contract = loadContract(spec);
});

test.after(async () => {
  await Promise.all([issuer.close(), api.close()]);
});

test('within tolerance: the line shows the larger offset, rounded, and passes', async () => {
  apiShift = 8;
  const r = await runCheck(contract, 'staging', { clock, clockSamples: 1 });
  const skew = line(r, 'clock_skew_seconds');
  assert.deepEqual([skew.status, skew.value, skew.tolerance], ['pass', 8, 10]);
  const clocks = skew.evidence.clocks as { target: string; offsetSeconds: number }[];
  assert.deepEqual(
    clocks.map((c) => [c.target, c.offsetSeconds]),
    [
      ['issuer', -0.1],
      ['api', 7.9],
    ],
  );
  assert.equal(r.status, 'stable', JSON.stringify(r.findings));
  assert.ok(formatCheckText(r).includes('clock_skew_seconds = 8\n'));
});

test('beyond tolerance: clock_offset_exceeds_tolerance with the tolerance, and the refresh lead no longer covers the API clock', async () => {
  apiShift = 60;
  const r = await runCheck(contract, 'staging', { clock, clockSamples: 1 });
  const skew = line(r, 'clock_skew_seconds');
  assert.deepEqual([skew.status, skew.value, skew.tolerance, skew.code], ['fail', 60, 10, 'clock_offset_exceeds_tolerance']);
  const f = r.findings.find((x) => x.code === 'clock_offset_exceeds_tolerance')!;
  assert.deepEqual([f.detail?.clock, f.detail?.direction], ['api', 'remote_ahead']);
  // Default lead 60 s; the API's clock is 60 s ahead of the issuer's: the old token dies there as the client refreshes.
  const refresh = line(r, 'refresh_flow');
  assert.equal(refresh.code, 'refresh_too_late');
  assert.equal(refresh.evidence.apiAheadOfIssuerSeconds, 60);
  assert.ok(formatCheckText(r).includes('clock_skew_seconds = 60 fail clock_offset_exceeds_tolerance tolerance=10\n'));
});
