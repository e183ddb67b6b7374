/**
 * The analysis derived from a report's sums: spikes around --mark and
 * residual traffic on old kids. Recomputed after every merge (never summed).
 * Pure: no I/O, no clock.
 */
import type { Counts, ResidualKid, Spike, TriageReport } from './report.ts';

/**
 * A reason spikes when its rate after the mark is at least SPIKE_FACTOR
 * times its rate before (per minute, over the buckets each side spans), and
 * at least SPIKE_MIN_EVENTS events happened after: a reason that goes from
 * 1 to 3 events is noise, not an incident. A reason absent before the mark
 * spikes as soon as it reaches SPIKE_MIN_EVENTS after it.
 */
export const SPIKE_FACTOR = 3;
export const SPIKE_MIN_EVENTS = 10;

/** Reasons that are not failures: never a spike. */
const NOT_FAILURES = new Set(['valid']);

/** Sets `report.spikes` and `report.residualKids` from its sums and `report.analysis`; returns the report. */
export function analyzeReport(report: TriageReport): TriageReport {
  report.spikes = report.analysis.mark === undefined ? [] : findSpikes(report, report.analysis.mark);
  report.residualKids = findResidualKids(report);
  return report;
}

function bucketStarts(series: Record<string, Counts>): number[] {
  return Object.keys(series)
    .map(Number)
    .sort((a, b) => a - b);
}

function findSpikes(report: TriageReport, mark: number): Spike[] {
  const b = report.bucketSeconds;
  const starts = bucketStarts(report.reasonsOverTime);
  if (starts.length === 0) return [];
  // The mark's own bucket counts as "after": a deploy at 12:00:30 shows in the 12:00 bucket.
  const markBucket = Math.floor(mark / b) * b;
  const beforeSeconds = Math.max(markBucket - starts[0]!, 0);
  const afterSeconds = Math.max(starts[starts.length - 1]! + b - markBucket, 0);
  const before: Counts = {};
  const after: Counts = {};
  for (const start of starts) {
    const side = start < markBucket ? before : after;
    for (const [reason, n] of Object.entries(report.reasonsOverTime[String(start)]!)) side[reason] = (side[reason] ?? 0) + n;
  }
  const spikes: Spike[] = [];
  for (const reason of Object.keys(after).sort()) {
    if (NOT_FAILURES.has(reason)) continue;
    const spike = compareRates(reason, before[reason] ?? 0, after[reason]!, beforeSeconds, afterSeconds);
    if (spike) spikes.push(spike);
  }
  return spikes.sort((x, y) => (y.factor ?? Infinity) - (x.factor ?? Infinity) || y.after - x.after);
}

function perMinute(n: number, seconds: number): number {
  return seconds > 0 ? Math.round((n * 60 * 100) / seconds) / 100 : 0;
}

function compareRates(reason: string, before: number, after: number, beforeSeconds: number, afterSeconds: number): Spike | undefined {
  if (after < SPIKE_MIN_EVENTS || afterSeconds === 0) return undefined;
  const rateBefore = beforeSeconds > 0 ? (before * 60) / beforeSeconds : 0;
  const rateAfter = (after * 60) / afterSeconds;
  if (rateBefore > 0 && rateAfter < SPIKE_FACTOR * rateBefore) return undefined;
  return {
    reason,
    before,
    after,
    ratePerMinuteBefore: perMinute(before, beforeSeconds),
    ratePerMinuteAfter: perMinute(after, afterSeconds),
    factor: rateBefore > 0 ? Math.round((rateAfter / rateBefore) * 100) / 100 : null,
  };
}

/** Kids named by --retired-kid, or (when the environment's key set is known) outside it. */
function findResidualKids(report: TriageReport): ResidualKid[] {
  const { retiredKids, currentKids, mark } = report.analysis;
  const retired = new Set(retiredKids);
  const current = currentKids && currentKids.length > 0 ? new Set(currentKids) : undefined;
  const out: ResidualKid[] = [];
  for (const [kid, total] of Object.entries(report.by.kid).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const why = retired.has(kid) ? 'retired' : current && !current.has(kid) ? 'not_in_current_keys' : undefined;
    if (!why) continue;
    out.push({ kid, why, total, ...kidTimes(report, kid, mark) });
  }
  return out;
}

function kidTimes(report: TriageReport, kid: string, mark: number | undefined): { afterMark?: number; lastSeen?: number } {
  let lastSeen: number | undefined;
  let afterMark = 0;
  const markBucket = mark === undefined ? undefined : Math.floor(mark / report.bucketSeconds) * report.bucketSeconds;
  for (const [bucket, counts] of Object.entries(report.kidsOverTime)) {
    const n = counts[kid];
    if (n === undefined) continue;
    const start = Number(bucket);
    if (lastSeen === undefined || start > lastSeen) lastSeen = start;
    if (markBucket !== undefined && start >= markBucket) afterMark += n;
  }
  return { ...(markBucket !== undefined ? { afterMark } : {}), ...(lastSeen !== undefined ? { lastSeen } : {}) };
}
