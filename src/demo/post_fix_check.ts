/**
 * The demo's last step: `jwt-doctor check --env staging` against the fixed
 * replica (issue 12 item 3). `check` is built on its own branch
 * (src/check/run_check.ts: runCheck(contract, envName, { now?, client?,
 * timeoutMs? }) -> CheckReport with status 'stable' | 'unstable';
 * src/check/format_check.ts: formatCheckText(report)); until it is merged
 * this step reports that it is not available in this build.
 */
import type { Contract } from '../contract/load.ts';

/** Whether this build runs `check` after the fix (false until src/check is merged). */
export const CHECK_AVAILABLE = false;

export type PostFixCheck =
  { available: true; status: 'stable' | 'unstable'; text: string; codes: string[] } | { available: false; text: string };

export async function runPostFixCheck(
  _contract: Contract,
  _env: string,
  _options: { now: number; timeoutMs: number },
): Promise<PostFixCheck> {
  return { available: false, text: 'check: not available in this build\n' };
}
