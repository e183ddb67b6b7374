/**
 * The per-line counting of triage: the same sums addEvent makes, kept in
 * Maps while a chunk is read and added to the report when it ends
 * (flushTally). Eight counters move on every line; a Map with the key's
 * hash cached in the string costs a third of a dictionary-mode object's
 * property update, which has to internalize each fresh key (measured:
 * about 1 µs per line with objects, 0.3 µs with Maps). The report keeps
 * plain objects (JSON, structured clone, merge by summation).
 *
 * A chunk's Maps are dropped at its end: a key read from a line may be a
 * slice of the chunk's text, and must not keep that text alive.
 */
import { bucketCounts, bump as bumpCount } from './bounded_counts.ts';
import { DIMENSIONS, limitBuckets, SERIES_LIMITS, type Dimension, type TriageReport } from './report.ts';

type Counter = Map<string, number>;

interface Bucket {
  reason: Counter;
  kid: Counter;
  route: Counter;
}

export interface Tally {
  events: number;
  untimed: number;
  by: Record<Dimension, Counter>;
  /** Bucket start (UNIX seconds) -> its counters. */
  buckets: Map<number, Bucket>;
  /** The bucket of the previous timed line (logs are mostly in time order). */
  lastStart: number;
  last: Bucket | undefined;
}

export function emptyTally(): Tally {
  return {
    events: 0,
    untimed: 0,
    by: { reason: new Map(), env: new Map(), kid: new Map(), route: new Map(), client: new Map() },
    buckets: new Map(),
    lastStart: NaN,
    last: undefined,
  };
}

const bump = (c: Counter, key: string): void => {
  c.set(key, (c.get(key) ?? 0) + 1);
};

/** One line's event: what addEvent does for `{ reason, env, kid, route, client, time, count: 1 }`. */
export function tallyEvent(
  t: Tally,
  bucketSeconds: number,
  reason: string,
  env: string | undefined,
  kid: string | undefined,
  route: string | undefined,
  client: string | undefined,
  time: number | undefined,
): void {
  t.events++;
  const by = t.by;
  bump(by.reason, reason);
  if (env !== undefined) bump(by.env, env);
  if (kid !== undefined) bump(by.kid, kid);
  if (route !== undefined) bump(by.route, route);
  if (client !== undefined) bump(by.client, client);
  if (time === undefined) {
    t.untimed++;
    return;
  }
  const b = bucketOf(t, Math.floor(time / bucketSeconds) * bucketSeconds);
  bump(b.reason, reason);
  if (kid !== undefined) bump(b.kid, kid);
  if (route !== undefined) bump(b.route, route);
}

function bucketOf(t: Tally, start: number): Bucket {
  if (start === t.lastStart && t.last) return t.last;
  let b = t.buckets.get(start);
  if (!b) {
    b = { reason: new Map(), kid: new Map(), route: new Map() };
    t.buckets.set(start, b);
  }
  t.lastStart = start;
  t.last = b;
  return b;
}

function addCounter(into: Record<string, number>, from: Counter, max?: number): void {
  for (const [k, v] of from) bumpCount(into, k, v, max);
}

/** Adds the tally's sums into `report`, then empties the tally. */
export function flushTally(t: Tally, report: TriageReport): void {
  report.events += t.events;
  report.untimed += t.untimed;
  for (const d of DIMENSIONS) addCounter(report.by[d], t.by[d]);
  for (const [start, b] of t.buckets) {
    const key = String(start);
    addCounter(bucketCounts(report.reasonsOverTime, key), b.reason, SERIES_LIMITS.reasonsOverTime);
    if (b.kid.size > 0) addCounter(bucketCounts(report.kidsOverTime, key), b.kid, SERIES_LIMITS.kidsOverTime);
    if (b.route.size > 0) addCounter(bucketCounts(report.routesOverTime, key), b.route, SERIES_LIMITS.routesOverTime);
  }
  limitBuckets(report);
  Object.assign(t, emptyTally());
}
