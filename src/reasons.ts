/**
 * The reason-code registry: one table, everything else derives from it
 * (result ranking, hints, owners, RFC 6750 mapping, the README table).
 *
 * Codes are stable snake_case strings: never renamed, never reused.
 */

export type Severity = 'error' | 'warning' | 'info';
export type OwnerRole = 'signer' | 'verifier' | 'secrets' | 'gateway' | 'client';

/** Categories in the order of how fundamental a failure is (DESIGN.md "result"). */
export const CATEGORY_ORDER = [
  'transport',
  'token',
  'algorithm',
  'key',
  'signature',
  'time',
  'claim',
  'advice',
] as const;
export type Category = (typeof CATEGORY_ORDER)[number];

export interface ReasonEntry {
  category: Category;
  severity: Severity;
  title: string;
  hint: string;
  owner: OwnerRole;
  /** RFC 6750 section 3.1 error code the middleware answers with. */
  rfc6750: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | null;
  /** HTTP status the middleware answers with. */
  status: number;
}

const r = (
  category: Category,
  severity: Severity,
  owner: OwnerRole,
  rfc6750: ReasonEntry['rfc6750'],
  status: number,
  title: string,
  hint: string,
): ReasonEntry => ({ category, severity, owner, rfc6750, status, title, hint });

export const REASONS = {
  header_missing: r('transport', 'error', 'gateway', null, 401, 'no token reached the API boundary', 'Check that the client sends Authorization and that every proxy forwards it.'),
  header_malformed: r('transport', 'error', 'client', 'invalid_request', 400, 'Authorization is not "Bearer <token>"', 'Send exactly "Authorization: Bearer <token>": one scheme, no quotes, no line breaks.'),
  multiple_tokens: r('transport', 'error', 'client', 'invalid_request', 400, 'more than one token presented', 'Send one token, in one place (RFC 6750 section 2).'),
  malformed_token: r('token', 'error', 'signer', 'invalid_token', 401, 'not a well-formed compact JWS', 'Check how the token is produced and copied: three base64url segments of JSON objects.'),
  token_encrypted: r('token', 'error', 'verifier', 'invalid_token', 401, 'a JWE where a JWS is expected', 'Decrypt the JWE first, or ask the issuer for a signed (not encrypted) token.'),
  alg_none: r('algorithm', 'error', 'signer', 'invalid_token', 401, 'unsecured token (alg none)', 'Never accept alg none; have the issuer sign the token.'),
  alg_not_allowed: r('algorithm', 'error', 'verifier', 'invalid_token', 401, 'algorithm not allowed or not usable with the key', "Align the signer's alg with the verifier's allowed algorithms and key type."),
  key_not_found: r('key', 'error', 'verifier', 'invalid_token', 401, 'no trusted key matches kid and alg', "Check that the verifier's key set contains the signer's current key (kid)."),
  jwks_stale: r('key', 'error', 'verifier', 'invalid_token', 401, "kid published but missing from the verifier's cache", 'Refresh the verifier JWKS cache; refetch on unknown kid.'),
  jwks_unreachable: r('key', 'error', 'verifier', 'invalid_token', 401, 'key source could not be fetched or parsed', 'Check the key source URL or file, network access and timeouts.'),
  signature_invalid: r('signature', 'error', 'secrets', 'invalid_token', 401, 'signature does not verify', 'Make signer and verifier read the same key or secret source for this environment.'),
  key_from_other_environment: r('advice', 'info', 'secrets', null, 401, 'signed by a key of another environment', 'The token was minted against another environment: point the client or signer at this one.'),
  secret_encoding_mismatch: r('advice', 'info', 'secrets', null, 401, 'HMAC secret read with another encoding', 'Read the secret with the same encoding on signer and verifier.'),
  issuer_mismatch: r('claim', 'error', 'verifier', 'invalid_token', 401, 'iss differs', 'Align the issuer the signer stamps with the one the verifier expects.'),
  audience_mismatch: r('claim', 'error', 'verifier', 'invalid_token', 401, 'no aud value is accepted', 'Request the token for the audience this API expects, or fix the verifier audience.'),
  typ_mismatch: r('claim', 'error', 'signer', 'invalid_token', 401, 'typ differs', "Align the token type (typ header) with the verifier's expectation."),
  missing_claim: r('claim', 'error', 'signer', 'invalid_token', 401, 'a required claim is absent', 'Have the issuer include the claim, or stop requiring it.'),
  claim_mismatch: r('claim', 'error', 'signer', 'invalid_token', 401, 'an expected claim value differs', 'Align the claim value (azp, scope, custom) between signer and verifier.'),
  insufficient_scope: r('claim', 'error', 'client', 'insufficient_scope', 403, 'required scope missing', 'Request the token with the scope this route requires.'),
  token_expired: r('time', 'error', 'client', 'invalid_token', 401, 'token expired', 'Refresh the token before exp; if the token is fresh, check clocks.'),
  token_not_yet_valid: r('time', 'error', 'signer', 'invalid_token', 401, 'nbf is in the future', "Check the signer's clock, or allow a small clock tolerance."),
  iat_in_future: r('time', 'error', 'signer', 'invalid_token', 401, 'iat is in the future', "Check the signer's clock (NTP), or allow a small clock tolerance."),
  token_too_old: r('time', 'error', 'client', 'invalid_token', 401, 'token older than the maximum age', 'Use a fresher token, or align maxTokenAgeSeconds with the token lifetime.'),
  clock_skew_suspected: r('advice', 'warning', 'verifier', null, 401, 'time failure within a plausible clock skew', 'Compare clocks (jwt-doctor clock); sync NTP before widening tolerance.'),
  token_revoked: r('claim', 'error', 'signer', 'invalid_token', 401, 'token revoked', 'Obtain a new token.'),
  route_drift: r('advice', 'error', 'verifier', null, 401, 'same token accepted on one route, rejected on another', 'Use one auth parsing layer for every route.'),
  untrusted_key_reference: r('advice', 'warning', 'signer', null, 401, 'header carries jku/x5u/jwk/x5c', 'These header members are ignored: keys come only from the contract (RFC 8725 section 3.10).'),
  weak_key: r('advice', 'warning', 'secrets', null, 401, 'key below the recommended strength', 'Use RSA >= 2048 bits and HMAC secrets at least as long as the hash output.'),
} as const satisfies Record<string, ReasonEntry>;

