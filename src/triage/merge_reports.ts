/**
 * `triage --merge`: reports of several machines (or files, or days) summed
 * into one. Every count adds; the analysis is recomputed from the sums.
 */
import { addReport, emptyReport, setBucketSeconds, TRIAGE_SCHEMA, type AnalysisParams, type TriageReport } from './report.ts';
import { analyzeReport } from './analyze_report.ts';

/** Why a value is not a triage report, or undefined when it is one. */
export function triageReportProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const r = value as Partial<TriageReport>;
  if (r.schema !== TRIAGE_SCHEMA) return `schema is not ${TRIAGE_SCHEMA}`;
  if (typeof r.bucketSeconds !== 'number' || !(r.bucketSeconds > 0)) return 'bucketSeconds is missing';
  if (typeof r.by !== 'object' || typeof r.lines !== 'object' || typeof r.badInput !== 'object') return 'counts are missing';
  return undefined;
}

/**
 * Sums reports; the analysis parameters are the union of the inputs' (the
 * first mark unless `analysis.mark` overrides it). Reports whose buckets
 * were coarsened (MAX_BUCKETS) are summed in the largest bucket size when
 * it is a multiple of every other; otherwise a RangeError (the caller
 * reports it). The inputs are not changed.
 *
 * @example mergeReports([a, b]).by.reason.token_expired === a.by.reason.token_expired + b.by.reason.token_expired
 */
export function mergeReports(reports: readonly TriageReport[], analysis: Partial<AnalysisParams> = {}): TriageReport {
  const first = reports[0];
  if (!first) throw new RangeError('no report to merge');
  const size = Math.max(...reports.map((r) => r.bucketSeconds));
  const differing = reports.find((r) => size % r.bucketSeconds !== 0);
  if (differing)
    throw new RangeError(`bucket sizes differ (${size}s and ${differing.bucketSeconds}s): triage every input with the same --bucket`);
  const mark = analysis.mark ?? reports.find((r) => r.analysis.mark !== undefined)?.analysis.mark;
  const retired = new Set([...(analysis.retiredKids ?? []), ...reports.flatMap((r) => r.analysis.retiredKids)]);
  const current = new Set([...(analysis.currentKids ?? []), ...reports.flatMap((r) => r.analysis.currentKids ?? [])]);
  const out = emptyReport(size, {
    ...(mark !== undefined ? { mark } : {}),
    retiredKids: [...retired].sort(),
    ...(current.size > 0 ? { currentKids: [...current].sort() } : {}),
  });
  for (const r of reports) addReport(out, r.bucketSeconds === size ? r : withBucketSeconds(r, size));
  return analyzeReport(out);
}

/** A copy of `r` with its series in buckets of `size` seconds. */
function withBucketSeconds(r: TriageReport, size: number): TriageReport {
  const copy = { ...r };
  setBucketSeconds(copy, size);
  return copy;
}
