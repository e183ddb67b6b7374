/**
 * The faults `jwt-doctor mint --fault CODE` can produce: every reason code
 * of src/reasons.ts that one change to an otherwise correct token causes,
 * and that `diagnose` against the same contract names first
 * (test/mint/mint_faults.test.ts walks them all). One table: the CLI's
 * choices, the contract schema's `obtain.mint.fault` and the docs read it.
 *
 * Left out, and why: codes about the request rather than the token
 * (header_missing, header_malformed, multiple_tokens, headers_unreadable,
 * transport_error, redirect_blocked, route_*, header_modified,
 * token_rejected, insufficient_scope: a route's scope), about key material
 * or the environment (jwks_*, key_*, weak_key, rsa_*, ec_point_invalid,
 * private_key_published, duplicate_kid, kid_missing, rotation_*,
 * certificate_expired, discovery_issuer_mismatch, verifier_unreachable,
 * clock_offset_exceeds_tolerance, signer_key_untrusted, hmac_secret_too_short),
 * advice that only accompanies another failure (key_from_other_environment,
 * secret_encoding_mismatch, clock_skew_suspected), token_encrypted (a JWE is
 * another format, not one change), token_revoked (needs a revocation source,
 * not a token change) and the token-source codes (token_endpoint_*,
 * token_request_rejected, token_opaque, token_command_failed).
 */
import type { ReasonCode } from '../reasons.ts';

export interface FaultEntry {
  /** What is changed, for the report and the docs. */
  change: string;
  /** What the environment must declare for the fault to exist (undefined: always mintable). */
  requires?: string;
}

export const MINTABLE_FAULTS = {
  malformed_token: { change: 'exp written as a JSON string: a registered claim of the wrong type (RFC 7519 section 4.1.4)' },
  alg_none: { change: 'header alg "none" and an empty signature (RFC 7515 section 6)' },
  alg_not_allowed: {
    change:
      "signed with an algorithm the environment does not allow (same key type when the contract's algorithms leave one, else another key type)",
  },
  key_not_found: {
    change: 'header kid that no trusted key carries',
    requires: "the verifier's keys carry kids (kid-less keys serve any kid)",
  },
  signature_invalid: { change: 'one bit of the signature flipped' },
  token_expired: { change: 'exp moved 60 s past now - clockToleranceSeconds (iat moved with it, within maxTokenAgeSeconds)' },
  token_not_yet_valid: { change: 'nbf 60 s beyond now + clockToleranceSeconds' },
  iat_in_future: { change: 'iat (and exp with it) 60 s beyond now + clockToleranceSeconds' },
  token_too_old: {
    change: 'iat 60 s older than maxTokenAgeSeconds + clockToleranceSeconds (exp still ahead)',
    requires: 'maxTokenAgeSeconds',
  },
  issuer_mismatch: {
    change: 'iss of another environment of the contract, else the issuer with its trailing slash toggled',
    requires: 'issuer',
  },
  audience_mismatch: { change: 'aud of another environment of the contract, else one no API accepts', requires: 'audience' },
  typ_mismatch: { change: 'typ header "JWT" where at+jwt is expected, else "at+jwt"', requires: 'typ' },
  missing_claim: {
    change: 'the first required claim removed (requiredClaims, else iss, aud, an expected claim, or iat for maxTokenAgeSeconds)',
    requires: 'a required claim',
  },
  claim_mismatch: { change: 'the first expected claim (claims) given another value', requires: 'claims' },
  untrusted_key_reference: { change: 'header jku naming a URL the contract does not (never fetched: RFC 8725 section 3.10)' },
} as const satisfies Partial<Record<ReasonCode, FaultEntry>>;

export type MintableFault = keyof typeof MINTABLE_FAULTS;

export const MINTABLE_FAULT_CODES = Object.keys(MINTABLE_FAULTS) as MintableFault[];

export function isMintableFault(code: string): code is MintableFault {
  return Object.prototype.hasOwnProperty.call(MINTABLE_FAULTS, code);
}
