import type { Contract } from '../contract/load.ts';
import type { Finding } from '../reasons.ts';
export interface IsolationAttempt {
  from: string;
  variant: string;
  verifier: 'accepted' | 'rejected';
  api: 'accepted' | 'rejected' | 'not_probed';
  code?: string;
}
export interface IsolationResult {
  status: 'pass' | 'fail' | 'skip';
  attempts: IsolationAttempt[];
  findings: Finding[];
  reason?: string;
}
/** PLACEHOLDER: the isolation helper writes the real check. */
export async function checkIsolation(
  _contract: Contract,
  _envName: string,
  _opts: { now: number; timeoutMs?: number },
): Promise<IsolationResult> {
  return { status: 'skip', attempts: [], findings: [], reason: 'not built' };
}
