/**
 * The counts of a triage report, bounded: a count keeps a fixed number of
 * keys (MAX_KEYS_PER_COUNT for a table, MAX_KEYS_PER_BUCKET for one time
 * bucket of the kid and route series); later keys are summed under
 * OTHER_KEY. Key counts are tracked on the side (a WeakMap): a count read
 * from JSON (--merge) is measured once, then tracked.
 */

export type Counts = Record<string, number>;

/**
 * Distinct keys one table keeps (routes, clients, kids, ... of a dimension);
 * later keys are summed under OTHER_KEY. A log with an id in every path, or
 * a hostile one, cannot grow the report without end.
 */
export const MAX_KEYS_PER_COUNT = 1000;
/** Distinct kids or routes one time bucket keeps (charts draw the top few; the totals are in the tables). */
export const MAX_KEYS_PER_BUCKET = 10;
export const OTHER_KEY = '(other)';

const keyCounts = new WeakMap<object, number>();

/** Keys of `o` (a count, or a series' buckets). */
export function keyCount(o: object): number {
  let n = keyCounts.get(o);
  if (n === undefined) {
    n = Object.keys(o).length;
    keyCounts.set(o, n);
  }
  return n;
}

/** Adds `n` to `counts[key]`; a new key past `max` keys adds to OTHER_KEY instead. */
export function bump(counts: Counts, key: string, n: number, max = MAX_KEYS_PER_COUNT): void {
  const had = counts[key];
  if (had !== undefined) {
    counts[key] = had + n;
    return;
  }
  const size = keyCount(counts);
  const k = size < max || key === OTHER_KEY ? key : OTHER_KEY;
  if (counts[k] === undefined) keyCounts.set(counts, size + 1);
  counts[k] = (counts[k] ?? 0) + n;
}

export function addCounts(into: Counts, from: Counts, max = MAX_KEYS_PER_COUNT): void {
  for (const [k, v] of Object.entries(from)) bump(into, k, v, max);
}

/** The count of `bucket` in `series`, made when new. */
export function bucketCounts(series: Record<string, Counts>, bucket: string): Counts {
  let c = series[bucket];
  if (c === undefined) {
    c = {};
    series[bucket] = c;
    keyCounts.set(series, keyCount(series) + 1);
  }
  return c;
}
