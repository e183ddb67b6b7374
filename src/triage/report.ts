/**
 * The triage report: counts by reason, environment, kid, route, client and
 * time bucket, built from TriageEvent values (log lines and Prometheus
 * samples alike). Every number in it is a sum, so reports of several
 * machines, files or worker threads merge by adding (mergeReports); the
 * analysis (spikes, residual kids) is derived from the sums afterwards
 * (analyzeReport), never merged. Pure: no I/O, no clock.
 */
import type { TriageEvent } from './event.ts';

export const TRIAGE_SCHEMA = 'jwt-doctor/triage/v1';

/** Sanitized examples kept per reason or bad-input code. */
export const EXAMPLES_PER_CODE = 3;
/**
 * Distinct keys one count keeps (routes, clients, kids, ... of a dimension,
 * or of one time bucket); later keys are summed under OTHER_KEY. A log with
 * an id in every path, or a hostile one, cannot grow the report without end.
 */
export const MAX_KEYS_PER_COUNT = 1000;
export const OTHER_KEY = '(other)';
/**
 * Time buckets a report keeps: past this many, the bucket size doubles
 * (and doubles again) and the series are summed into the larger buckets.
 * A week of 1-minute buckets fits; times scattered over decades do not
 * make a million buckets.
 */
export const MAX_BUCKETS = 10_000;

export type Counts = Record<string, number>;

