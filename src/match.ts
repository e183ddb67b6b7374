import type { Contract } from './contract/load.ts';
import { buildDiagnoser, type Diagnoser, type Diagnosis } from './diagnose.ts';
import { keyContextFor, resolveKeys, type ResolvedKeys } from './keys/sources.ts';
import { otherEnvironmentsOf } from './diagnose/load_keys.ts';
import type { ReasonCode } from './reasons.ts';

export interface LoadOptions {
  timeoutMs?: number;
  vars?: Record<string, string | undefined>;
}

/**
 * Loads every environment's keys once and builds a prepared diagnoser per
 * environment, each knowing the others' keys for provenance.
 */
export async function createContractDiagnosers(contract: Contract, options: LoadOptions = {}): Promise<Map<string, Diagnoser>> {
  const names = Object.keys(contract.environments);
  const load = { baseDir: contract.baseDir, ...options };
  const loaded = new Map<string, ResolvedKeys>();
  await Promise.all(
    names.map(async (name) =>
      loaded.set(
        name,
        await resolveKeys(contract.environments[name]!.keys ?? [], keyContextFor({ ...contract.environments[name]!, name }, load)),
      ),
    ),
  );
  const out = new Map<string, Diagnoser>();
  for (const name of names) {
    const own = loaded.get(name)!;
    const otherKeys = names.filter((n) => n !== name).flatMap((n) => loaded.get(n)!.keys);
    out.set(
      name,
      buildDiagnoser(contract.environments[name]!, {
        keys: own.keys,
        findings: own.findings,
        sources: own.sources,
        ...(own.excluded ? { excludedKeys: own.excluded } : {}),
        otherKeys,
        otherEnvironments: otherEnvironmentsOf(contract, name),
      }),
    );
  }
  return out;
}

export interface MatchRow {
  env: string;
  result: Diagnosis['result'];
  /** Error codes, in the order found. */
  failing: ReasonCode[];
  signature: Diagnosis['signature']['status'];
  /** Evidence score: signature with this env's keys, then issuer, then audience. */
  score: number;
}

export interface MatchReport {
  schema: 'jwt-doctor/match/v1';
  rows: MatchRow[];
  /** The environment that most likely minted the token (best evidence), if any evidence at all. */
  mintedBy?: string;
  /** Environments where the token is valid. */
  validIn: string[];
  diagnoses: Record<string, Diagnosis>;
}

/**
 * Evaluates a token against every environment: one row per environment
 * and the environment that most likely minted it.
 *
 * @example (await matchEnvironments(token, loadContract('auth-contract.yaml'))).mintedBy
 */
export async function matchEnvironments(
  token: string,
  contract: Contract,
  options: LoadOptions & { now?: Date | number } = {},
): Promise<MatchReport> {
  return matchWithDiagnosers(token, await createContractDiagnosers(contract, options), options);
}

/**
 * matchEnvironments with the diagnosers already prepared (createContractDiagnosers):
 * a server that matches many tokens loads the keys once.
 *
 * @example matchWithDiagnosers(token, await createContractDiagnosers(contract), { now }).validIn
 */
export function matchWithDiagnosers(
  token: string,
  diagnosers: ReadonlyMap<string, Diagnoser>,
  options: { now?: Date | number } = {},
): MatchReport {
  const rows: MatchRow[] = [];
  const diagnoses: Record<string, Diagnosis> = {};
  for (const [env, d] of diagnosers) {
    const diag = d.diagnose(token, options.now !== undefined ? { now: options.now } : {});
    diagnoses[env] = diag;
    const failing = [...new Set(diag.findings.filter((f) => f.severity === 'error').map((f) => f.code))];
    const has = (code: ReasonCode) => failing.includes(code);
    const score =
      (diag.signature.status === 'pass' ? 100 : 0) +
      (diag.expected.issuer && !has('issuer_mismatch') ? 10 : 0) +
      (diag.expected.audience && !has('audience_mismatch') ? 5 : 0) +
      (diag.result === 'valid' ? 1 : 0);
    rows.push({ env, result: diag.result, failing, signature: diag.signature.status, score });
  }
  const best = [...rows].sort((a, b) => b.score - a.score)[0];
  const report: MatchReport = {
    schema: 'jwt-doctor/match/v1',
    rows,
    validIn: rows.filter((r) => r.result === 'valid').map((r) => r.env),
    diagnoses,
  };
  if (best && best.score > 0) report.mintedBy = best.env;
  return report;
}
