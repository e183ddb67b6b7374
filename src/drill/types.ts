import type { ApiConfig } from '../contract/api_section.ts';
import type { Expectations } from '../expectations.ts';
import type { Finding, ReasonCode } from '../reasons.ts';
import type { DrillSigner } from './drill_signer.ts';
import type { DrillListener } from './listener.ts';

export const DRILL_SCHEMA = 'jwt-doctor/drill/v1';

export const SCENARIOS = ['rotation', 'skew', 'header-strip', 'attacks'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** One observed expectation of a drill: what should happen, what did, and the proof. */
export interface DrillStep {
  /** Step or attack name (`publish_new`, `alg_none:nOnE`, `exp`, ...). */
  name: string;
  route?: string;
  expected: string;
  observed: string;
  pass: boolean;
  /** The reason code of a failed step. */
  code?: ReasonCode;
  evidence: Record<string, unknown>;
}

export interface DrillResult {
  scenario: Scenario;
  /** Every step passed (and there was at least one). */
  ready: boolean;
  steps: DrillStep[];
  findings: Finding[];
  /** Scenario-level facts (the measured skew boundaries, the served JWKS URL, ...). */
  summary: Record<string, unknown>;
}

export interface DrillReport {
  schema: typeof DRILL_SCHEMA;
  env: string;
  target: string;
  startedAt: string;
  drills: DrillResult[];
  findings: Finding[];
  /** Every drill ready: the exit code is 0 only then. */
  ready: boolean;
}

export interface DrillOptions {
  scenarios: readonly Scenario[];
  /** The API base URL (default the environment's api.baseUrl). */
  target?: string;
  /** Signs tokens the target should accept (absent: the drill serves its own JWKS, or the scenario cannot run). */
  signer?: DrillSigner;
  /** Clock, milliseconds (tests pin it). */
  now?: () => number;
  /** Per-request deadline, ms (default 5000). */
  timeoutMs?: number;
  /** Longest wait for the target to pick up a JWKS change (rotation), ms (default: cache TTL + cooldown + 5 s). */
  propagationTimeoutMs?: number;
  /** Pause between two polls while waiting for a propagation, ms (default 500). */
  pollIntervalMs?: number;
  /** Seconds between the two metrics samples of the retirement checklist (default 2). */
  metricsIntervalSeconds?: number;
  /** Seconds of clock difference between drill and target absorbed by the skew probes (default 2). */
  skewSlackSeconds?: number;
  /** Where the attacker listener (jku / x5u) binds (default 127.0.0.1, port 0). */
  listenHost?: string;
  listenPort?: number;
  /** Waits (tests may inject a faster one). */
  sleep?: (ms: number) => Promise<void>;
}

/** What every scenario runner takes. */
export interface DrillContext {
  env: Expectations;
  api: ApiConfig;
  signer: DrillSigner | undefined;
  /** The drill's JWKS the target fetches (served mode), when the contract points the environment at it. */
  served: DrillListener | undefined;
  options: DrillOptions;
  nowSeconds: () => number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}
