/**
 * The reason-code registry: one table, everything else derives from it
 * (result ranking, hints, owners, RFC 6750 mapping, the README table).
 *
 * Codes are stable snake_case strings: never renamed, never reused.
 */

export type Severity = 'error' | 'warning' | 'info';
export type OwnerRole = 'signer' | 'verifier' | 'secrets' | 'gateway' | 'client';

/** Categories in the order of how fundamental a failure is (DESIGN.md "result"). */
export const CATEGORY_ORDER = ['transport', 'token', 'algorithm', 'key', 'signature', 'time', 'claim', 'advice'] as const;
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
  header_missing: r(
    'transport',
    'error',
    'gateway',
    null,
    401,
    'no token reached the API boundary',
    'Check that the client sends Authorization and that every proxy forwards it.',
  ),
  header_malformed: r(
    'transport',
    'error',
    'client',
    'invalid_request',
    400,
    'Authorization is not "Bearer <token>"',
    'Send exactly "Authorization: Bearer <token>": one scheme, no quotes, no line breaks.',
  ),
  multiple_tokens: r(
    'transport',
    'error',
    'client',
    'invalid_request',
    400,
    'more than one token presented',
    'Send one token, in one place (RFC 6750 section 2).',
  ),
  // The user's paste, not the request: never blamed on the gateway (owner client, ranked as transport input).
  headers_unreadable: r(
    'transport',
    'error',
    'client',
    'invalid_request',
    400,
    'the header dump is not a request jwt-doctor can read',
    'Paste the request as curl -v output, a curl/HTTPie/PowerShell command, Copy as fetch, HAR or raw HTTP (docs/headers.md).',
  ),
  malformed_token: r(
    'token',
    'error',
    'signer',
    'invalid_token',
    401,
    'not a well-formed compact JWS',
    'Check how the token is produced and copied: three base64url segments of JSON objects.',
  ),
  token_encrypted: r(
    'token',
    'error',
    'verifier',
    'invalid_token',
    401,
    'a JWE where a JWS is expected',
    'Decrypt the JWE first, or ask the issuer for a signed (not encrypted) token.',
  ),
  alg_none: r(
    'algorithm',
    'error',
    'signer',
    'invalid_token',
    401,
    'unsecured token (alg none)',
    'Never accept alg none; have the issuer sign the token.',
  ),
  alg_not_allowed: r(
    'algorithm',
    'error',
    'verifier',
    'invalid_token',
    401,
    'algorithm not allowed or not usable with the key',
    "Align the signer's alg with the verifier's allowed algorithms and key type.",
  ),
  key_not_found: r(
    'key',
    'error',
    'verifier',
    'invalid_token',
    401,
    'no trusted key matches kid and alg',
    "Check that the verifier's key set contains the signer's current key (kid).",
  ),
  jwks_stale: r(
    'key',
    'error',
    'verifier',
    'invalid_token',
    401,
    "kid published but missing from the verifier's cache",
    'Refresh the verifier JWKS cache; refetch on unknown kid.',
  ),
  jwks_unreachable: r(
    'key',
    'error',
    'verifier',
    'invalid_token',
    401,
    'key source could not be fetched or parsed',
    'Check the key source URL or file, network access and timeouts.',
  ),
  signature_invalid: r(
    'signature',
    'error',
    'secrets',
    'invalid_token',
    401,
    'signature does not verify',
    'Make signer and verifier read the same key or secret source for this environment.',
  ),
  key_from_other_environment: r(
    'advice',
    'info',
    'secrets',
    null,
    401,
    'signed by a key of another environment',
    'The token was minted against another environment: point the client or signer at this one.',
  ),
  secret_encoding_mismatch: r(
    'advice',
    'info',
    'secrets',
    null,
    401,
    'HMAC secret read with another encoding',
    'Read the secret with the same encoding on signer and verifier.',
  ),
  issuer_mismatch: r(
    'claim',
    'error',
    'verifier',
    'invalid_token',
    401,
    'iss differs',
    'Align the issuer the signer stamps with the one the verifier expects.',
  ),
  audience_mismatch: r(
    'claim',
    'error',
    'verifier',
    'invalid_token',
    401,
    'no aud value is accepted',
    'Request the token for the audience this API expects, or fix the verifier audience.',
  ),
  typ_mismatch: r(
    'claim',
    'error',
    'signer',
    'invalid_token',
    401,
    'typ differs',
    "Align the token type (typ header) with the verifier's expectation.",
  ),
  missing_claim: r(
    'claim',
    'error',
    'signer',
    'invalid_token',
    401,
    'a required claim is absent',
    'Have the issuer include the claim, or stop requiring it.',
  ),
  claim_mismatch: r(
    'claim',
    'error',
    'signer',
    'invalid_token',
    401,
    'an expected claim value differs',
    'Align the claim value (azp, scope, custom) between signer and verifier.',
  ),
  insufficient_scope: r(
    'claim',
    'error',
    'client',
    'insufficient_scope',
    403,
    'required scope missing',
    'Request the token with the scope this route requires.',
  ),
  token_expired: r(
    'time',
    'error',
    'client',
    'invalid_token',
    401,
    'token expired',
    'Refresh the token before exp (schedule the refresh from exp, not from a fixed lifetime).',
  ),
  token_not_yet_valid: r(
    'time',
    'error',
    'signer',
    'invalid_token',
    401,
    'nbf is in the future',
    "Check the signer's clock, or allow a small clock tolerance.",
  ),
  iat_in_future: r(
    'time',
    'error',
    'signer',
    'invalid_token',
    401,
    'iat is in the future',
    "Check the signer's clock (NTP), or allow a small clock tolerance.",
  ),
  token_too_old: r(
    'time',
    'error',
    'client',
    'invalid_token',
    401,
    'token older than the maximum age',
    'Use a fresher token, or align maxTokenAgeSeconds with the token lifetime.',
  ),
  clock_skew_suspected: r(
    'advice',
    'warning',
    'verifier',
    null,
    401,
    'clock evidence explains a time failure (iat or nbf ahead beyond the tolerance, or a measured offset); never plain expiry',
    'Compare clocks (jwt-doctor clock); sync NTP before widening tolerance.',
  ),
  // Ranked last (advice): revocation is looked up only for a token that passes every other check.
  token_revoked: r(
    'advice',
    'error',
    'signer',
    'invalid_token',
    401,
    'token revoked (jti on the deny list, or introspection says inactive)',
    'Obtain a new token (sign in again); if it should not be revoked, remove its jti from the deny list.',
  ),
  route_drift: r(
    'advice',
    'error',
    'verifier',
    null,
    401,
    'same token accepted on one route, rejected on another',
    'Use one auth parsing layer for every route.',
  ),
  header_modified: r(
    'transport',
    'error',
    'gateway',
    null,
    401,
    'a proxy changed the token header on the way to the API',
    'Forward the Authorization header unchanged on this route (no rewrite, truncation or move to another header).',
  ),
  transport_error: r(
    'transport',
    'error',
    'gateway',
    null,
    502,
    'the request did not get an HTTP answer',
    'Check the URL, that the service listens there, TLS vs plain HTTP, and the timeout.',
  ),
  redirect_blocked: r(
    'transport',
    'error',
    'gateway',
    null,
    502,
    'redirect to another origin not followed',
    'Probe the final URL directly, or pass --allow-redirects (the token is never sent to another origin).',
  ),
  route_unexpected_status: r(
    'advice',
    'error',
    'verifier',
    null,
    500,
    'a route answered another status than the contract expects',
    'Check the route path, method and expectStatus in the contract, and the API logs for this route.',
  ),
  token_rejected: r(
    'advice',
    'error',
    'verifier',
    'invalid_token',
    401,
    'the API rejected the token without naming a reason',
    'Run jwt-doctor diagnose against this environment, or have the API put a reason code in error_description.',
  ),
  clock_offset_exceeds_tolerance: r(
    'advice',
    'error',
    'verifier',
    null,
    401,
    "a remote clock is further off than the contract's tolerance",
    'Sync the clocks (NTP) on the issuer and API hosts before widening clockToleranceSeconds.',
  ),
  untrusted_key_reference: r(
    'advice',
    'warning',
    'signer',
    null,
    401,
    'header carries jku/x5u/jwk/x5c',
    'These header members are ignored: keys come only from the contract (RFC 8725 section 3.10).',
  ),
  weak_key: r(
    'advice',
    'warning',
    'secrets',
    null,
    401,
    'key below the recommended strength',
    'Use RSA >= 2048 bits and HMAC secrets at least as long as the hash output.',
  ),
  // Key material and rotation (issue 4: jwt-doctor keys / rotation / drift).
  private_key_published: r(
    'key',
    'error',
    'secrets',
    null,
    401,
    'private key members in a published key set',
    'Remove d/p/q/dp/dq/qi (and k) from the JWKS now, then rotate the exposed key: treat it as leaked.',
  ),
  ec_point_invalid: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'EC public point not on its curve',
    'Re-export the EC public key (x, y, crv) from the signing key; the published point is corrupt.',
  ),
  rsa_exponent_weak: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'RSA public exponent is 1 or very small',
    'Generate the RSA key with e = 65537 (AQAB).',
  ),
  rsa_key_too_small: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'RSA modulus below 2048 bits',
    'Rotate to an RSA key of at least 2048 bits (RFC 7518 section 3.3); smaller keys never verify.',
  ),
  hmac_secret_too_short: r(
    'advice',
    'warning',
    'secrets',
    null,
    401,
    'HMAC secret shorter than the hash output',
    'Use a random secret at least as long as the hash output: 32 bytes for HS256 (RFC 7518 section 3.2).',
  ),
  duplicate_kid: r(
    'key',
    'warning',
    'signer',
    null,
    401,
    'several keys share one kid',
    'Give every key in the set its own kid; verifiers cannot choose between keys with the same kid.',
  ),
  kid_missing: r(
    'advice',
    'warning',
    'signer',
    null,
    401,
    'several keys without a kid',
    'Give every key a kid so verifiers can select the key a token names (RFC 7517 section 4.5).',
  ),
  key_use_missing: r(
    'advice',
    'info',
    'signer',
    null,
    401,
    'key without use or alg',
    'Publish "use": "sig" and "alg" so verifiers bind each key to one algorithm (RFC 8725 section 3.1).',
  ),
  key_type_unknown: r(
    'key',
    'warning',
    'signer',
    null,
    401,
    'unknown or missing kty',
    'Publish keys with kty RSA, EC, OKP or oct; verifiers skip anything else.',
  ),
  key_invalid: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'key cannot be imported',
    'Re-export the key from the signing key; the published members are missing or corrupt.',
  ),
  key_unusable: r(
    'key',
    'error',
    'verifier',
    null,
    401,
    "key usable by none of the environment's algorithms",
    'Align the key type / alg with the allowed algorithms, or drop the key.',
  ),
  certificate_expired: r(
    'advice',
    'warning',
    'signer',
    null,
    401,
    'x5c certificate expired',
    'Publish a renewed certificate for the key, or drop x5c if verifiers do not use it.',
  ),
  jwks_key_unpublished: r(
    'key',
    'warning',
    'verifier',
    null,
    401,
    'kid cached by the verifier but no longer published',
    'Expected right after a retirement; if it persists past the cache TTL, the verifier is not refreshing.',
  ),
  jwks_cache_ttl_mismatch: r(
    'advice',
    'warning',
    'verifier',
    null,
    401,
    "JWKS caching headers disagree with the verifier's cache TTL",
    'Align the verifier cache TTL with the JWKS Cache-Control max-age (or Expires).',
  ),
  rotation_overlap_short: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'a key is retired while tokens it signed are still valid',
    'Keep the old key published and trusted until the last token it signed expires.',
  ),
  rotation_key_still_published: r(
    'key',
    'error',
    'signer',
    null,
    401,
    'the retired kid is still published',
    "Remove the old key from the issuer's JWKS.",
  ),
  rotation_key_still_trusted: r(
    'key',
    'error',
    'verifier',
    null,
    401,
    'the verifier still trusts the retired kid',
    "Refresh or restart the verifier's key cache; remove the key from its static config.",
  ),
  rotation_cache_not_refreshed: r(
    'key',
    'error',
    'verifier',
    null,
    401,
    'verifier key cache not refreshed since the key was unpublished',
    'Wait one cache TTL after unpublishing, or force a JWKS refresh.',
  ),
  rotation_residual_traffic: r(
    'key',
    'error',
    'client',
    null,
    401,
    'tokens signed by the retired key still arrive',
    'Find the clients still holding old tokens (refresh flow, long-lived tokens) before closing the rotation.',
  ),
  verifier_unreachable: r(
    'key',
    'error',
    'verifier',
    null,
    401,
    'verifier debug endpoint or metrics could not be read',
    'Check verifier.debugUrl / verifier.metricsUrl, network access and that the endpoint is enabled.',
  ),
  // Key-source trust rules (issue 8, docs/security.md).
  discovery_issuer_mismatch: r(
    'key',
    'error',
    'verifier',
    'invalid_token',
    401,
    'discovery document names another issuer',
    'Set the issuer to exactly the one the discovery document names, or fix the provider; the document is not used until they match (OpenID Connect Discovery 1.0 section 4.3).',
  ),
  // Drills (issue 12: jwt-doctor drill). Critical: a forged token got in, or the verifier fetched a URL a token named.
  verifier_accepts_forged_token: r(
    'advice',
    'error',
    'verifier',
    null,
    401,
    'the verifier accepted a forged or invalid token (critical)',
    'Fix the verifier now: never accept alg none, bind algorithms to key types from config, ignore jwk/jku/x5u/kid tricks, check exp and nbf (RFC 8725).',
  ),
  verifier_fetches_token_url: r(
    'advice',
    'error',
    'verifier',
    null,
    401,
    'the verifier fetched a jku/x5u URL named by a token (critical)',
    'Never fetch keys from URLs in the token header: keys come only from configured sources (RFC 8725 section 3.10); the fetch is an SSRF.',
  ),
  signer_key_untrusted: r(
    'key',
    'warning',
    'secrets',
    null,
    401,
    "signer's key not trusted by this environment",
    "Make the environment's key source include the signer's key (same secret source, same JWKS).",
  ),
  // Token lifecycle policy and revocation (issue 12 item 6: jwt-doctor policy, the middleware's revocation option).
  revocation_unavailable: r(
    'advice',
    'error',
    'verifier',
    null,
    503,
    'the revocation source could not answer (unreachable, timeout, refused credentials)',
    'Check the revocation source (Redis, introspection endpoint, deny-list file), network access and credentials; the verifier fails closed until it answers.',
  ),
  token_lifetime_exceeds_policy: r(
    'time',
    'error',
    'signer',
    null,
    401,
    'token lifetime (exp - iat) longer than the policy allows',
    "Issue tokens no longer than policy.tokenLifetimeSeconds (the signer's access-token lifetime setting).",
  ),
  token_refresh_overdue: r(
    'time',
    'error',
    'client',
    null,
    401,
    'token inside the refresh window: the client should already have refreshed it',
    'Refresh at exp - refreshWindowSeconds at the latest (schedule from exp, allow for token-endpoint latency).',
  ),
  clock_tolerance_exceeds_policy: r(
    'advice',
    'error',
    'verifier',
    null,
    401,
    "verifier clock tolerance above the policy's maximum",
    'Lower clockToleranceSeconds to policy.maxClockToleranceSeconds, and fix clock drift with NTP instead of tolerance.',
  ),
  key_too_old: r(
    'key',
    'error',
    'secrets',
    null,
    401,
    'a trusted key is older than the policy allows',
    'Rotate: publish a new key, switch the signer, then retire this one (jwt-doctor rotation overlap / retire).',
  ),
  key_rotation_overdue: r(
    'key',
    'error',
    'secrets',
    null,
    401,
    'no key published within the rollover cadence',
    'Publish the next key now and switch the signer to it (policy.keyRolloverDays).',
  ),
  key_age_unknown: r(
    'advice',
    'info',
    'secrets',
    null,
    401,
    'the key set does not say when a key was published',
    'Give the key an "iat" in the JWKS, an x5c certificate, or a date in policy.keyPublished.',
  ),
  // Obtaining a token from the environment's token source (issue 12: src/obtain, jwt-doctor token / check).
  token_endpoint_unreachable: r(
    'transport',
    'error',
    'signer',
    null,
    502,
    'the token endpoint gave no token response (down, slow, HTTP error, not a token response)',
    "Check the issuer's token endpoint (discovery token_endpoint), network access and the timeout.",
  ),
  token_request_rejected: r(
    'transport',
    'error',
    'client',
    null,
    401,
    'the token endpoint refused the request (invalid_client, unauthorized_client, invalid_grant, ...)',
    'Check the client id, its secret (variable or file), the grant types it may use, and that the refresh token is current.',
  ),
  token_opaque: r(
    'token',
    'error',
    'signer',
    null,
    401,
    'the access token is opaque, not a JWT',
    'Request a JWT access token (resource indicator or audience parameter, RFC 9068), or validate it by introspection (RFC 7662).',
  ),
  token_command_failed: r(
    'transport',
    'error',
    'client',
    null,
    502,
    'the token command failed (exit status, timeout, output too large, no output)',
    'Run the command by hand: it must print one token on stdout and exit 0 within the timeout.',
  ),
  // The post-fix validation of `jwt-doctor check` (issue 12 items 3 and 4: src/check).
  token_source_missing: r(
    'transport',
    'error',
    'client',
    null,
    401,
    'no usable token source: the contract names none, or its secret or signer key cannot be read',
    'Add obtain: (clientCredentials, refreshToken, command, static or mint) to the environment or client, and set the variables or files it names.',
  ),
  refresh_too_late: r(
    'time',
    'error',
    'client',
    null,
    401,
    'the refreshed token arrives after the old one expires (refresh lead shorter than latency plus clock offset)',
    "Refresh earlier: raise the client's refreshLeadSeconds above the token-endpoint latency, the client's expected latency and the API's clock offset.",
  ),
  refresh_lead_exceeds_lifetime: r(
    'time',
    'error',
    'client',
    null,
    401,
    'the refresh lead is as long as the token lifetime: the client refreshes as soon as it gets a token',
    "Lower the client's refreshLeadSeconds below the token lifetime (or issue longer-lived tokens).",
  ),
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
  const f: Finding = {
    code,
    severity: fields.severity ?? entry.severity,
    hint: fields.hint ?? entry.hint,
    owner: fields.owner ?? entry.owner,
  };
  if (fields.claim !== undefined) f.claim = fields.claim;
  if ('expected' in fields) f.expected = fields.expected;
  if ('actual' in fields) f.actual = fields.actual;
  if (fields.detail !== undefined) f.detail = fields.detail;
  return f;
}

