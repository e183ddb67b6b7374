import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addEvent,
  addExample,
  emptyReport,
  EXAMPLES_PER_CODE,
  MAX_BUCKETS,
  MAX_KEYS_PER_COUNT,
  MAX_KEYS_PER_BUCKET,
  OTHER_KEY,
  wantsExample,
} from '../../src/triage/report.ts';
import { NOW } from '../helpers/index.ts';

test('an event is counted once per dimension it names, and in its time bucket', () => {
  const r = emptyReport(60);
  addEvent(r, { reason: 'token_expired', env: 'prod', kid: 'k1', route: '/v1/me', client: 'web', time: NOW + 61, count: 3 });
  addEvent(r, { reason: 'token_expired', count: 2 });
  assert.equal(r.events, 5);
  assert.deepEqual(r.by, { reason: { token_expired: 5 }, env: { prod: 3 }, kid: { k1: 3 }, route: { '/v1/me': 3 }, client: { web: 3 } });
  const bucket = String(Math.floor((NOW + 61) / 60) * 60);
  assert.deepEqual(r.reasonsOverTime, { [bucket]: { token_expired: 3 } });
  assert.deepEqual(r.kidsOverTime, { [bucket]: { k1: 3 } });
  assert.deepEqual(r.routesOverTime, { [bucket]: { '/v1/me': 3 } });
  assert.equal(r.untimed, 2);
});

test('examples: at most EXAMPLES_PER_CODE distinct ones per code, kept sorted', () => {
  const r = emptyReport(60);
  for (const ex of ['d', 'b', 'b', 'c', 'a', 'e']) if (wantsExample(r, 'x') || ex < r.examples.x!.at(-1)!) addExample(r, 'x', ex);
  assert.equal(r.examples.x!.length, EXAMPLES_PER_CODE);
  assert.deepEqual(r.examples.x, ['a', 'b', 'c']);
  assert.equal(wantsExample(r, 'x'), false);
  assert.equal(wantsExample(r, 'y'), true);
});

test('a count keeps MAX_KEYS_PER_COUNT keys; later keys are summed under OTHER_KEY, totals unchanged', () => {
  const r = emptyReport(60);
  const n = MAX_KEYS_PER_COUNT + 500;
  for (let i = 0; i < n; i++) addEvent(r, { reason: 'token_expired', route: `/v1/orders/${i}`, time: NOW, count: 2 });
  addEvent(r, { reason: 'token_expired', route: '/v1/orders/0', count: 1 });
  assert.equal(Object.keys(r.by.route).length, MAX_KEYS_PER_COUNT + 1);
  assert.equal(r.by.route[OTHER_KEY], 1000);
  assert.equal(r.by.route['/v1/orders/0'], 3);
  assert.equal(
    Object.values(r.by.route).reduce((a, b) => a + b, 0),
    2 * n + 1,
  );
  const bucket = Object.values(r.routesOverTime)[0]!;
  assert.equal(Object.keys(bucket).length, MAX_KEYS_PER_BUCKET + 1);
  assert.equal(bucket[OTHER_KEY], 2 * (n - MAX_KEYS_PER_BUCKET));
});

test('past MAX_BUCKETS time buckets the bucket size doubles until they fit; every count is kept', () => {
  const r = emptyReport(60);
  const minutes = 3 * MAX_BUCKETS;
  for (let i = 0; i < minutes; i++) addEvent(r, { reason: 'token_expired', kid: 'k', route: '/a', time: NOW + i * 60, count: 1 });
  assert.equal(r.bucketSeconds, 240);
  for (const series of [r.reasonsOverTime, r.kidsOverTime, r.routesOverTime]) {
    assert.ok(Object.keys(series).length <= MAX_BUCKETS);
    assert.equal(
      Object.values(series).reduce((a, c) => a + Object.values(c).reduce((x, y) => x + y, 0), 0),
      minutes,
    );
    for (const start of Object.keys(series)) assert.equal(Number(start) % 240, 0);
  }
});

test('a bucket of the kid and route series keeps MAX_KEYS_PER_BUCKET keys: 1 000 new routes a minute neither coarsen the buckets nor grow the series', () => {
  const r = emptyReport(60);
  const minutes = 300;
  for (let m = 0; m < minutes; m++)
    for (let i = 0; i < 1000; i++)
      addEvent(r, { reason: 'token_expired', kid: `k${i}`, route: `/u/${m}/${i}`, time: NOW + m * 60, count: 1 });
  assert.equal(r.bucketSeconds, 60);
  assert.equal(Object.keys(r.routesOverTime).length, minutes);
  for (const series of [r.routesOverTime, r.kidsOverTime])
    for (const counts of Object.values(series)) {
      assert.equal(Object.keys(counts).length, MAX_KEYS_PER_BUCKET + 1);
      assert.equal(
        Object.values(counts).reduce((x, y) => x + y, 0),
        1000,
      );
    }
  // Reasons are our own codes, all kept: the spikes are computed from them.
  assert.deepEqual(Object.values(r.reasonsOverTime)[0], { token_expired: 1000 });
});
