/**
 * The token lines of `check`: signature, issuer, audience and lifetime
 * from one diagnosis of the freshly obtained token with the environment's
 * real keys (the prepared diagnoser), and the `token` line for what none
 * of them covers (typ, required and expected claims).
 */
import type { Diagnosis } from '../diagnose.ts';
import { REASONS, type Finding } from '../reasons.ts';
import { checkTokenPolicy } from '../policy/check_token_policy.ts';
import { isKeySourceFinding } from '../keys/trust.ts';
import { judgeLine, skipLine } from './check_line.ts';
import type { CheckLineName, LineResult } from './types.ts';

/** The lifetime limit a token is held to, and where it comes from. */
export interface LifetimeLimit {
  seconds?: number;
  from?: 'client' | 'policy';
}

const SIGNATURE_CATEGORIES = new Set(['transport', 'token', 'algorithm', 'key', 'signature']);

/** Which line a diagnosis finding belongs to. */
function lineOf(f: Finding): CheckLineName {
  if (f.code === 'issuer_mismatch' || (f.code === 'missing_claim' && f.claim === 'iss')) return 'issuer';
  if (f.code === 'audience_mismatch' || (f.code === 'missing_claim' && f.claim === 'aud')) return 'audience';
  const category = REASONS[f.code].category;
  if (SIGNATURE_CATEGORIES.has(category)) return 'signature';
  if (category === 'time') return 'lifetime';
  return 'token';
}

/**
 * signature, issuer, audience, lifetime (shown when a limit is set or the
 * token's times fail) and the token line's claim findings, from one
 * diagnosis. `now` is the check instant (UNIX seconds).
 *
 * @example tokenLines(diagnosis, { seconds: 900, from: 'policy' }, now).map((r) => r.line.status)
 */
export function tokenLines(
  diagnosis: Diagnosis,
  limit: LifetimeLimit,
  now: number,
): Record<'signature' | 'issuer' | 'audience' | 'lifetime' | 'token', LineResult> {
  const by: Record<string, Finding[]> = { signature: [], issuer: [], audience: [], lifetime: [], token: [] };
  for (const f of diagnosis.findings) by[lineOf(f)]!.push(f);
  const claims = diagnosis.claims ?? {};
  const policy = checkTokenPolicy(claims, limit.seconds !== undefined ? { tokenLifetimeSeconds: limit.seconds } : {}, now);
  const lifetimeFindings = [...by.lifetime!, ...policy.findings.filter((f) => f.code === 'token_lifetime_exceeds_policy')];
  const sig = diagnosis.signature;
  const lifetimeEvidence = {
    ...policy.lifecycle,
    ...(limit.seconds !== undefined ? { limitSeconds: limit.seconds, limitFrom: limit.from } : {}),
  };
  const lifetime =
    limit.seconds === undefined && !lifetimeFindings.some((f) => f.severity === 'error')
      ? skipLine('lifetime', 'no tokenLifetimeSeconds in the client or the policy', lifetimeEvidence)
      : judgeLine('lifetime', lifetimeFindings, lifetimeEvidence);
  return {
    signature: judgeLine(
      'signature',
      by.signature!,
      {
        status: sig.status,
        ...(sig.alg !== undefined ? { alg: sig.alg } : {}),
        ...(sig.kid !== undefined ? { kid: sig.kid } : {}),
        ...(sig.thumbprint !== undefined ? { thumbprint: sig.thumbprint } : {}),
        candidates: sig.candidates,
      },
      {},
      { isKeySource: isKeySourceFinding, signatureVerified: sig.status === 'pass' },
    ),
    issuer: judgeLine('issuer', by.issuer!, { expected: diagnosis.expected.issuer ?? null, actual: claims.iss ?? null }),
    audience: judgeLine('audience', by.audience!, { expected: diagnosis.expected.audience ?? null, actual: claims.aud ?? null }),
    lifetime,
    token: judgeLine('token', by.token!, {}),
  };
}

/** The lines a token feeds, skipped because no token came. */
export function linesWithoutToken(): LineResult[] {
  return (['signature', 'issuer', 'audience', 'lifetime'] as const).map((n) => skipLine(n, 'no token: see the token line'));
}
