/**
 * The diagnoser with its keys loaded: the I/O edge (key files, JWKS URLs,
 * discovery) in front of the pure diagnoser of src/diagnose.ts.
 */
import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import { buildDiagnoser, type DiagnoseCallOptions, type Diagnoser, type Diagnosis } from '../diagnose.ts';
import { loadEnvironmentKeys, loadOtherEnvironments, type KeyLoadOptions } from './load_keys.ts';

export interface CreateDiagnoserOptions {
  /** The contract this environment comes from: its other environments feed key provenance and hints. */
  contract?: Contract;
  /** Folder for relative key paths (default: the contract's folder, else cwd). */
  baseDir?: string;
  timeoutMs?: number;
  vars?: Record<string, string | undefined>;
}

/**
 * Loads the environment's keys (files, JWKS URL, discovery: the I/O
 * edge) and returns a prepared diagnoser whose per-token call is
 * synchronous.
 *
 * @example
 * const contract = loadContract('auth-contract.yaml');
 * const d = await createDiagnoser(contract.environments.staging, { contract });
 * console.log(d.diagnose(token).result);
 */
export async function createDiagnoser(expectations: Expectations, options: CreateDiagnoserOptions = {}): Promise<Diagnoser> {
  const load = keyLoadOptions(options);
  const [own, others] = await Promise.all([
    loadEnvironmentKeys(expectations, load),
    loadOtherEnvironments(options.contract, expectations.name, load),
  ]);
  return buildDiagnoser(expectations, {
    keys: own.keys,
    findings: own.findings,
    sources: own.sources,
    ...(own.excluded ? { excludedKeys: own.excluded } : {}),
    ...others,
  });
}

/**
 * One-shot diagnosis: loads keys, then diagnoses. Never throws on a bad
 * token or an unreachable key source: those are findings.
 *
 * @example (await diagnose(token, contract.environments.staging, { now: new Date('2026-11-28T12:00:00Z') })).result
 */
export async function diagnose(
  token: string,
  expectations: Expectations,
  options: CreateDiagnoserOptions & DiagnoseCallOptions = {},
): Promise<Diagnosis> {
  const d = await createDiagnoser(expectations, options);
  return d.diagnose(token, options.now !== undefined ? { now: options.now } : {});
}

function keyLoadOptions(options: CreateDiagnoserOptions): KeyLoadOptions {
  const baseDir = options.baseDir ?? options.contract?.baseDir;
  return {
    ...(baseDir !== undefined ? { baseDir } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
  };
}
