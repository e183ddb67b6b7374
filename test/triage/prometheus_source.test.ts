/**
 * The fleet view: three real middleware instances on 127.0.0.1, a real
 * Prometheus (Debian package) scraping them every second, and
 * readPrometheusEvents reading the failures back with PromQL. Then the
 * ways a Prometheus read fails: nothing listening, a query the server
 * refuses (HTTP 400), an answer that is not the API's JSON, no answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readPrometheusEvents } from '../../src/triage/prometheus_source.ts';
import type { TriageEvent } from '../../src/triage/event.ts';
import { hang, json, startServer, type TestServer } from '../helpers/index.ts';
import { FLEET_ENV, FLEET_TOKENS, NEW_KID, ROUTES, startFleet, type Fleet } from '../helpers/middleware_fleet.ts';
import { prometheusTime, startPrometheus, waitForQuery, type RunningPrometheus } from '../helpers/prometheus_server.ts';
import { freePort } from '../helpers/redis_server.ts';

let fleet: Fleet;
let prom: RunningPrometheus;
let fake: TestServer;

/** What each instance is sent: [path, token, expected status]. */
const TRAFFIC: Array<Array<[string, keyof typeof FLEET_TOKENS, number]>> = [
  [
    ['/orders/1', 'validOld', 200],
    ['/orders/2', 'expired', 401],
    ['/orders/3', 'expired', 401],
    ['/orders/4', 'expired', 401],
    ['/me', 'wrongAudience', 401],
  ],
  [
    ['/orders/5', 'expired', 401],
    ['/orders/6', 'expired', 401],
    ['/me', 'unknownKid', 401],
    ['/me', 'unknownKid', 401],
    ['/me', 'validNew', 200],
  ],
  [
    ['/me', 'wrongAudience', 401],
    ['/orders/7', 'validNew', 200],
  ],
];
const FAILURES = TRAFFIC.flat().filter(([, , status]) => status !== 200).length;

before(async () => {
  fleet = await startFleet(TRAFFIC.length);
  prom = await startPrometheus(fleet.instances.map((i) => i.target));
  for (const [i, requests] of TRAFFIC.entries())
    for (const [path, token, status] of requests) assert.equal(await fleet.instances[i]!.send(path, FLEET_TOKENS[token]), status);
  // Every failure scraped from every instance: the deadline, not a sleep, bounds the wait.
  await waitForQuery(prom, 'sum(jwt_auth_failures_total)', (r) => Number(r[0]?.value[1]) === FAILURES);
  fake = await startServer({
    '/bad/api/v1/query_range': json({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400),
    '/garbage/api/v1/query_range': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"succ'),
    '/vector/api/v1/query_range': json({ status: 'success', data: { resultType: 'vector', result: [] } }),
    '/nan/api/v1/query_range': json({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { reason: 'token_expired' }, values: [[1, 'NaN']] }] },
    }),
    '/html/api/v1/query_range': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'),
    '/down/api/v1/query_range': json({ status: 'error', errorType: 'timeout', error: 'query timed out' }, 503),
    '/slow/api/v1/query_range': hang,
  });
});

after(async () => {
  await prom?.close();
  await fleet?.close();
  await fake?.close();
});

/** Sums event counts by reason|kid|route (every step, every instance). */
function totals(events: TriageEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[`${e.reason}|${e.kid}|${e.route}`] = (out[`${e.reason}|${e.kid}|${e.route}`] ?? 0) + e.count;
  return out;
}

test('readPrometheusEvents: failures of every instance, by reason, kid and route, counts summed across instances', async () => {
  const now = await prometheusTime(prom);
  const r = await readPrometheusEvents(prom.url, { env: FLEET_ENV, sinceSeconds: 600, stepSeconds: 5, now, timeoutMs: 5000 });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(totals(r.events), {
    [`token_expired|${NEW_KID}|${ROUTES.order}`]: 5,
    [`audience_mismatch|${NEW_KID}|${ROUTES.me}`]: 2,
    // A kid no instance trusts is labelled "unknown" (bounded cardinality), never the token's kid.
    [`key_not_found|unknown|${ROUTES.me}`]: 2,
  });
  for (const e of r.events) {
    assert.equal(e.env, FLEET_ENV);
    assert.ok(e.time !== undefined && e.time > now - 600 && e.time <= now, `event time ${e.time} inside the range`);
    assert.ok(Number.isInteger(e.count) && e.count > 0);
    assert.equal('client' in e, false, 'the middleware exports no client label');
  }
  // One event per label set and step: summing happened across instances, not by repeating events.
  const keys = r.events.map((e) => JSON.stringify([e.reason, e.kid, e.route, e.time]));
  assert.equal(new Set(keys).size, keys.length);
});

test('readPrometheusEvents: the env selects series; another environment has no failures, and no errors', async () => {
  const now = await prometheusTime(prom);
  const r = await readPrometheusEvents(prom.url, { env: 'prod', sinceSeconds: 600, stepSeconds: 5, now });
  assert.deepEqual(r, { events: [], errors: [] });
  const all = await readPrometheusEvents(prom.url, { sinceSeconds: 600, stepSeconds: 5, now });
  assert.equal(
    all.events.reduce((s, e) => s + e.count, 0),
    FAILURES,
  );
});

test('readPrometheusEvents: a range the real Prometheus refuses (over 11,000 points) is prometheus_query_failed', async () => {
  const now = await prometheusTime(prom);
  const r = await readPrometheusEvents(prom.url, { env: FLEET_ENV, sinceSeconds: 600, stepSeconds: 0.01, now });
  assert.deepEqual(
    r.errors.map((e) => e.code),
    ['prometheus_query_failed'],
  );
  assert.deepEqual(r.events, []);
});

test('readPrometheusEvents: Prometheus down (nothing listening) is prometheus_unavailable, never a throw', async () => {
  const r = await readPrometheusEvents(`http://127.0.0.1:${await freePort()}`, { sinceSeconds: 60, stepSeconds: 5, now: 1_800_000_000 });
  assert.deepEqual(
    r.errors.map((e) => e.code),
    ['prometheus_unavailable'],
  );
  assert.deepEqual(r.events, []);
});

const FAILING: Array<[string, string, number?]> = [
  ['bad', 'prometheus_query_failed'],
  ['garbage', 'prometheus_response_invalid'],
  ['vector', 'prometheus_response_invalid'],
  ['nan', 'prometheus_response_invalid'],
  ['html', 'prometheus_response_invalid'],
  ['down', 'prometheus_unavailable'],
  ['slow', 'prometheus_unavailable', 300],
];
for (const [path, code, timeoutMs] of FAILING) {
  test(`readPrometheusEvents: a server answering "${path}" gives ${code}`, async () => {
    const r = await readPrometheusEvents(`${fake.url}/${path}`, {
      sinceSeconds: 60,
      stepSeconds: 5,
      now: 1_800_000_000,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    assert.deepEqual(
      r.errors.map((e) => e.code),
      [code],
    );
    assert.deepEqual(r.events, []);
  });
}