export function isReasonCode(value: string): value is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, value);
}

/** A category's place in CATEGORY_ORDER, looked up once per code (no indexOf per finding). */
const CATEGORY_RANK = Object.fromEntries(CATEGORY_ORDER.map((c, i) => [c, i])) as Record<Category, number>;

/** How a reader of the findings ranks them; the order itself (DESIGN.md "result") is fixed. */
export interface RankOptions {
  /**
   * Keep a claim failure's own code (`issuer_mismatch`) instead of
   * `claim_mismatch`: the middleware's dashboards and on-call need the
   * specific one; the diagnosis result collapses them (the seed's report).
   */
  readonly specificClaims?: boolean;
  /**
   * Which findings report a key source's failure (jwks_unreachable, a key
   * the trust rules refused: keys/trust.ts `isKeySourceFinding`). Such a
   * finding explains a `key_not_found` of the same rank better than the
   * latter does.
   */
  readonly isKeySource?: (f: Finding) => boolean;
  /** A trusted key verified the signature: key-source failures no longer decide. */
  readonly signatureVerified?: boolean;
}

const DEFAULT_RANK: RankOptions = Object.freeze({});

/** The most fundamental error finding (DESIGN.md order), the first of its rank; undefined when none. */
export function mostFundamental(findings: readonly Finding[], options: RankOptions = DEFAULT_RANK): Finding | undefined {
  const isKeySource = options.isKeySource;
  let best: Finding | undefined;
  let bestRank = Infinity;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.severity !== 'error') continue;
    const keySource = isKeySource !== undefined && isKeySource(f);
    if (keySource && options.signatureVerified === true) continue;
    const rank = CATEGORY_RANK[REASONS[f.code].category];
    if (rank < bestRank || (rank === bestRank && keySource && best?.code === 'key_not_found')) {
      best = f;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * The one ranker: `valid`, or the code of the most fundamental failing error
 * (DESIGN.md: transport > token > algorithm > key > signature > time > claim).
 * Claim-category failures collapse to `claim_mismatch` unless
 * `specificClaims` (the middleware's rejection reason).
 *
 * @example rankResult([makeFinding('issuer_mismatch'), makeFinding('token_expired')]) // 'token_expired'
 */
export function rankResult(findings: readonly Finding[], options: RankOptions = DEFAULT_RANK): 'valid' | ReasonCode {
  const best = mostFundamental(findings, options);
  if (!best) return 'valid';
  return options.specificClaims !== true && REASONS[best.code].category === 'claim' ? 'claim_mismatch' : best.code;
}
