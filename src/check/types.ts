/**
 * The shapes of `jwt-doctor check` (issue 12 items 3 and 4): one line per
 * check, per client, and the report the formatters read. Re-exported from
 * run_check.ts, the module the demo and the CLI import.
 */
import type { Finding, ReasonCode } from '../reasons.ts';

export const CHECK_SCHEMA = 'jwt-doctor/check/v1';

export interface CheckOptions {
  /** The check instant, UNIX seconds (token times, minting); default the real clock. */
  now?: () => number;
  /** Run only this client of the environment's clients section. */
  client?: string;
  /** Deadline of every network call (token endpoint, keys, clocks, API), ms; default 5000. */
  timeoutMs?: number;
  /** Run the environment-isolation check; default true for environments marked production: true. */
  isolation?: boolean;
  /** The local wall clock the HTTP Date headers are compared with, ms (default Date.now); apart from `now` so a fixed `now` still measures real offsets. */
  clock?: () => number;
  /** Date-header samples per clock (default 3). */
  clockSamples?: number;
  /** Variables for `{ env: NAME }` references of the token source (default process.env). */
  vars?: Record<string, string | undefined>;
}

export type CheckLineName =
  | 'token'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'lifetime'
  | 'clock_skew_seconds'
  | 'header_propagation'
  | 'environment_isolation'
  | 'discovery'
  | 'refresh_flow';

export interface CheckLine {
  name: CheckLineName;
  status: 'pass' | 'fail' | 'skip';
  /** clock_skew_seconds: the measured offset (seconds, rounded, sign kept: positive = a remote clock is ahead). */
  value?: number | string;
  /** clock_skew_seconds: the contract's clockToleranceSeconds. */
  tolerance?: number;
  /** The reason code of a failing line. */
  code?: ReasonCode;
  /** What was measured: never a token, a refresh token or a secret. */
  evidence: Record<string, unknown>;
}

export interface ClientCheck {
  /** The client of the environment's clients section, or null when the environment defines none. */
  client: string | null;
  lines: CheckLine[];
  status: 'stable' | 'unstable';
}

export interface CheckReport {
  schema: typeof CHECK_SCHEMA;
  env: string;
  status: 'stable' | 'unstable';
  clients: ClientCheck[];
  /** Every finding behind a failing line (a client's carry detail.client). */
  findings: Finding[];
  /** When the check ran (ISO 8601, from `now`). */
  checkedAt?: string;
}

/** A line and the findings behind it. */
export interface LineResult {
  line: CheckLine;
  findings: Finding[];
}
