/**
 * The counts of a triage report, bounded: a count keeps MAX_KEYS_PER_COUNT
 * keys (later ones are summed under OTHER_KEY), and a time series knows
 * how many (bucket, key) cells it holds, so the report can coarsen its
 * buckets before a hostile log grows it without end. Key and cell counts
 * are tracked on the side (WeakMaps): a count read from JSON (--merge) is
 * measured once, then tracked.
 */

export type Counts = Record<string, number>;

/**
 * Distinct keys one count keeps (routes, clients, kids, ... of a dimension,
 * or of one time bucket); later keys are summed under OTHER_KEY. A log with
 * an id in every path, or a hostile one, cannot grow the report without end.
 */
export const MAX_KEYS_PER_COUNT = 1000;
export const OTHER_KEY = '(other)';

const keyCounts = new WeakMap<object, number>();
/** A bucket's count -> the series it belongs to (its new keys are the series' new cells). */
const seriesOfBucket = new WeakMap<Counts, Record<string, Counts>>();
const cellCounts = new WeakMap<Record<string, Counts>, number>();

/** Keys of `o` (a count, or a series' buckets). */
export function keyCount(o: object): number {
  let n = keyCounts.get(o);
  if (n === undefined) {
    n = Object.keys(o).length;
    keyCounts.set(o, n);
  }
  return n;
}

/** (bucket, key) cells of a series. */
export function cellCount(series: Record<string, Counts>): number {
  let n = cellCounts.get(series);
  if (n === undefined) {
    n = 0;
    for (const c of Object.values(series)) n += keyCount(c);
    cellCounts.set(series, n);
  }
  return n;
}

/** Adds `n` to `counts[key]`; a new key past MAX_KEYS_PER_COUNT adds to OTHER_KEY instead. */
export function bump(counts: Counts, key: string, n: number): void {
  const had = counts[key];
  if (had !== undefined) {
    counts[key] = had + n;
    return;
  }
  const size = keyCount(counts);
  const k = size < MAX_KEYS_PER_COUNT || key === OTHER_KEY ? key : OTHER_KEY;
  if (counts[k] === undefined) {
    keyCounts.set(counts, size + 1);
    const series = seriesOfBucket.get(counts);
    if (series) cellCounts.set(series, cellCount(series) + 1);
  }
  counts[k] = (counts[k] ?? 0) + n;
}

export function addCounts(into: Counts, from: Counts): void {
  for (const [k, v] of Object.entries(from)) bump(into, k, v);
}

/** The count of `bucket` in `series`, made when new. */
export function bucketCounts(series: Record<string, Counts>, bucket: string): Counts {
  let c = series[bucket];
  if (c === undefined) {
    c = {};
    series[bucket] = c;
    keyCounts.set(series, keyCount(series) + 1);
  } else if (seriesOfBucket.has(c)) return c;
  cellCount(series);
  seriesOfBucket.set(c, series);
  return c;
}
