/**
 * The report of events read elsewhere (Prometheus counters): the same sums
 * and analysis as a log triage, so both print and merge alike.
 */
import type { TriageEvent } from './event.ts';
import { mergeReports } from './merge_reports.ts';
import { addBadInput, addEvent, emptyReport, type AnalysisParams, type TriageError, type TriageReport } from './report.ts';

/** @example reportOfEvents(60, read.events, { retiredKids: [] }, read.errors).by.reason */
export function reportOfEvents(
  bucketSeconds: number,
  events: Iterable<TriageEvent>,
  analysis: AnalysisParams,
  errors: readonly TriageError[] = [],
): TriageReport {
  const r = emptyReport(bucketSeconds);
  for (const e of events) addEvent(r, e);
  for (const err of errors) {
    r.errors.push(err);
    addBadInput(r, err.code);
  }
  return mergeReports([r], analysis);
}
