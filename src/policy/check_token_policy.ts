import { makeFinding, type Finding } from '../reasons.ts';
import type { PolicySection } from '../contract/policy_section.ts';

/** One token's lifecycle facts, as decoded (untrusted until `diagnose` says signature = pass). */
export interface TokenLifecycle {
  /** exp - iat (or exp - nbf without iat), seconds. */
  lifetimeSeconds?: number;
  /** exp - now, seconds (negative: expired). */
  remainingSeconds?: number;
  /** When the client should have refreshed: exp - refreshWindowSeconds (NumericDate). */
  refreshAt?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The lifecycle rules of the policy applied to one token's claims (pure:
 * `now` comes in): lifetime over the maximum (token_lifetime_exceeds_policy),
 * inside the refresh window (token_refresh_overdue: the client should have
 * refreshed already), already expired (token_expired). Revocation is the
 * caller's I/O.
 *
 * @example checkTokenPolicy({ iat: 0, exp: 7200 }, { tokenLifetimeSeconds: 3600 }, 100).findings[0].code // 'token_lifetime_exceeds_policy'
 */
export function checkTokenPolicy(
  claims: Readonly<Record<string, unknown>>,
  policy: PolicySection,
  now: number,
): { lifecycle: TokenLifecycle; findings: Finding[] } {
  const exp = num(claims.exp);
  const start = num(claims.iat) ?? num(claims.nbf);
  const lifecycle: TokenLifecycle = {};
  const findings: Finding[] = [];
  if (exp !== undefined && start !== undefined) lifecycle.lifetimeSeconds = exp - start;
  if (exp !== undefined) lifecycle.remainingSeconds = exp - now;
  const max = policy.tokenLifetimeSeconds;
  if (max !== undefined && lifecycle.lifetimeSeconds !== undefined && lifecycle.lifetimeSeconds > max) {
    findings.push(
      makeFinding('token_lifetime_exceeds_policy', {
        claim: 'exp',
        expected: max,
        actual: lifecycle.lifetimeSeconds,
        detail: { lifetimeSeconds: lifecycle.lifetimeSeconds, tokenLifetimeSeconds: max },
      }),
    );
  }
  if (exp === undefined) return { lifecycle, findings };
  const window = policy.refreshWindowSeconds;
  if (window !== undefined) lifecycle.refreshAt = exp - window;
  if (now >= exp) {
    findings.push(
      makeFinding('token_expired', { claim: 'exp', expected: `> ${now}`, actual: exp, detail: { expiredSecondsAgo: now - exp } }),
    );
  } else if (lifecycle.refreshAt !== undefined && now >= lifecycle.refreshAt) {
    findings.push(
      makeFinding('token_refresh_overdue', {
        claim: 'exp',
        expected: lifecycle.refreshAt,
        actual: now,
        detail: { remainingSeconds: exp - now, refreshWindowSeconds: window, refreshAt: lifecycle.refreshAt },
      }),
    );
  }
  return { lifecycle, findings };
}

/**
 * The verifier's clock tolerance against the policy's maximum
 * (clock_tolerance_exceeds_policy): tolerance is the knob teams turn in an
 * incident instead of fixing the clock (the guide: "use minimal allowed skew").
 */
export function checkTolerancePolicy(clockToleranceSeconds: number | undefined, policy: PolicySection): Finding[] {
  const max = policy.maxClockToleranceSeconds;
  const actual = clockToleranceSeconds ?? 0;
  if (max === undefined || actual <= max) return [];
  return [
    makeFinding('clock_tolerance_exceeds_policy', {
      claim: 'clockToleranceSeconds',
      expected: max,
      actual,
      detail: { clockToleranceSeconds: actual, maxClockToleranceSeconds: max },
    }),
  ];
}