export type ReasonCode = keyof typeof REASONS;

export interface Finding {
  code: ReasonCode;
  severity: Severity;
  /** 'iss', 'aud', 'exp', 'header.alg', ... */
  claim?: string;
  expected?: unknown;
  actual?: unknown;
  /** One line: the fix direction. */
  hint: string;
  owner?: OwnerRole;
  detail?: Record<string, unknown>;
}

/** Builds a finding with the registry's defaults; any field can be overridden. */
export function makeFinding(code: ReasonCode, fields: Partial<Omit<Finding, 'code'>> = {}): Finding {
  const entry: ReasonEntry = REASONS[code];
  const f: Finding = { code, severity: fields.severity ?? entry.severity, hint: fields.hint ?? entry.hint, owner: fields.owner ?? entry.owner };
  if (fields.claim !== undefined) f.claim = fields.claim;
  if ('expected' in fields) f.expected = fields.expected;
  if ('actual' in fields) f.actual = fields.actual;
  if (fields.detail !== undefined) f.detail = fields.detail;
  return f;
}

export function isReasonCode(value: string): value is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, value);
}

/**
 * The diagnosis result: `valid`, or the most fundamental failing error.
 * Claim-category failures collapse to `claim_mismatch` (DESIGN.md; the seed's report).
 */
export function rankResult(findings: readonly Finding[]): 'valid' | ReasonCode {
  let best: Finding | undefined;
  let bestRank = Infinity;
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const rank = CATEGORY_ORDER.indexOf(REASONS[f.code].category);
    if (rank < bestRank) {
      best = f;
      bestRank = rank;
    }
  }
  if (!best) return 'valid';
  return REASONS[best.code].category === 'claim' ? 'claim_mismatch' : best.code;
}