export const DIMENSIONS = ['reason', 'env', 'kid', 'route', 'client'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface TriageError {
  code: string;
  message: string;
  /** The input it concerns (a file name, '-', a URL). */
  source?: string;
}

export interface Spike {
  reason: string;
  before: number;
  after: number;
  /** Events per minute before and after the mark's bucket. */
  ratePerMinuteBefore: number;
  ratePerMinuteAfter: number;
  /** after rate / before rate (null when there was no traffic before). */
  factor: number | null;
}

export interface ResidualKid {
  kid: string;
  why: 'retired' | 'not_in_current_keys';
  total: number;
  /** Events in the mark's bucket and after (absent without --mark). */
  afterMark?: number;
  /** Start of the last bucket the kid was seen in (UNIX seconds). */
  lastSeen?: number;
}

/** What the analysis is computed against: carried in the report so a merge can recompute it. */
export interface AnalysisParams {
  mark?: number;
  retiredKids: string[];
  /** The environment's current key set, by kid (residual traffic = kids outside it). */
  currentKids?: string[];
}

export interface TriageReport {
  schema: typeof TRIAGE_SCHEMA;
  bucketSeconds: number;
  /** Input lines: read = events (lines that gave an event) + unmatched + skipped. */
  lines: { read: number; events: number; unmatched: number; skipped: number };
  /** Bytes read from the inputs (compressed bytes for gzip). */
  bytes: number;
  /** Sum of event counts (a Prometheus sample counts its value). */
  events: number;
  by: Record<Dimension, Counts>;
  /** Bucket start (UNIX seconds) -> reason -> count. */
  reasonsOverTime: Record<string, Counts>;
  /** Bucket start (UNIX seconds) -> kid -> count. */
  kidsOverTime: Record<string, Counts>;
  /** Bucket start -> route -> count. */
  routesOverTime: Record<string, Counts>;
  /** Events without a time. */
  untimed: number;
  /** Bad input by code: line_too_long, binary_line, json_invalid, gzip_invalid, ... */
  badInput: Counts;
  /** Reason or bad-input code -> a few sanitized lines (never a token). */
  examples: Record<string, string[]>;
  errors: TriageError[];
  analysis: AnalysisParams;
  spikes: Spike[];
  residualKids: ResidualKid[];
}

/** An empty report for buckets of `bucketSeconds`. */
export function emptyReport(bucketSeconds: number, analysis: AnalysisParams = { retiredKids: [] }): TriageReport {
  return {
    schema: TRIAGE_SCHEMA,
    bucketSeconds,
    lines: { read: 0, events: 0, unmatched: 0, skipped: 0 },
    bytes: 0,
    events: 0,
    by: { reason: {}, env: {}, kid: {}, route: {}, client: {} },
    reasonsOverTime: {},
    kidsOverTime: {},
    routesOverTime: {},
    untimed: 0,
    badInput: {},
    examples: {},
    errors: [],
    analysis,
    spikes: [],
    residualKids: [],
  };
}

/** Key counts of the objects bump has seen (a count read from JSON is counted once, then tracked). */
const keyCounts = new WeakMap<object, number>();

function keyCount(o: object): number {
  let n = keyCounts.get(o);
  if (n === undefined) {
    n = Object.keys(o).length;
    keyCounts.set(o, n);
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
  if (counts[k] === undefined) keyCounts.set(counts, size + 1);
  counts[k] = (counts[k] ?? 0) + n;
}

/** The count of `bucket` in `series`, made when new (and the buckets coarsened first when there would be too many). */
export function bucketCounts(series: Record<string, Counts>, bucket: string): Counts {
  let c = series[bucket];
  if (c === undefined) {
    c = {};
    series[bucket] = c;
    keyCounts.set(series, keyCount(series) + 1);
  }
  return c;
}

function bumpSeries(series: Record<string, Counts>, bucket: string, key: string, n: number): void {
  bump(bucketCounts(series, bucket), key, n);
}

let lastBucket = NaN;
let lastBucketKey = '';
/** The bucket's start as a key; logs are mostly in time order, so the last key is reused. */
function bucketKey(bucketSeconds: number, time: number): string {
  const start = Math.floor(time / bucketSeconds) * bucketSeconds;
  if (start !== lastBucket) {
    lastBucket = start;
    lastBucketKey = String(start);
  }
  return lastBucketKey;
}

/** Adds one event (a counted failure, or a valid token's traffic) to the sums. */
export function addEvent(report: TriageReport, e: TriageEvent): void {
  const n = e.count;
  report.events += n;
  const by = report.by;
  bump(by.reason, e.reason, n);
  if (e.env !== undefined) bump(by.env, e.env, n);
  if (e.kid !== undefined) bump(by.kid, e.kid, n);
  if (e.route !== undefined) bump(by.route, e.route, n);
  if (e.client !== undefined) bump(by.client, e.client, n);
  if (e.time === undefined) {
    report.untimed += n;
    return;
  }
  const bucket = bucketKey(report.bucketSeconds, e.time);
  bumpSeries(report.reasonsOverTime, bucket, e.reason, n);
  if (e.kid !== undefined) bumpSeries(report.kidsOverTime, bucket, e.kid, n);
  if (e.route !== undefined) bumpSeries(report.routesOverTime, bucket, e.route, n);
  limitBuckets(report);
}

/** Every timed event has a reason, so the reason series has every bucket. */
const bucketsOf = (report: TriageReport): number => keyCount(report.reasonsOverTime);

/** Doubles the bucket size until the report has at most MAX_BUCKETS buckets (a no-op below). */
export function limitBuckets(report: TriageReport): void {
  if (bucketsOf(report) <= MAX_BUCKETS) return;
  let size = report.bucketSeconds;
  const starts = Object.keys(report.reasonsOverTime).map(Number);
  do size *= 2;
  while (new Set(starts.map((s) => Math.floor(s / size))).size > MAX_BUCKETS);
  setBucketSeconds(report, size);
}

/** Sums the series into buckets of `size` seconds (a multiple of the report's). */
export function setBucketSeconds(report: TriageReport, size: number): void {
  if (size === report.bucketSeconds) return;
  const rekey = (series: Record<string, Counts>): Record<string, Counts> => {
    const out: Record<string, Counts> = {};
    for (const [start, counts] of Object.entries(series))
      addCounts(bucketCounts(out, String(Math.floor(Number(start) / size) * size)), counts);
    return out;
  };
  report.reasonsOverTime = rekey(report.reasonsOverTime);
  report.kidsOverTime = rekey(report.kidsOverTime);
  report.routesOverTime = rekey(report.routesOverTime);
  report.bucketSeconds = size;
}

/** Counts one bad input (line_too_long, binary_line, json_invalid, ...) and keeps the line, sanitized, as an example while there is room. */
export function addBadInput(report: TriageReport, code: string, line?: string, sanitize?: (line: string) => string): void {
  bump(report.badInput, code, 1);
  if (line !== undefined && sanitize && wantsExample(report, code)) addExample(report, code, sanitize(line));
}

/** True while `code` has fewer than EXAMPLES_PER_CODE examples: lets the caller skip sanitizing a line no one will see. */
export function wantsExample(report: TriageReport, code: string): boolean {
  return (report.examples[code]?.length ?? 0) < EXAMPLES_PER_CODE;
}

/**
 * Keeps `example` (already sanitized) when `code` has room: the first ones
 * seen per report; a merge keeps the smallest of the union, so merged
 * examples do not depend on the order reports are given in.
 */
export function addExample(report: TriageReport, code: string, example: string): void {
  const list = (report.examples[code] ??= []);
  if (list.length >= EXAMPLES_PER_CODE && example >= list[list.length - 1]!) return;
  if (list.includes(example)) return;
  list.push(example);
  list.sort();
  if (list.length > EXAMPLES_PER_CODE) list.length = EXAMPLES_PER_CODE;
}

export function addCounts(into: Counts, from: Counts): void {
  for (const [k, v] of Object.entries(from)) bump(into, k, v);
}

function addSeries(into: Record<string, Counts>, from: Record<string, Counts>): void {
  for (const [bucket, counts] of Object.entries(from)) addCounts(bucketCounts(into, bucket), counts);
}

/**
 * Adds `from`'s sums into `into` (lines, bytes, events, every count and
 * series; examples re-chosen; errors appended). `from`'s bucket size must
 * be `into`'s (mergeReports brings them to one first).
 */
export function addReport(into: TriageReport, from: TriageReport): void {
  for (const k of ['read', 'events', 'unmatched', 'skipped'] as const) into.lines[k] += from.lines[k];
  into.bytes += from.bytes;
  into.events += from.events;
  into.untimed += from.untimed;
  for (const d of DIMENSIONS) addCounts(into.by[d], from.by[d]);
  addSeries(into.reasonsOverTime, from.reasonsOverTime);
  addSeries(into.kidsOverTime, from.kidsOverTime);
  addSeries(into.routesOverTime, from.routesOverTime);
  limitBuckets(into);
  addCounts(into.badInput, from.badInput);
  for (const [code, list] of Object.entries(from.examples)) for (const ex of list) addExample(into, code, ex);
  into.errors.push(...from.errors);
}
