/**
 * rotation retire --prometheus: the retiring kid's residual traffic across
 * every instance, read from a real Prometheus (Debian package) scraping two
 * real middleware instances on 127.0.0.1, and the same verdicts as the
 * one-verifier metrics read.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readPrometheusTraffic, residualTrafficQuery } from '../../src/rotation/read_prometheus_traffic.ts';
import { isoAt, runCli, sendJson, serve, type ServedServer } from '../helpers/index.ts';
import { FLEET_ENV, FLEET_JWKS, FLEET_TOKENS, NEW_KID, OLD_KID, startFleet, type Fleet } from '../helpers/middleware_fleet.ts';
import { prometheusTime, startPrometheus, waitForQuery, type RunningPrometheus } from '../helpers/prometheus_server.ts';
import { freePort } from '../helpers/redis_server.ts';

let fleet: Fleet;
let prom: RunningPrometheus;
/** The issuer and the verifier's key set after the rotation: the current key only. */
let jwks: ServedServer;

/** Old-kid requests: two verified on instance 0, one on instance 1, one expired old-kid token on instance 1. */
const OLD_VERIFIED = 3;
const OLD_FAILED = 1;

before(async () => {
  fleet = await startFleet(2);
  prom = await startPrometheus(fleet.instances.map((i) => i.target));
  const [a, b] = fleet.instances as [(typeof fleet.instances)[0], (typeof fleet.instances)[0]];
  const sent = [
    await a.send('/orders/1', FLEET_TOKENS.validOld),
    await a.send('/orders/2', FLEET_TOKENS.validOld),
    await a.send('/me', FLEET_TOKENS.validNew),
    await b.send('/orders/3', FLEET_TOKENS.validOld),
    await b.send('/orders/4', FLEET_TOKENS.expiredOld),
    await b.send('/me', FLEET_TOKENS.unknownKid),
    await b.send('/me', FLEET_TOKENS.validNew),
  ];
  assert.deepEqual(sent, [200, 200, 200, 200, 401, 401, 200]);
  await waitForQuery(prom, 'sum(jwt_auth_verified_total)', (r) => Number(r[0]?.value[1]) === OLD_VERIFIED + 2);
  await waitForQuery(prom, 'sum(jwt_auth_failures_total)', (r) => Number(r[0]?.value[1]) === OLD_FAILED + 1);
  jwks = await serve((_req, res) => sendJson(res, { keys: [FLEET_JWKS.current] }));
});

after(async () => {
  await prom?.close();
  await fleet?.close();
  await jwks?.close();
});

test('readPrometheusTraffic: the old kid over the window, summed across instances, verified and failed counted apart', async () => {
  const now = await prometheusTime(prom);
  const t = await readPrometheusTraffic(prom.url, { kid: OLD_KID, env: FLEET_ENV, windowSeconds: 600, now, timeoutMs: 5000 });
  assert.equal(t.ok, true, JSON.stringify(t));
  if (!t.ok) return;
  assert.equal(t.from, 'prometheus');
  assert.equal(t.count, OLD_VERIFIED + OLD_FAILED);
  assert.equal(t.seconds, 600);
  assert.equal(t.rate, (OLD_VERIFIED + OLD_FAILED) / 600);
  assert.deepEqual(t.detail.counters, {
    jwt_auth_verified_total: { count: OLD_VERIFIED, series: 2 },
    jwt_auth_failures_total: { count: OLD_FAILED, series: 1 },
  });
  // The stray kid's rejection (kid="unknown", key_not_found) is context, not the old kid's traffic.
  assert.equal(t.detail.keyNotFoundAnyKidRate, 1 / 600);
  assert.ok(t.observed > 0);
  const current = await readPrometheusTraffic(prom.url, { kid: NEW_KID, env: FLEET_ENV, windowSeconds: 600, now });
  assert.equal(current.ok && current.count, 2);
  const otherEnv = await readPrometheusTraffic(prom.url, { kid: OLD_KID, env: 'prod', windowSeconds: 600, now });
  assert.equal(otherEnv.ok && otherEnv.count, 0);
  assert.equal(otherEnv.ok && otherEnv.observed, 0, 'no series for prod: no evidence, so the check stays unknown');
});

test('residualTrafficQuery: kid and env are PromQL string literals, never selector syntax', () => {
  const q = residualTrafficQuery('a"}or{x="', 'st"g');
  assert.ok(q.includes('kid="a\\"}or{x=\\""'));
  assert.ok(q.includes('env="st\\"g"'));
});

/** `rotation retire` after the rotation: the issuer and the verifier hold the current key only. */
async function retire(kid: string, extra: string[] = []) {
  const now = await prometheusTime(prom);
  const r = await runCli([
    'rotation',
    'retire',
    '--kid',
    kid,
    '--jwks-url',
    `${jwks.url}/jwks.json`,
    '--verifier-jwks-url',
    `${jwks.url}/jwks.json`,
    '--window',
    '600',
    '--now',
    isoAt(now),
    '--format',
    'json',
    ...extra,
  ]);
  const report = r.stdout ? JSON.parse(r.stdout) : undefined;
  const residual = report?.items.find((i: { id: string }) => i.id === 'residual_traffic');
  return { code: r.code, report, residual, stderr: r.stderr };
}

test('CLI: rotation retire --prometheus fails on residual old-kid traffic across the fleet, passes under the threshold', async () => {
  let r = await retire(OLD_KID, ['--prometheus', prom.url]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.residual.status, 'fail');
  assert.equal(r.residual.code, 'rotation_residual_traffic');
  assert.equal(r.residual.evidence.from, 'prometheus');
  assert.equal(r.residual.evidence.count, OLD_VERIFIED + OLD_FAILED);
  r = await retire(OLD_KID, ['--prometheus', prom.url, '--threshold', '1']);
  assert.equal(r.residual.status, 'pass');
  assert.equal(r.code, 0, JSON.stringify(r.report));
  r = await retire('staging-2026-09', ['--prometheus', prom.url]);
  assert.equal(r.residual.status, 'pass', 'a kid with no traffic in a Prometheus that has the series passes');
  assert.equal(r.residual.evidence.count, 0);
});

test('CLI: rotation retire --prometheus against a Prometheus that is down: residual traffic unknown with prometheus_unavailable', async () => {
  const r = await retire(OLD_KID, ['--prometheus', `http://127.0.0.1:${await freePort()}`]);
  assert.equal(r.code, 1);
  assert.equal(r.residual.status, 'unknown');
  assert.equal(r.residual.code, 'prometheus_unavailable');
  assert.deepEqual(
    r.report.findings.map((f: { code: string }) => f.code),
    ['prometheus_unavailable'],
  );
});

test('CLI: rotation retire takes one traffic source: --prometheus with --log is a usage error', async () => {
  const r = await retire(OLD_KID, ['--prometheus', prom.url, '--log', 'verifier.log']);
  assert.equal(r.code, 2);
  assert.equal(r.report, undefined, 'no report on a usage error');
});
