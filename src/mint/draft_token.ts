import { randomUUID, type KeyObject } from 'node:crypto';
import type { ClaimExpectation, Expectations } from '../expectations.ts';
import type { AlgorithmEntry } from '../keys/algorithms.ts';

/** A token before it is signed: what a fault changes (src/mint/apply_fault.ts). */
export interface TokenDraft {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** 'signer': the environment's signer; 'none': empty signature; else another key and alg. */
  signWith: 'signer' | 'none' | { alg: AlgorithmEntry; key: KeyObject };
  /** Flip one bit of the signature after signing (signature_invalid). */
  flipSignature?: boolean;
}

/** What shapes the claims: the environment (or its client) and the instant. */
export interface DraftInput {
  env: Expectations;
  /** The client's audience (clients.<c>.audience), replacing the environment's. */
  audience?: string[];
  now: number;
  lifetimeSeconds: number;
  jti?: string;
  claims?: Record<string, unknown>;
}

/** The subject of a minted token unless --claim sub=... says otherwise. */
export const MINT_SUBJECT = 'jwt-doctor-mint';

/**
 * The header and claims the environment's signer would put in a token:
 * iss (the first accepted), aud (the client's or the environment's first),
 * sub, iat = now, exp = now + lifetime, a jti, every expected claim's
 * value, a placeholder for every other required claim; then the caller's
 * claims on top. typ is the environment's, else JWT.
 *
 * @example draftToken({ env, now: 1767225600, lifetimeSeconds: 900 }, { alg: 'RS256', kid: 'stg-1' })
 */
export function draftToken(input: DraftInput, signer: { alg: string; kid?: string }): TokenDraft {
  const { env, now } = input;
  const header: Record<string, unknown> = {
    alg: signer.alg,
    typ: env.typ ?? 'JWT',
    ...(signer.kid !== undefined ? { kid: signer.kid } : {}),
  };
  const payload: Record<string, unknown> = {};
  if (env.issuer?.[0] !== undefined) payload.iss = env.issuer[0];
  payload.sub = MINT_SUBJECT;
  const aud = input.audience ?? env.audience;
  if (aud?.[0] !== undefined) payload.aud = aud[0];
  payload.iat = now;
  payload.exp = now + input.lifetimeSeconds;
  payload.jti = input.jti ?? randomUUID();
  for (const [claim, want] of Object.entries(env.claims ?? {})) payload[claim] = valueMeeting(claim, want);
  for (const claim of env.requiredClaims ?? []) if (!(claim in payload)) payload[claim] = claim === 'nbf' ? now : MINT_SUBJECT;
  Object.assign(payload, input.claims ?? {});
  return { header, payload, signWith: 'signer' };
}

/** A value that meets a claim expectation (checks/claims.ts matchClaim). */
export function valueMeeting(claim: string, want: ClaimExpectation): unknown {
  if (want === null || typeof want !== 'object') return want;
  if ('equals' in want) return want.equals;
  if ('oneOf' in want) return want.oneOf[0];
  const list = Array.isArray(want.includes) ? want.includes : [want.includes];
  // scope is space-delimited (RFC 8693 section 4.2); other multi-valued claims are arrays.
  return claim === 'scope' ? list.join(' ') : list;
}
