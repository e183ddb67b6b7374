/**
 * The demo's last step: `jwt-doctor check --env staging` against the fixed
 * replica (issue 12 item 3, src/check), at the replica's clock: `now` for
 * the token times, `clock` for the Date headers it compares (the replica's
 * servers send the replica's time, so the measured skew is the replica's
 * own, 0).
 */
import type { Contract } from '../contract/load.ts';
import { runCheck } from '../check/run_check.ts';
import { formatCheckText } from '../check/format_check.ts';
import type { ReplicaClock } from './replica_clock.ts';

export interface PostFixCheck {
  status: 'stable' | 'unstable';
  /** The text report (formatCheckText). */
  text: string;
  /** The reason codes of the failing lines. */
  codes: string[];
}

export async function runPostFixCheck(
  contract: Contract,
  env: string,
  options: { clock: ReplicaClock; timeoutMs: number },
): Promise<PostFixCheck> {
  const report = await runCheck(contract, env, { now: options.clock.now, clock: options.clock.nowMs, timeoutMs: options.timeoutMs });
  const codes = report.clients.flatMap((c) => c.lines.flatMap((l) => (l.status === 'fail' && l.code !== undefined ? [l.code] : [])));
  return { status: report.status, text: formatCheckText(report), codes };
}
