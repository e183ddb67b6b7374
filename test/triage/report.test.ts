import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addEvent, addExample, emptyReport, EXAMPLES_PER_CODE, wantsExample } from '../../src/triage/report.ts';
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
