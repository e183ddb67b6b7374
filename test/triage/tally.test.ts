import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addEvent, emptyReport } from '../../src/triage/report.ts';
import { emptyTally, flushTally, tallyEvent } from '../../src/triage/tally.ts';
import type { TriageEvent } from '../../src/triage/event.ts';
import { NOW } from '../helpers/index.ts';

/** A deterministic pseudo-random event stream with every field sometimes absent and times out of order. */
function events(n: number): TriageEvent[] {
  let x = 12345;
  const next = (m: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % m);
  const pick = (vals: string[]) => (next(4) === 0 ? undefined : vals[next(vals.length)]);
  return Array.from({ length: n }, () => {
    const e: TriageEvent = { reason: ['valid', 'token_expired', 'issuer_mismatch'][next(3)]!, count: 1 };
    const [env, kid, route, client] = [pick(['prod', 'staging']), pick(['k1', 'k2', 'k3']), pick(['/a', '/b']), pick(['web', 'ios'])];
    if (env !== undefined) e.env = env;
    if (kid !== undefined) e.kid = kid;
    if (route !== undefined) e.route = route;
    if (client !== undefined) e.client = client;
    if (next(5) !== 0) e.time = NOW - next(3600);
    return e;
  });
}

test('a tally flushed (once or in several chunks) makes the same report as addEvent per event', () => {
  const list = events(3000);
  const expected = emptyReport(60);
  for (const e of list) addEvent(expected, e);
  for (const flushEvery of [list.length, 7, 1000]) {
    const got = emptyReport(60);
    const t = emptyTally();
    list.forEach((e, i) => {
      tallyEvent(t, 60, e.reason, e.env, e.kid, e.route, e.client, e.time);
      if ((i + 1) % flushEvery === 0) flushTally(t, got);
    });
    flushTally(t, got);
    assert.deepEqual(got, expected, `flushed every ${flushEvery}`);
  }
});

test('a flushed tally is empty: flushing it again adds nothing', () => {
  const r = emptyReport(60);
  const t = emptyTally();
  tallyEvent(t, 60, 'valid', 'prod', 'k1', '/a', 'web', NOW);
  flushTally(t, r);
  const once = structuredClone(r);
  flushTally(t, r);
  assert.deepEqual(r, once);
  assert.equal(t.buckets.size + t.by.reason.size + t.events, 0);
});
