import type { ClaimExpectation, Expectations } from '../expectations.ts';
import type { DrillSigner } from './drill_signer.ts';

/** Lifetime of a drill token when the contract's policy names none: short, it only has to reach the target. */
export const DRILL_TOKEN_LIFETIME_SECONDS = 300;

/** A value that meets one `claims:` expectation of the contract. */
function satisfy(expectation: ClaimExpectation): unknown {
  if (typeof expectation !== 'object') return expectation;
  if ('equals' in expectation) return expectation.equals;
  if ('oneOf' in expectation) return expectation.oneOf[0];
  return Array.isArray(expectation.includes) ? expectation.includes.join(' ') : expectation.includes;
}

/**
 * The claims of a token the environment's verifier should accept at
 * `now` (seconds): its first issuer and audience, iat = now, exp after
 * the policy lifetime, every `claims:` expectation met and every required
 * claim present. `shift` moves the instants (skew drills).
 *
 * @example drillClaims(contract.environments.staging, 1_800_000_000).iss // 'https://auth.staging.example.com'
 */
export function drillClaims(env: Expectations, now: number, lifetimeSeconds = DRILL_TOKEN_LIFETIME_SECONDS): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    ...(env.issuer?.[0] !== undefined ? { iss: env.issuer[0] } : {}),
    ...(env.audience?.[0] !== undefined ? { aud: env.audience[0] } : {}),
    sub: 'jwt-doctor-drill',
    iat: now,
    exp: now + lifetimeSeconds,
    jti: `drill-${now}-${Math.random().toString(36).slice(2, 10)}`,
  };
  for (const [name, expectation] of Object.entries(env.claims ?? {})) claims[name] = satisfy(expectation);
  for (const name of env.requiredClaims ?? []) if (!(name in claims)) claims[name] = name === 'nbf' ? now : 'jwt-doctor-drill';
  return claims;
}

/** The protected header the environment's signer would use (alg and kid of the key, the contract's typ). */
export function drillHeader(env: Expectations, signer: Pick<DrillSigner, 'alg' | 'kid'>): Record<string, unknown> {
  return { alg: signer.alg, typ: env.typ ?? 'JWT', ...(signer.kid !== undefined ? { kid: signer.kid } : {}) };
}
