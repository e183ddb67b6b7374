/**
 * The triage report: counts by reason, environment, kid, route, client and
 * time bucket, built from TriageEvent values (log lines and Prometheus
 * samples alike). Every number in it is a sum, so reports of several
 * machines, files or worker threads merge by adding (mergeReports); the
 * analysis (spikes, residual kids) is derived from the sums afterwards
 * (analyzeReport), never merged. Pure: no I/O, no clock.
 */
import type { TriageEvent } from './event.ts';
import { addCounts, bucketCounts, bump, keyCount, MAX_KEYS_PER_BUCKET, MAX_KEYS_PER_COUNT, type Counts } from './bounded_counts.ts';

export const TRIAGE_SCHEMA = 'jwt-doctor/triage/v1';

/** Sanitized examples kept per reason or bad-input code. */
export const EXAMPLES_PER_CODE = 3;
/**
 * Time buckets a report keeps: past this many, the bucket size doubles,
 * and doubles again, and the series are summed into the larger buckets. A
 * week of 1-minute buckets fits; times scattered over decades do not make
 * a million buckets. With MAX_KEYS_PER_BUCKET, a series holds at most
 * 10,080 x 11 (bucket, key) pairs.
 */
export const MAX_BUCKETS = 10_080;

/** The series, and the keys each of their buckets keeps (reasons are our own codes: a bounded set, all kept). */
export const SERIES_LIMITS = {
  reasonsOverTime: MAX_KEYS_PER_COUNT,
  kidsOverTime: MAX_KEYS_PER_BUCKET,
  routesOverTime: MAX_KEYS_PER_BUCKET,
} as const;
const SERIES = Object.keys(SERIES_LIMITS) as (keyof typeof SERIES_LIMITS)[];

export type { Counts } from './bounded_counts.ts';
export { MAX_KEYS_PER_BUCKET, MAX_KEYS_PER_COUNT, OTHER_KEY } from './bounded_counts.ts';

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

function bumpSeries(series: Record<string, Counts>, bucket: string, key: string, n: number, max: number): void {
  bump(bucketCounts(series, bucket), key, n, max);
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
  bumpSeries(report.reasonsOverTime, bucket, e.reason, n, SERIES_LIMITS.reasonsOverTime);
  if (e.kid !== undefined) bumpSeries(report.kidsOverTime, bucket, e.kid, n, SERIES_LIMITS.kidsOverTime);
  if (e.route !== undefined) bumpSeries(report.routesOverTime, bucket, e.route, n, SERIES_LIMITS.routesOverTime);
  limitBuckets(report);
}

/** Doubles the bucket size until the report has at most MAX_BUCKETS buckets (a no-op when it has). */
export function limitBuckets(report: TriageReport): void {
  // Every timed event has a reason, so the reason series has every bucket.
  while (keyCount(report.reasonsOverTime) > MAX_BUCKETS) setBucketSeconds(report, report.bucketSeconds * 2);
}

/** Sums the series into buckets of `size` seconds (a multiple of the report's). */
export function setBucketSeconds(report: TriageReport, size: number): void {
  if (size === report.bucketSeconds) return;
  const rekey = (series: Record<string, Counts>, max: number): Record<string, Counts> => {
    const out: Record<string, Counts> = {};
    for (const [start, counts] of Object.entries(series))
      addCounts(bucketCounts(out, String(Math.floor(Number(start) / size) * size)), counts, max);
    return out;
  };
  for (const s of SERIES) report[s] = rekey(report[s], SERIES_LIMITS[s]);
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

function addSeries(into: Record<string, Counts>, from: Record<string, Counts>, max: number): void {
  for (const [bucket, counts] of Object.entries(from)) addCounts(bucketCounts(into, bucket), counts, max);
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
  for (const s of SERIES) addSeries(into[s], from[s], SERIES_LIMITS[s]);
  limitBuckets(into);
  addCounts(into.badInput, from.badInput);
  for (const [code, list] of Object.entries(from.examples)) for (const ex of list) addExample(into, code, ex);
  into.errors.push(...from.errors);
}
