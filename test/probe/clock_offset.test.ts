/**
 * Clock offsets from HTTP Date headers, measured against real servers on
 * 127.0.0.1 whose Date header is set to a known offset.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockFindings, compareTokenTimes, measureClockOffset, type ClockMeasurement } from '../../src/probe/clock_offset.ts';
import type { ClockProbeReport } from '../../src/probe/format_probe.ts';
import { runCli } from '../helpers/cli.ts';
import { closedPort, mintHs256 } from './fixtures.ts';
import { NOW, codes } from '../helpers/index.ts';

const servers: Server[] = [];
let ahead: string; // +42 s
let behind: string; // -90 s
let noDate: string;
let dir: string;

async function dateServer(offsetMs: number | null): Promise<string> {
  const s = createServer((_req, res) => {
    if (offsetMs === null) res.sendDate = false;
    // RFC 9110 section 6.6.1: IMF-fixdate, one-second resolution.
    else res.setHeader('date', new Date(Date.now() + offsetMs).toUTCString());
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

before(async () => {
  ahead = await dateServer(42_000);
  behind = await dateServer(-90_000);
  noDate = await dateServer(null);
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-clock-'));
});

after(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

test('measures a known offset within the reported uncertainty (ahead and behind)', async () => {
  for (const [url, expected] of [
    [ahead, 42],
    [behind, -90],
  ] as const) {
    const m = await measureClockOffset(url, 'api', { samples: 4, timeoutMs: 2000 });
    assert.equal(m.ok, true);
    assert.equal(m.samples.length, 4);
    assert.equal(m.method, 'min_rtt');
    assert.ok(m.uncertaintySeconds! >= 1, 'at least the Date header resolution');
    assert.ok(
      Math.abs(m.offsetSeconds! - expected) <= m.uncertaintySeconds!,
      `offset ${m.offsetSeconds} ± ${m.uncertaintySeconds} should contain ${expected}`,
    );
    assert.ok(Math.abs(m.medianOffsetSeconds! - expected) <= m.uncertaintySeconds! + 1);
  }
});

test('an injected local clock shifts the measured offset by the same amount', async () => {
  const m = await measureClockOffset(ahead, 'api', { samples: 2, timeoutMs: 2000, clock: () => Date.now() + 10_000 });
  assert.ok(Math.abs(m.offsetSeconds! - 32) <= m.uncertaintySeconds!);
});

test('no Date header, refused connection: no estimate, a reason, a transport_error finding', async () => {
  const none = await measureClockOffset(noDate, 'issuer', { samples: 2, timeoutMs: 2000 });
  assert.equal(none.ok, false);
  assert.equal(none.error?.error, 'no_date_header');
  const refused = await measureClockOffset(`http://127.0.0.1:${await closedPort()}/`, 'issuer', { samples: 3, timeoutMs: 2000 });
  assert.equal(refused.error?.error, 'refused');
  const f = clockFindings([none, refused], 5);
  assert.deepEqual(codes(f), ['transport_error', 'transport_error']);
  assert.equal(f[0]!.detail!.clock, 'issuer');
});

const measured = (target: string, offsetSeconds: number, uncertaintySeconds = 1.2): ClockMeasurement => ({
  target,
  url: 'http://127.0.0.1/',
  ok: true,
  offsetSeconds,
  uncertaintySeconds,
  method: 'min_rtt',
  medianOffsetSeconds: offsetSeconds,
  samples: [],
});

test('offset beyond tolerance: error when certain, warning when only the estimate exceeds it', () => {
  const f = clockFindings([measured('issuer', 42), measured('api', 5.5), measured('ok', 2)], 5);
  assert.equal(f.length, 2);
  assert.equal(f[0]!.code, 'clock_offset_exceeds_tolerance');
  assert.equal(f[0]!.severity, 'error');
  assert.equal(f[0]!.detail!.direction, 'remote_ahead');
  assert.equal(f[1]!.severity, 'warning');
  assert.equal(f[1]!.detail!.certain, false);
});

test("token times on each remote clock: iat 14 s ahead of the API's clock", () => {
  const now = NOW;
  // The API's clock is 20 s behind ours; the token was issued 6 s ago by our clock.
  const r = compareTokenTimes({ iat: now - 6, nbf: now - 6, exp: now + 300 }, [measured('api', -20), measured('issuer', 0)], {
    now,
    toleranceSeconds: 5,
  });
  const iatApi = r.times.find((t) => t.clock === 'api' && t.claim === 'iat')!;
  assert.equal(iatApi.deltaSeconds, 14);
  assert.equal(iatApi.relation, 'ahead');
  assert.equal(iatApi.remoteNow, now - 20);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.detail!.clock]),
    [
      ['iat_in_future', 'api'],
      ['token_not_yet_valid', 'api'],
    ],
  );
  const expired = compareTokenTimes({ exp: now + 3 }, [measured('api', 10)], { now, toleranceSeconds: 5 });
  assert.deepEqual(codes(expired), ['token_expired']);
});

test('clock CLI: contract issuerBaseUrl and api.baseUrl, tolerance from the contract, token placed on each clock', async () => {
  const contract = join(dir, 'contract.json');
  writeFileSync(
    contract,
    JSON.stringify({
      version: 1,
      environments: {
        staging: {
          issuer: 'https://auth.test',
          issuerBaseUrl: behind,
          clockToleranceSeconds: 10,
          api: { baseUrl: ahead, routes: [{ path: '/v1/me' }] },
        },
      },
    }),
  );
  const now = Math.floor(Date.now() / 1000);
  const token = mintHs256({ sub: 'a', iat: now, exp: now + 60 });
  const r = await runCli(['clock', '--contract', contract, '--env', 'staging', '--token', token, '--samples', '3', '--format', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as ClockProbeReport;
  assert.equal(report.schema, 'jwt-doctor/clock/v1');
  assert.equal(report.toleranceSeconds, 10);
  const byTarget = Object.fromEntries(report.clocks.map((c) => [c.target, c]));
  assert.ok(Math.abs(byTarget.issuer!.offsetSeconds! + 90) <= byTarget.issuer!.uncertaintySeconds!);
  assert.ok(Math.abs(byTarget.api!.offsetSeconds! - 42) <= byTarget.api!.uncertaintySeconds!);
  assert.deepEqual(
    report.findings
      .filter((f) => f.code === 'clock_offset_exceeds_tolerance')
      .map((f) => f.detail!.clock)
      .sort(),
    ['api', 'issuer'],
  );
  // The issuer's clock is 90 s behind ours: a token stamped with our now has iat in its future.
  assert.ok(report.findings.some((f) => f.code === 'iat_in_future' && f.detail!.clock === 'issuer'));
  const iatApi = report.token!.times.find((t) => t.clock === 'api' && t.claim === 'iat')!;
  assert.equal(iatApi.relation, 'behind');
  assert.ok(!r.stdout.includes(token));

  const usage = await runCli(['clock', '--contract', contract, '--env', 'nope']);
  assert.equal(usage.code, 2);
  const text = await runCli(['clock', '--api-url', ahead, '--clock-tolerance', '60', '--samples', '2']);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^api_offset_seconds = /m);
});
