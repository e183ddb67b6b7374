/**
 * The jwt-doctor command to run next for a translated reason: the one that
 * proves the cause with the environment's real keys and contract (a
 * verifier's message names a symptom; jwt-doctor finds which side to fix).
 */
import type { ReasonCode } from '../reasons.ts';

const DIAGNOSE = 'jwt-doctor diagnose TOKEN --env ENV';
const DECODE = 'jwt-doctor decode TOKEN';
const MATCH = 'jwt-doctor match TOKEN --contract auth-contract.yaml';
const ROTATION = 'jwt-doctor rotation check --env ENV';
const KEYS = 'jwt-doctor keys --env ENV';
const CLOCK = 'jwt-doctor clock TOKEN --env ENV';
const PROBE = 'jwt-doctor probe TOKEN --env ENV';
const POLICY = 'jwt-doctor policy TOKEN --env ENV';

/** Reason code -> next command; codes not named here get `diagnose`. */
const NEXT: Partial<Record<ReasonCode, string>> = {
  header_missing: PROBE,
  header_malformed: PROBE,
  multiple_tokens: PROBE,
  header_modified: PROBE,
  malformed_token: DECODE,
  token_encrypted: DECODE,
  alg_none: DECODE,
  key_not_found: ROTATION,
  jwks_stale: ROTATION,
  duplicate_kid: KEYS,
  jwks_unreachable: KEYS,
  certificate_expired: KEYS,
  issuer_mismatch: MATCH,
  audience_mismatch: MATCH,
  token_not_yet_valid: CLOCK,
  iat_in_future: CLOCK,
  clock_skew_suspected: CLOCK,
  token_lifetime_exceeds_policy: POLICY,
};

/**
 * @example nextCommand('key_not_found') // 'jwt-doctor rotation check --env ENV'
 */
export function nextCommand(code: ReasonCode): string {
  return NEXT[code] ?? DIAGNOSE;
}
