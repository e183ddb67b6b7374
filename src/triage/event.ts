/** One counted failure for triage: from a log line, or a Prometheus series sample (count > 1). */
export interface TriageEvent {
  reason: string;
  env?: string;
  kid?: string;
  route?: string;
  client?: string;
  /** UNIX seconds; absent when the line carries no time. */
  time?: number;
  count: number;
}
