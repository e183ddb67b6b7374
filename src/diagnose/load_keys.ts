/**
 * The key-loading edge of the diagnoser (I/O: files, JWKS URLs, discovery
 * through src/keys/sources.ts): one environment's keys, the other
 * environments' keys for provenance, and the one key-loading context every
 * loader builds from an environment (createDiagnoser, match, the
 * middleware verifier).
 */
import type { Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import { keyContextFor, resolveKeys, type KeyLoadOptions, type ResolvedKeys } from '../keys/sources.ts';

export type { KeyLoadOptions };
import type { PreparedKeys } from '../diagnose.ts';

/** One environment's keys; a source that fails is a finding, never a throw. */
export function loadEnvironmentKeys(expectations: Expectations, options: KeyLoadOptions): Promise<ResolvedKeys> {
  return resolveKeys(expectations.keys ?? [], keyContextFor(expectations, options));
}

/** The contract's other environments' issuer and audience, for "minted by env X" hints. */
export function otherEnvironmentsOf(contract: Contract, name: string | undefined): NonNullable<PreparedKeys['otherEnvironments']> {
  return Object.entries(contract.environments)
    .filter(([n]) => n !== name)
    .map(([n, env]) => ({ name: n, ...(env.issuer ? { issuer: env.issuer } : {}), ...(env.audience ? { audience: env.audience } : {}) }));
}

/** Loads the other environments' keys for provenance; failures there are ignored (they are not this env's problem). */
export async function loadOtherEnvironments(
  contract: Contract | undefined,
  name: string | undefined,
  options: KeyLoadOptions,
): Promise<Pick<PreparedKeys, 'otherKeys' | 'otherEnvironments'>> {
  if (!contract) return {};
  const others = Object.entries(contract.environments).filter(([n]) => n !== name);
  const keySets = await Promise.all(
    others.map(([n, env]) => resolveKeys(env.keys ?? [], keyContextFor({ ...env, name: n }, options)).then((r) => r.keys)),
  );
  return { otherKeys: keySets.flat(), otherEnvironments: otherEnvironmentsOf(contract, name) };
}
