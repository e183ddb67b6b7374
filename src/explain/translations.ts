/**
 * The translation table: other verifiers' messages, error codes and
 * response details mapped to our reason codes (src/reasons.ts). One table,
 * data only; src/explain/translate.ts compiles it once and matches it.
 *
 * Each entry cites where its message comes from (the library's source file
 * in its repository, or the documentation page), carries real sample
 * messages (test/explain/translations.test.ts checks every one translates
 * to the entry's code and values) and feeds docs/explain.md.
 *
 * Patterns are written for speed and safety: case-sensitive where the
 * library's spelling tells verifiers apart ("jwt expired" jsonwebtoken,
 * "Jwt expired at" Spring, "JWT expired at" jjwt), every repetition bounded
 * (`{0,512}`), no nested quantifiers, and a lower-case `keyword` that must
 * occur in the text before the pattern runs.
 *
 * Named groups extract values: `claim`, `expected` (and `expected2`, used
 * when `expected` carries nothing), `actual`, `kid`, and `d_*` for details
 * (instants, reasons) that land in `Translation.detail`.
 */
import type { ReasonCode } from '../reasons.ts';

/** A real message and what translating it gives (code defaults to the entry's). */
export interface TranslationSample {
  text: string;
  code?: ReasonCode;
  claim?: string;
  expected?: string;
  actual?: string;
  kid?: string;
}

export interface TranslationEntry {
  /** Stable id: `<verifier>.<what>`. */
  id: string;
  /** The verifier as users name it. */
  verifier: string;
  code: ReasonCode;
  /** The message as the library writes it, placeholders in braces (docs/explain.md). */
  message: string;
  /** Lower-case literal(s): a matching text contains at least one, checked before the pattern runs. */
  keyword: string | readonly string[];
  pattern: RegExp;
  /** The claim the message is about, when the message itself does not name it. */
  claim?: string;
  /** The extracted claim decides the code (iss -> issuer_mismatch, aud -> audience_mismatch, typ -> typ_mismatch). */
  byClaim?: true;
  /** A catch-all (a bare error code, a generic phrase): tried after every specific entry. */
  generic?: true;
  /** Where the message comes from: `owner/repo: path` or a documentation URL. */
  source: string;
  samples: readonly TranslationSample[];
}

/** A quoted IdentityModel value: hidden PII (which itself holds quotes) or up to the closing quote. */
const IDX_VALUE = (name: string) => `'(?<${name}>\\[PII[^\\]]{0,200}\\]|[^'\\n]{0,512})'`;
const idx = (code: number, rest: string) => new RegExp(`IDX${code}: ${rest}`);
const WILSON = 'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet: src/Microsoft.IdentityModel.Tokens/LogMessages.cs';
const WILSON_JWT = 'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet: src/System.IdentityModel.Tokens.Jwt/LogMessages.cs';
const WILSON_JSON =
  'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet: src/Microsoft.IdentityModel.JsonWebTokens/LogMessages.cs';
const WILSON_PROTOCOLS =
  'AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet: src/Microsoft.IdentityModel.Protocols/LogMessages.cs';
const PII = "[PII of type 'System.String' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]";

/**
 * A verifier family's entry builder: the id prefix, verifier name and usual
 * source fixed; `extra` sets the keyword (when the family has no default),
 * the claim, another source.
 */
function family(prefix: string, verifier: string, source: string, keyword: string | readonly string[] = []) {
  return (
    id: string,
    code: ReasonCode,
    message: string,
    pattern: RegExp,
    samples: TranslationSample[],
    extra: Partial<TranslationEntry> = {},
  ): TranslationEntry => ({
    id: `${prefix}.${id}`,
    verifier,
    code,
    message,
    keyword,
    pattern,
    source,
    samples,
    ...extra,
  });
}

type Build = ReturnType<typeof family>;

/** The same builder taking the keyword as its fourth argument (the families whose every entry has its own). */
function keyed(build: Build) {
  return (
    id: string,
    code: ReasonCode,
    message: string,
    keyword: string | readonly string[],
    pattern: RegExp,
    samples: TranslationSample[],
    extra: Partial<TranslationEntry> = {},
  ): TranslationEntry => build(id, code, message, pattern, samples, { keyword, ...extra });
}

// ---------------------------------------------------------------------------------------------
// Envoy / Istio jwt_authn: the status strings of google/jwt_verify_lib, sent as the 401/403 body
// and, spaces replaced by underscores, as the response code detail
// `jwt_authn_access_denied{Jwt_is_expired}` (envoy filter.cc generateRcDetails) in access logs.
// ---------------------------------------------------------------------------------------------
const ENVOY_STATUS = 'google/jwt_verify_lib: src/status.cc; envoyproxy/envoy: source/extensions/filters/http/jwt_authn/filter.cc';
const ENVOY_MESSAGES: readonly [string, ReasonCode, string][] = [
  ['Jwt is missing', 'header_missing', 'jwt_missing'],
  ['Jwt not yet valid', 'token_not_yet_valid', 'jwt_not_yet_valid'],
  ['Jwt is expired', 'token_expired', 'jwt_expired'],
  ['Jwt is not in the form of Header.Payload.Signature', 'malformed_token', 'jwt_bad_format'],
  ['Jwt header is an invalid Base64url input or an invalid JSON', 'malformed_token', 'jwt_header_parse_error'],
  ['Jwt header [alg] field is not a string', 'malformed_token', 'jwt_header_bad_alg'],
  ['Jwt header [alg] field value is invalid', 'alg_not_allowed', 'jwt_header_not_implemented_alg'],
  ['Jwt header [kid] field is not a string', 'malformed_token', 'jwt_header_bad_kid'],
  ['Jwt payload is an invalid Base64 or an invalid JSON', 'malformed_token', 'jwt_payload_parse_error'],
  ['Jwt signature is an invalid Base64', 'malformed_token', 'jwt_signature_parse_error'],
  ['Jwt issuer is not configured', 'issuer_mismatch', 'jwt_unknown_issuer'],
  ['Audiences in Jwt are not allowed', 'audience_mismatch', 'jwt_audience_not_allowed'],
  ['Jwt verification fails', 'signature_invalid', 'jwt_verification_fail'],
  ['Jwks is an invalid JSON', 'jwks_unreachable', 'jwks_parse_error'],
  ['Jwks does not have [keys] field', 'jwks_unreachable', 'jwks_no_keys'],
  ['[keys] in Jwks is not an array', 'jwks_unreachable', 'jwks_bad_keys'],
  ["Jwks doesn't have any valid public key", 'jwks_unreachable', 'jwks_no_valid_keys'],
  ["Jwks doesn't have key to match kid or alg from Jwt", 'key_not_found', 'jwks_kid_alg_mismatch'],
  ['Jwks remote fetch is failed', 'jwks_unreachable', 'jwks_fetch_fail'],
];

/** The status text, its spaces matching a space or the underscore of the response code detail. */
function envoyPattern(message: string): RegExp {
  return new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ _]'));
}

const ENVOY: TranslationEntry[] = ENVOY_MESSAGES.map(([message, code, id]) => ({
  id: `envoy.${id}`,
  verifier: 'envoy jwt_authn (Istio)',
  code,
  message,
  keyword: [message.toLowerCase(), message.toLowerCase().replace(/ /g, '_')],
  pattern: envoyPattern(message),
  source: ENVOY_STATUS,
  samples: [
    { text: message },
    { text: `[2026-11-28T12:05:00.000Z] "GET /v1/me HTTP/1.1" 401 - jwt_authn_access_denied{${message.replace(/ /g, '_')}} 0 14 0 - "-"` },
  ],
}));

const ISTIO_RBAC: TranslationEntry = {
  id: 'envoy.rbac_access_denied',
  verifier: 'envoy rbac (Istio AuthorizationPolicy)',
  code: 'token_rejected',
  message: 'RBAC: access denied',
  keyword: 'rbac',
  pattern: /RBAC: access denied|rbac_access_denied_matched_policy/,
  source: 'envoyproxy/envoy: source/extensions/filters/http/rbac/rbac_filter.cc',
  samples: [{ text: 'RBAC: access denied' }, { text: '"GET /v1/orders HTTP/1.1" 403 - rbac_access_denied_matched_policy[none] 0 19' }],
};

// ---------------------------------------------------------------------------------------------
// panva/jose (v4 and later): error classes with a closed union of codes, claim failures naming the claim.
// ---------------------------------------------------------------------------------------------
const JOSE_ERRORS = 'panva/jose: src/util/errors.ts';
const JOSE_CLAIMS = 'panva/jose: src/lib/jwt_claims_set.ts';
const JOSE: TranslationEntry[] = [
  {
    id: 'jose.claim_unexpected',
    verifier: 'jose',
    code: 'claim_mismatch',
    byClaim: true,
    message: 'unexpected "{claim}" claim value (ERR_JWT_CLAIM_VALIDATION_FAILED)',
    keyword: 'claim value',
    pattern: /unexpected \\?"(?<claim>[\w.:-]{1,64})\\?" claim value/,
    source: JOSE_CLAIMS,
    samples: [
      { text: 'JWTClaimValidationFailed: unexpected "aud" claim value', code: 'audience_mismatch', claim: 'aud' },
      {
        text: '{"level":50,"err":{"code":"ERR_JWT_CLAIM_VALIDATION_FAILED","message":"unexpected \\"iss\\" claim value"}}',
        code: 'issuer_mismatch',
        claim: 'iss',
      },
      { text: 'unexpected "sub" claim value', code: 'claim_mismatch', claim: 'sub' },
    ],
  },
  {
    id: 'jose.claim_check_failed',
    verifier: 'jose (v2, v3)',
    code: 'claim_mismatch',
    byClaim: true,
    message: '"{claim}" claim check failed (ERR_JWT_CLAIM_VALIDATION_FAILED, before v4)',
    keyword: 'claim check failed',
    pattern: /\\?"(?<claim>[\w.:-]{1,64})\\?" claim check failed/,
    source: 'panva/jose: src/lib/jwt_claims_set.ts (v2 and v3 releases)',
    samples: [
      { text: 'JWTClaimValidationFailed: "aud" claim check failed', code: 'audience_mismatch', claim: 'aud' },
      { text: 'JWTClaimValidationFailed: "iss" claim check failed', code: 'issuer_mismatch', claim: 'iss' },
    ],
  },
  {
    id: 'jose.claim_missing',
    verifier: 'jose',
    code: 'missing_claim',
    message: 'missing required "{claim}" claim',
    keyword: 'missing required',
    pattern: /missing required \\?"(?<claim>[\w.:-]{1,64})\\?" claim/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTClaimValidationFailed: missing required "exp" claim', claim: 'exp' }],
  },
  {
    id: 'jose.typ',
    verifier: 'jose',
    code: 'typ_mismatch',
    claim: 'typ',
    message: 'unexpected "typ" JWT header value',
    keyword: 'jwt header value',
    pattern: /unexpected \\?"typ\\?" JWT header value/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTClaimValidationFailed: unexpected "typ" JWT header value', claim: 'typ' }],
  },
  {
    id: 'jose.exp',
    verifier: 'jose',
    code: 'token_expired',
    claim: 'exp',
    message: '"exp" claim timestamp check failed (ERR_JWT_EXPIRED)',
    keyword: 'timestamp check failed',
    pattern: /\\?"exp\\?" claim timestamp check failed/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTExpired: "exp" claim timestamp check failed', claim: 'exp' }],
  },
  {
    id: 'jose.nbf',
    verifier: 'jose',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: '"nbf" claim timestamp check failed',
    keyword: 'timestamp check failed',
    pattern: /\\?"nbf\\?" claim timestamp check failed/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTClaimValidationFailed: "nbf" claim timestamp check failed', claim: 'nbf' }],
  },
  {
    id: 'jose.iat_too_old',
    verifier: 'jose',
    code: 'token_too_old',
    claim: 'iat',
    message: '"iat" claim timestamp check failed (too far in the past)',
    keyword: 'too far in the past',
    pattern: /\\?"iat\\?" claim timestamp check failed \(too far in the past\)/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTExpired: "iat" claim timestamp check failed (too far in the past) code=ERR_JWT_EXPIRED', claim: 'iat' }],
  },
  {
    id: 'jose.iat_future',
    verifier: 'jose',
    code: 'iat_in_future',
    claim: 'iat',
    message: '"iat" claim timestamp check failed (it should be in the past)',
    keyword: 'it should be in the past',
    pattern: /\\?"iat\\?" claim timestamp check failed \(it should be in the past\)/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTClaimValidationFailed: "iat" claim timestamp check failed (it should be in the past)', claim: 'iat' }],
  },
  {
    id: 'jose.claim_type',
    verifier: 'jose',
    code: 'malformed_token',
    message: '"{claim}" claim must be a number',
    keyword: 'claim must be a number',
    pattern: /\\?"(?<claim>exp|nbf|iat)\\?" claim must be a number/,
    source: JOSE_CLAIMS,
    samples: [{ text: 'JWTClaimValidationFailed: "exp" claim must be a number', claim: 'exp' }],
  },
  {
    id: 'jose.signature',
    verifier: 'jose',
    code: 'signature_invalid',
    message: 'signature verification failed (ERR_JWS_SIGNATURE_VERIFICATION_FAILED)',
    keyword: ['err_jws_signature_verification_failed', 'jwssignatureverificationfailed', 'signature verification failed'],
    pattern: /ERR_JWS_SIGNATURE_VERIFICATION_FAILED|JWSSignatureVerificationFailed|(?<![A-Za-z] )\bsignature verification failed/,
    source: JOSE_ERRORS,
    samples: [
      { text: 'JWSSignatureVerificationFailed: signature verification failed' },
      { text: "{ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }" },
    ],
  },
  {
    id: 'jose.no_matching_key',
    verifier: 'jose',
    code: 'key_not_found',
    message: 'no applicable key found in the JSON Web Key Set (ERR_JWKS_NO_MATCHING_KEY)',
    keyword: ['err_jwks_no_matching_key', 'no applicable key found'],
    pattern: /ERR_JWKS_NO_MATCHING_KEY|no applicable key found in the JSON Web Key Set/,
    source: JOSE_ERRORS,
    samples: [{ text: 'JWKSNoMatchingKey: no applicable key found in the JSON Web Key Set' }, { text: 'code=ERR_JWKS_NO_MATCHING_KEY' }],
  },
  {
    id: 'jose.multiple_matching_keys',
    verifier: 'jose',
    code: 'duplicate_kid',
    message: 'multiple matching keys found in the JSON Web Key Set (ERR_JWKS_MULTIPLE_MATCHING_KEYS)',
    keyword: ['err_jwks_multiple_matching_keys', 'multiple matching keys found'],
    pattern: /ERR_JWKS_MULTIPLE_MATCHING_KEYS|multiple matching keys found in the JSON Web Key Set/,
    source: JOSE_ERRORS,
    samples: [{ text: 'JWKSMultipleMatchingKeys: multiple matching keys found in the JSON Web Key Set' }],
  },
  {
    id: 'jose.alg_not_allowed',
    verifier: 'jose',
    code: 'alg_not_allowed',
    claim: 'header.alg',
    message: '"alg" (Algorithm) Header Parameter value not allowed (ERR_JOSE_ALG_NOT_ALLOWED)',
    keyword: ['err_jose_alg_not_allowed', 'header parameter value not allowed'],
    pattern: /ERR_JOSE_ALG_NOT_ALLOWED|\\?"alg\\?" \(Algorithm\) Header Parameter value not allowed/,
    source: 'panva/jose: src/lib/validate_algorithms.ts; ' + JOSE_ERRORS,
    samples: [{ text: 'JOSEAlgNotAllowed: "alg" (Algorithm) Header Parameter value not allowed', claim: 'header.alg' }],
  },
  {
    id: 'jose.jwks_unreachable',
    verifier: 'jose',
    code: 'jwks_unreachable',
    message: 'Expected 200 OK from the JSON Web Key Set HTTP response / JSON Web Key Set malformed (ERR_JWKS_TIMEOUT, ERR_JWKS_INVALID)',
    keyword: ['err_jwks_timeout', 'err_jwks_invalid', 'json web key set'],
    pattern:
      /ERR_JWKS_TIMEOUT|ERR_JWKS_INVALID|Expected 200 OK from the JSON Web Key Set HTTP response|JSON Web Key Set malformed|Failed to parse the JSON Web Key Set HTTP response as JSON/,
    source: 'panva/jose: src/jwks/remote.ts; ' + JOSE_ERRORS,
    samples: [
      { text: 'JOSEError: Expected 200 OK from the JSON Web Key Set HTTP response' },
      { text: 'JWKSTimeout: request timed out code=ERR_JWKS_TIMEOUT' },
    ],
  },
  {
    id: 'jose.malformed',
    verifier: 'jose',
    code: 'malformed_token',
    message: 'Invalid Compact JWS / JWTs must use Compact JWS serialization / Invalid JWT (ERR_JWS_INVALID, ERR_JWT_INVALID)',
    keyword: [
      '_invalid',
      'invalid compact jws',
      'jwts must use compact',
      'jwt claims set must',
      'decode the payload',
      'the decoded payload',
    ],
    pattern:
      /ERR_JW[ST]_INVALID|Invalid Compact JWS|JWTs must use Compact JWS serialization|JWT Claims Set must be a top-level JSON object|Failed to base64url decode the payload|Failed to parse the decoded payload as JSON/,
    source: 'panva/jose: src/jws/compact/verify.ts; src/lib/jwt_claims_set.ts',
    samples: [
      { text: 'JWSInvalid: Invalid Compact JWS' },
      { text: 'JWTInvalid: JWTs must use Compact JWS serialization, JWT must be a string' },
    ],
  },
  {
    id: 'jose.claim_code',
    verifier: 'jose',
    code: 'claim_mismatch',
    byClaim: true,
    generic: true,
    message: "ERR_JWT_CLAIM_VALIDATION_FAILED with claim: '{claim}'",
    keyword: 'err_jwt_claim_validation_failed',
    pattern: /ERR_JWT_CLAIM_VALIDATION_FAILED(?:[^\n]{0,512}?\bclaim\\?['"]?\s{0,4}[:=]\s{0,4}\\?['"](?<claim>[\w.:-]{1,64}))?/,
    source: JOSE_ERRORS,
    samples: [
      {
        text: "{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud', reason: 'check_failed' }",
        code: 'audience_mismatch',
        claim: 'aud',
      },
      { text: 'auth failed: ERR_JWT_CLAIM_VALIDATION_FAILED' },
    ],
  },
  {
    id: 'jose.expired_code',
    verifier: 'jose',
    code: 'token_expired',
    generic: true,
    message: 'ERR_JWT_EXPIRED',
    keyword: 'err_jwt_expired',
    pattern: /ERR_JWT_EXPIRED/,
    source: JOSE_ERRORS,
    samples: [{ text: 'verify failed code=ERR_JWT_EXPIRED' }],
  },
];

// ---------------------------------------------------------------------------------------------
// auth0/node-jsonwebtoken (and express-jwt, hapi-auth-jwt2 and others that pass its messages on).
// ---------------------------------------------------------------------------------------------
const JSONWEBTOKEN_SOURCE = 'auth0/node-jsonwebtoken: verify.js';
const jwtMessage = family('jsonwebtoken', 'jsonwebtoken', JSONWEBTOKEN_SOURCE);
const UNTIL_END = `[^"'\\n}\\]]{1,512}`;
const JSONWEBTOKEN: TranslationEntry[] = [
  jwtMessage(
    'expired',
    'token_expired',
    'jwt expired (TokenExpiredError)',
    /\bjwt expired\b/,
    [
      { text: 'TokenExpiredError: jwt expired' },
      { text: '{"name":"TokenExpiredError","message":"jwt expired","expiredAt":"2026-11-28T12:00:00.000Z"}' },
    ],
    { keyword: 'jwt expired' },
  ),
  jwtMessage(
    'not_active',
    'token_not_yet_valid',
    'jwt not active (NotBeforeError)',
    /\bjwt not active\b/,
    [{ text: 'NotBeforeError: jwt not active' }],
    {
      keyword: 'jwt not active',
      claim: 'nbf',
    },
  ),
  jwtMessage(
    'audience',
    'audience_mismatch',
    'jwt audience invalid. expected: {expected}',
    new RegExp(`\\bjwt audience invalid\\. expected: (?<expected>${UNTIL_END})`),
    [
      { text: 'JsonWebTokenError: jwt audience invalid. expected: web-prod', expected: 'web-prod' },
      { text: '{"message":"jwt audience invalid. expected: api://orders or web-prod"}', expected: 'api://orders or web-prod' },
    ],
    { claim: 'aud', keyword: 'jwt audience invalid' },
  ),
  jwtMessage(
    'issuer',
    'issuer_mismatch',
    'jwt issuer invalid. expected: {expected}',
    new RegExp(`\\bjwt issuer invalid\\. expected: (?<expected>${UNTIL_END})`),
    [{ text: 'JsonWebTokenError: jwt issuer invalid. expected: https://auth.example.com', expected: 'https://auth.example.com' }],
    { claim: 'iss', keyword: 'jwt issuer invalid' },
  ),
  jwtMessage(
    'other_claim',
    'claim_mismatch',
    'jwt subject|jwtid|nonce invalid. expected: {expected}',
    new RegExp(`\\bjwt (?<claim>subject|jwtid|nonce) invalid\\. expected: (?<expected>${UNTIL_END})`),
    [{ text: 'JsonWebTokenError: jwt subject invalid. expected: user-1', claim: 'subject', expected: 'user-1' }],
    { keyword: 'invalid. expected' },
  ),
  jwtMessage('max_age', 'token_too_old', 'maxAge exceeded', /\bmaxAge exceeded\b/, [{ text: 'TokenExpiredError: maxAge exceeded' }], {
    keyword: 'maxage exceeded',
    claim: 'iat',
  }),
  jwtMessage(
    'malformed',
    'malformed_token',
    'jwt malformed',
    /\bjwt malformed\b|\bjwt must be a string\b/,
    [{ text: 'JsonWebTokenError: jwt malformed' }],
    {
      keyword: ['jwt malformed', 'jwt must be a string'],
    },
  ),
  jwtMessage(
    'invalid_token',
    'malformed_token',
    'invalid token (the header or payload is not JSON)',
    /(?<![\w-] ?)\binvalid token\b/,
    [{ text: 'JsonWebTokenError: invalid token' }],
    { keyword: 'invalid token' },
  ),
  jwtMessage(
    'missing',
    'header_missing',
    'jwt must be provided',
    /\bjwt must be provided\b/,
    [{ text: 'JsonWebTokenError: jwt must be provided' }],
    {
      keyword: 'jwt must be provided',
    },
  ),
  jwtMessage(
    'unsigned',
    'alg_none',
    'jwt signature is required / please specify "none" in "algorithms" to verify unsigned tokens',
    /\bjwt signature is required\b|please specify \\?"none\\?" in \\?"algorithms\\?" to verify unsigned tokens/,
    [{ text: 'JsonWebTokenError: jwt signature is required' }],
    { keyword: ['jwt signature is required', 'to verify unsigned tokens'] },
  ),
  jwtMessage(
    'invalid_signature',
    'signature_invalid',
    'invalid signature',
    /(?<![\w;] ?)\binvalid signature\b/,
    [{ text: 'JsonWebTokenError: invalid signature' }],
    {
      keyword: 'invalid signature',
    },
  ),
  jwtMessage(
    'invalid_algorithm',
    'alg_not_allowed',
    'invalid algorithm',
    /(?<!\w )\binvalid algorithm\b/,
    [{ text: 'JsonWebTokenError: invalid algorithm' }],
    {
      keyword: 'invalid algorithm',
      claim: 'header.alg',
    },
  ),
  jwtMessage(
    'key_type',
    'alg_not_allowed',
    'secretOrPublicKey must be a symmetric|an asymmetric key when using {alg}',
    /secretOrPublicKey must be (?:a symmetric|an asymmetric) key when using (?<actual>[A-Za-z0-9]{2,16})/,
    [{ text: 'JsonWebTokenError: secretOrPublicKey must be an asymmetric key when using RS256', actual: 'RS256' }],
    { keyword: 'secretorpublickey', claim: 'header.alg' },
  ),
  jwtMessage(
    'no_key',
    'key_not_found',
    'secret or public key must be provided / error in secret or public key callback: {reason}',
    /\bsecret or public key must be provided\b|\berror in secret or public key callback\b/,
    [{ text: 'JsonWebTokenError: secret or public key must be provided' }],
    { keyword: ['secret or public key'] },
  ),
  jwtMessage(
    'bad_time',
    'malformed_token',
    'invalid exp value / invalid nbf value',
    /\binvalid (?<claim>exp|nbf) value\b/,
    [{ text: 'JsonWebTokenError: invalid exp value', claim: 'exp' }],
    { keyword: ['invalid exp value', 'invalid nbf value'] },
  ),
  jwtMessage(
    'iat_required',
    'missing_claim',
    'iat required when maxAge is specified',
    /\biat required when maxAge is specified\b/,
    [{ text: 'JsonWebTokenError: iat required when maxAge is specified' }],
    { keyword: 'iat required when maxage', claim: 'iat' },
  ),
];

// ---------------------------------------------------------------------------------------------
// express-jwt, @fastify/jwt and jwks-rsa: the middleware around jsonwebtoken and fast-jwt.
// ---------------------------------------------------------------------------------------------
const NODE_MIDDLEWARE: TranslationEntry[] = [
  {
    id: 'express-jwt.credentials_required',
    verifier: 'express-jwt',
    code: 'header_missing',
    message: 'No authorization token was found (credentials_required)',
    keyword: ['credentials_required', 'no authorization token was found'],
    pattern: /No authorization token was found|\bcredentials_required\b/,
    source: 'auth0/express-jwt: src/index.ts',
    samples: [{ text: 'UnauthorizedError: No authorization token was found' }],
  },
  {
    id: 'express-jwt.bad_format',
    verifier: 'express-jwt or @fastify/jwt',
    code: 'header_malformed',
    message: 'Format is Authorization: Bearer [token] (credentials_bad_scheme, credentials_bad_format, FST_JWT_BAD_REQUEST)',
    keyword: 'format is authorization',
    pattern: /Format is Authorization: Bearer \[token\]/,
    source: 'auth0/express-jwt: src/index.ts; fastify/fastify-jwt: jwt.js',
    samples: [{ text: '{"code":"credentials_bad_scheme","message":"Format is Authorization: Bearer [token]"}' }],
  },
  {
    id: 'express-jwt.revoked',
    verifier: 'express-jwt',
    code: 'token_revoked',
    message: 'The token has been revoked. (revoked_token)',
    keyword: ['the token has been revoked', 'revoked_token'],
    pattern: /The token has been revoked\.|\brevoked_token\b/,
    source: 'auth0/express-jwt: src/index.ts',
    samples: [{ text: 'UnauthorizedError: The token has been revoked.' }],
  },
  {
    id: 'fastify-jwt.no_authorization',
    verifier: '@fastify/jwt',
    code: 'header_missing',
    message: 'No Authorization was found in request.headers (FST_JWT_NO_AUTHORIZATION_IN_HEADER)',
    keyword: ['no authorization was found', 'fst_jwt_no_authorization'],
    pattern: /No Authorization was found in request\.(?:headers|cookies)|FST_JWT_NO_AUTHORIZATION_IN_(?:HEADER|COOKIE)/,
    source: 'fastify/fastify-jwt: jwt.js',
    samples: [
      {
        text: '{"statusCode":401,"code":"FST_JWT_NO_AUTHORIZATION_IN_HEADER","error":"Unauthorized","message":"No Authorization was found in request.headers"}',
      },
    ],
  },
  {
    id: 'fastify-jwt.expired',
    verifier: '@fastify/jwt',
    code: 'token_expired',
    message: 'Authorization token expired (FST_JWT_AUTHORIZATION_TOKEN_EXPIRED)',
    keyword: ['authorization token expired', 'fst_jwt_authorization_token_expired'],
    pattern: /Authorization token expired|FST_JWT_AUTHORIZATION_TOKEN_EXPIRED/,
    source: 'fastify/fastify-jwt: jwt.js',
    samples: [{ text: '{"code":"FST_JWT_AUTHORIZATION_TOKEN_EXPIRED","message":"Authorization token expired"}' }],
  },
  {
    id: 'fastify-jwt.untrusted',
    verifier: '@fastify/jwt',
    code: 'token_revoked',
    message: 'Untrusted authorization token (the trusted() deny-list check said no)',
    keyword: ['untrusted authorization token', 'fst_jwt_authorization_token_untrusted'],
    pattern: /Untrusted authorization token|FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED/,
    source: 'fastify/fastify-jwt: jwt.js',
    samples: [{ text: 'Untrusted authorization token' }],
  },
  {
    id: 'fastify-jwt.unsigned',
    verifier: '@fastify/jwt',
    code: 'alg_none',
    message: 'Unsigned authorization token',
    keyword: ['unsigned authorization token', 'fst_jwt_authorization_token_unsigned'],
    pattern: /Unsigned authorization token|FST_JWT_AUTHORIZATION_TOKEN_UNSIGNED/,
    source: 'fastify/fastify-jwt: jwt.js',
    samples: [{ text: 'Unsigned authorization token' }],
  },
  {
    id: 'fastify-jwt.invalid',
    verifier: '@fastify/jwt',
    code: 'token_rejected',
    generic: true,
    message: 'Authorization token is invalid: {fast-jwt message} (FST_JWT_AUTHORIZATION_TOKEN_INVALID)',
    keyword: ['authorization token is invalid', 'fst_jwt_authorization_token_invalid'],
    pattern: /Authorization token is invalid|FST_JWT_AUTHORIZATION_TOKEN_INVALID/,
    source: 'fastify/fastify-jwt: jwt.js',
    samples: [{ text: 'Authorization token is invalid: something else' }],
  },
  {
    id: 'jwks-rsa.kid_not_found',
    verifier: 'jwks-rsa',
    code: 'key_not_found',
    message: "Unable to find a signing key that matches '{kid}' (SigningKeyNotFoundError)",
    keyword: 'signing key that matches',
    pattern: /Unable to find a signing key that matches '(?<kid>[^'\n]{0,256})'/,
    source: 'auth0/node-jwks-rsa: src/JwksClient.js',
    samples: [{ text: "SigningKeyNotFoundError: Unable to find a signing key that matches 'staging-2026-11'", kid: 'staging-2026-11' }],
  },
  {
    id: 'jwks-rsa.no_signing_keys',
    verifier: 'jwks-rsa',
    code: 'jwks_unreachable',
    message: 'The JWKS endpoint did not contain any signing keys',
    keyword: 'jwks endpoint',
    pattern: /The JWKS endpoint did not contain any (?:signing )?keys/,
    source: 'auth0/node-jwks-rsa: src/JwksClient.js',
    samples: [{ text: 'JwksError: The JWKS endpoint did not contain any signing keys' }],
  },
];

// ---------------------------------------------------------------------------------------------
// nearform/fast-jwt: TokenError codes (src/error.js) and messages (src/verifier.js, src/decoder.js).
// ---------------------------------------------------------------------------------------------
const FAST_VERIFIER = 'nearform/fast-jwt: src/verifier.js';
const FAST_ERRORS = 'nearform/fast-jwt: src/error.js';
const INSTANT = '(?<d_at>[0-9T:.Z+-]{10,32})';
const FAST_JWT: TranslationEntry[] = [
  {
    id: 'fast-jwt.expired',
    verifier: 'fast-jwt',
    code: 'token_expired',
    message: 'The token has expired at {instant}. (FAST_JWT_EXPIRED)',
    keyword: ['the token has expired at', 'fast_jwt_expired'],
    pattern: new RegExp(`The token has expired at ${INSTANT}|FAST_JWT_EXPIRED`),
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The token has expired at 2026-11-28T12:00:00.000Z.' }, { text: "{ code: 'FAST_JWT_EXPIRED' }" }],
  },
  {
    id: 'fast-jwt.inactive',
    verifier: 'fast-jwt',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: 'The token will be active at {instant}. (FAST_JWT_INACTIVE)',
    keyword: ['the token will be active at', 'fast_jwt_inactive'],
    pattern: new RegExp(`The token will be active at ${INSTANT}|FAST_JWT_INACTIVE`),
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The token will be active at 2026-11-28T12:10:00.000Z.', claim: 'nbf' }],
  },
  {
    id: 'fast-jwt.signature',
    verifier: 'fast-jwt',
    code: 'signature_invalid',
    message: 'The token signature is invalid. (FAST_JWT_INVALID_SIGNATURE)',
    keyword: ['the token signature is invalid', 'fast_jwt_invalid_signature'],
    pattern: /The token signature is invalid\.|FAST_JWT_INVALID_SIGNATURE/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The token signature is invalid.' }, { text: 'code: FAST_JWT_INVALID_SIGNATURE' }],
  },
  {
    id: 'fast-jwt.claim_value',
    verifier: 'fast-jwt',
    code: 'claim_mismatch',
    byClaim: true,
    message: 'The {claim} claim value is not allowed. / None of {claim} claim values are allowed. (FAST_JWT_INVALID_CLAIM_VALUE)',
    keyword: ['claim value is not allowed', 'claim values are allowed'],
    pattern: /The (?<claim>[\w.:-]{1,64}) claim value is not allowed\.|None of (?<claim2>[\w.:-]{1,64}) claim values are allowed\./,
    source: FAST_VERIFIER,
    samples: [
      { text: 'TokenError: The iss claim value is not allowed.', code: 'issuer_mismatch', claim: 'iss' },
      { text: 'TokenError: None of aud claim values are allowed.', code: 'audience_mismatch', claim: 'aud' },
    ],
  },
  {
    id: 'fast-jwt.claim_required',
    verifier: 'fast-jwt',
    code: 'missing_claim',
    message: 'The {claim} claim is required. (FAST_JWT_MISSING_REQUIRED_CLAIM)',
    keyword: 'claim is required',
    pattern: /The (?<claim>[\w.:-]{1,64}) claim is required\./,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The exp claim is required.', claim: 'exp' }],
  },
  {
    id: 'fast-jwt.claim_type',
    verifier: 'fast-jwt',
    code: 'malformed_token',
    message: 'The {claim} claim must be a {type}. (FAST_JWT_INVALID_CLAIM_TYPE)',
    keyword: 'claim must be a',
    pattern: /The (?<claim>[\w.:-]{1,64}) claim must be an? (?:string|number)/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The exp claim must be a number.', claim: 'exp' }],
  },
  {
    id: 'fast-jwt.malformed',
    verifier: 'fast-jwt',
    code: 'malformed_token',
    message: 'The token is malformed. / The token header|payload is not a valid base64url serialized JSON. (FAST_JWT_MALFORMED)',
    keyword: [
      'the token is malformed',
      'is not a valid base64url',
      'is not a valid json object',
      'fast_jwt_malformed',
      'fast_jwt_invalid_payload',
    ],
    pattern:
      /The token is malformed\.|The token (?:header|payload) is not a valid base64url serialized JSON\.|The token header is not a valid JSON object\.|FAST_JWT_MALFORMED|FAST_JWT_INVALID_PAYLOAD/,
    source: 'nearform/fast-jwt: src/decoder.js',
    samples: [
      { text: 'TokenError: The token is malformed.' },
      { text: 'TokenError: The token payload is not a valid base64url serialized JSON.' },
    ],
  },
  {
    id: 'fast-jwt.algorithm',
    verifier: 'fast-jwt',
    code: 'alg_not_allowed',
    claim: 'header.alg',
    message: 'The token algorithm is invalid. (FAST_JWT_INVALID_ALGORITHM)',
    keyword: ['the token algorithm is invalid', 'fast_jwt_invalid_algorithm', 'invalid public key provided'],
    pattern: /The token algorithm is invalid\.|FAST_JWT_INVALID_ALGORITHM|Invalid public key provided for algorithms/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The token algorithm is invalid.', claim: 'header.alg' }],
  },
  {
    id: 'fast-jwt.typ',
    verifier: 'fast-jwt',
    code: 'typ_mismatch',
    claim: 'typ',
    message: 'Invalid typ. / The type must be "{expected}".',
    keyword: ['invalid typ.', 'the type must be'],
    pattern: /\bInvalid typ\.|The type must be \\?"(?<expected>[^"\\\n]{1,64})\\?"/,
    source: FAST_VERIFIER + '; nearform/fast-jwt: src/decoder.js',
    samples: [{ text: 'TokenError: The type must be "at+jwt".', claim: 'typ', expected: 'at+jwt' }],
  },
  {
    id: 'fast-jwt.missing_signature',
    verifier: 'fast-jwt',
    code: 'alg_none',
    message: 'The token signature is missing. (FAST_JWT_MISSING_SIGNATURE)',
    keyword: ['the token signature is missing', 'fast_jwt_missing_signature'],
    pattern: /The token signature is missing\.|FAST_JWT_MISSING_SIGNATURE/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The token signature is missing.' }],
  },
  {
    id: 'fast-jwt.missing_key',
    verifier: 'fast-jwt',
    code: 'key_not_found',
    message: 'The key option is missing. (FAST_JWT_MISSING_KEY)',
    keyword: ['the key option is missing', 'fast_jwt_missing_key'],
    pattern: /The key option is missing\.|FAST_JWT_MISSING_KEY/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: The key option is missing.' }],
  },
  {
    id: 'fast-jwt.key_fetching',
    verifier: 'fast-jwt',
    code: 'jwks_unreachable',
    message: 'Cannot fetch key. (FAST_JWT_KEY_FETCHING_ERROR)',
    keyword: 'fast_jwt_key_fetching_error',
    pattern: /FAST_JWT_KEY_FETCHING_ERROR/,
    source: FAST_ERRORS,
    samples: [{ text: "{ code: 'FAST_JWT_KEY_FETCHING_ERROR', message: 'Cannot fetch key.' }" }],
  },
  {
    id: 'fast-jwt.crit',
    verifier: 'fast-jwt',
    code: 'malformed_token',
    message: 'Critical extension "{name}" is not supported. (FAST_JWT_INVALID_CRIT_HEADER)',
    keyword: ['critical extension', 'fast_jwt_invalid_crit_header'],
    pattern: /Critical extension \\?"[^"\\\n]{0,64}\\?" is not supported\.|FAST_JWT_INVALID_CRIT_HEADER/,
    source: FAST_VERIFIER,
    samples: [{ text: 'TokenError: Critical extension "exp2" is not supported.' }],
  },
  {
    id: 'fast-jwt.claim_code',
    verifier: 'fast-jwt',
    code: 'claim_mismatch',
    generic: true,
    message: 'FAST_JWT_INVALID_CLAIM_VALUE',
    keyword: 'fast_jwt_invalid_claim_value',
    pattern: /FAST_JWT_INVALID_CLAIM_VALUE/,
    source: FAST_ERRORS,
    samples: [{ text: 'verify failed: FAST_JWT_INVALID_CLAIM_VALUE' }],
  },
];

// ---------------------------------------------------------------------------------------------
// Microsoft.IdentityModel (ASP.NET Core, Azure API Management validate-jwt): IDX codes. Values
// may be hidden as PII; the extraction drops those.
// ---------------------------------------------------------------------------------------------
const identityModel = family('identitymodel', 'Microsoft.IdentityModel (.NET)', WILSON);
const wilson = (
  n: number,
  code: ReasonCode,
  message: string,
  pattern: RegExp,
  samples: TranslationSample[],
  extra: Partial<TranslationEntry> = {},
) => identityModel(`idx${n}`, code, `IDX${n}: ${message}`, pattern, samples, { keyword: `idx${n}`, ...extra });
const IDENTITY_MODEL: TranslationEntry[] = [
  wilson(
    10205,
    'issuer_mismatch',
    "Issuer validation failed. Issuer: '{actual}'. Did not match: validationParameters.ValidIssuer: '{expected}' or validationParameters.ValidIssuers: '{expected}'.",
    idx(
      10205,
      `Issuer validation failed\\. Issuer: ${IDX_VALUE('actual')}\\. Did not match: validationParameters\\.ValidIssuer: ${IDX_VALUE('expected')}(?: or validationParameters\\.ValidIssuers: ${IDX_VALUE('expected2')})?`,
    ),
    [
      {
        text: "IDX10205: Issuer validation failed. Issuer: 'https://auth.staging.example.com'. Did not match: validationParameters.ValidIssuer: 'https://auth.example.com' or validationParameters.ValidIssuers: 'null'.",
        actual: 'https://auth.staging.example.com',
        expected: 'https://auth.example.com',
      },
      {
        text: `IDX10205: Issuer validation failed. Issuer: '${PII}'. Did not match: validationParameters.ValidIssuer: 'null' or validationParameters.ValidIssuers: 'https://auth.example.com'.`,
        expected: 'https://auth.example.com',
      },
    ],
    { claim: 'iss' },
  ),
  wilson(
    10211,
    'missing_claim',
    "Unable to validate issuer. The 'issuer' parameter is null or whitespace",
    idx(10211, 'Unable to validate issuer'),
    [{ text: "IDX10211: Unable to validate issuer. The 'issuer' parameter is null or whitespace" }],
    { claim: 'iss' },
  ),
  wilson(
    10214,
    'audience_mismatch',
    "Audience validation failed. Audiences: '{actual}'. Did not match: validationParameters.ValidAudience: '{expected}' or validationParameters.ValidAudiences: '{expected}'.",
    idx(
      10214,
      `Audience validation failed\\. Audiences: ${IDX_VALUE('actual')}\\. Did not match: validationParameters\\.ValidAudience: ${IDX_VALUE('expected')}(?: or validationParameters\\.ValidAudiences: ${IDX_VALUE('expected2')})?`,
    ),
    [
      {
        text: "Bearer was not authenticated. Failure message: IDX10214: Audience validation failed. Audiences: 'web-staging'. Did not match: validationParameters.ValidAudience: 'web-prod' or validationParameters.ValidAudiences: 'null'.",
        actual: 'web-staging',
        expected: 'web-prod',
      },
    ],
    { claim: 'aud' },
  ),
  wilson(
    10206,
    'missing_claim',
    "Unable to validate audience. The 'audiences' parameter is empty.",
    idx(10206, 'Unable to validate audience'),
    [{ text: "IDX10206: Unable to validate audience. The 'audiences' parameter is empty." }],
    { claim: 'aud' },
  ),
  wilson(
    10231,
    'audience_mismatch',
    "Audience validation failed. Delegate returned false, securitytoken: '{token}'.",
    idx(10231, 'Audience validation failed'),
    [
      {
        text: "IDX10231: Audience validation failed. Delegate returned false, securitytoken: 'System.IdentityModel.Tokens.Jwt.JwtSecurityToken'.",
      },
    ],
    { claim: 'aud' },
  ),
  wilson(
    10222,
    'token_not_yet_valid',
    "Lifetime validation failed. The token is not yet valid. ValidFrom: '{nbf}', Current time: '{now}'.",
    idx(10222, `Lifetime validation failed\\. The token is not yet valid\\. ValidFrom(?: \\(UTC\\))?: ${IDX_VALUE('d_nbf')}`),
    [
      {
        text: "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '11/28/2026 12:10:00 PM', Current time (UTC): '11/28/2026 12:05:00 PM'.",
      },
    ],
    { claim: 'nbf' },
  ),
  wilson(
    10223,
    'token_expired',
    "Lifetime validation failed. The token is expired. ValidTo: '{exp}', Current time: '{now}'.",
    idx(10223, `Lifetime validation failed\\. The token is expired\\. ValidTo(?: \\(UTC\\))?: ${IDX_VALUE('d_exp')}`),
    [
      {
        text: "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '11/28/2026 12:00:00 PM', Current time (UTC): '11/28/2026 12:05:00 PM'.",
      },
    ],
    { claim: 'exp' },
  ),
  wilson(
    10225,
    'missing_claim',
    "Lifetime validation failed. The token is missing an Expiration Time. Tokentype: '{type}'.",
    idx(10225, 'Lifetime validation failed'),
    [
      {
        text: "IDX10225: Lifetime validation failed. The token is missing an Expiration Time. Tokentype: 'System.IdentityModel.Tokens.Jwt.JwtSecurityToken'.",
      },
    ],
    { claim: 'exp' },
  ),
  wilson(
    10224,
    'malformed_token',
    "Lifetime validation failed. The NotBefore: '{nbf}' is after Expires: '{exp}'.",
    idx(10224, 'Lifetime validation failed'),
    [{ text: "IDX10224: Lifetime validation failed. The NotBefore: '11/28/2026 13:00:00' is after Expires: '11/28/2026 12:00:00'." }],
    { claim: 'nbf' },
  ),
  wilson(
    10209,
    'malformed_token',
    "Token has length: '{n}' which is larger than the MaximumTokenSizeInBytes: '{max}'.",
    idx(10209, 'Token has length'),
    [{ text: "IDX10209: Token has length: '300000' which is larger than the MaximumTokenSizeInBytes: '256000'." }],
  ),
  wilson(
    10256,
    'typ_mismatch',
    "Unable to validate the token type. TokenValidationParameters.ValidTypes is set, but the 'typ' header claim is null or empty.",
    idx(10256, 'Unable to validate the token type'),
    [
      {
        text: "IDX10256: Unable to validate the token type. TokenValidationParameters.ValidTypes is set, but the 'typ' header claim is null or empty.",
      },
    ],
    { claim: 'typ' },
  ),
  wilson(
    10257,
    'typ_mismatch',
    "Token type validation failed. Type: '{actual}'. Did not match: validationParameters.TokenTypes: '{expected}'.",
    idx(
      10257,
      `Token type validation failed\\. Type: ${IDX_VALUE('actual')}\\. Did not match: validationParameters\\.TokenTypes: ${IDX_VALUE('expected')}`,
    ),
    [
      {
        text: "IDX10257: Token type validation failed. Type: 'JWT'. Did not match: validationParameters.TokenTypes: 'at+jwt'.",
        actual: 'JWT',
        expected: 'at+jwt',
      },
    ],
    { claim: 'typ' },
  ),
  wilson(
    10500,
    'key_not_found',
    'Signature validation failed. No security keys were provided to validate the signature.',
    idx(10500, 'Signature validation failed'),
    [{ text: 'IDX10500: Signature validation failed. No security keys were provided to validate the signature.' }],
  ),
  wilson(
    10501,
    'key_not_found',
    "Signature validation failed. Unable to match key: kid: '{kid}'.",
    idx(10501, `Signature validation failed\\. Unable to match key: ?\\s{0,4}kid: ${IDX_VALUE('kid')}`),
    [
      {
        text: "IDX10501: Signature validation failed. Unable to match key: \nkid: 'staging-2026-11'.\nExceptions caught:\n ''. \ntoken: '[PII is hidden]'.",
        kid: 'staging-2026-11',
      },
      { text: "IDX10501: Signature validation failed. Unable to match key: \\nkid: 'staging-2026-11'.", kid: 'staging-2026-11' },
    ],
  ),
  wilson(
    10503,
    'key_not_found',
    "Signature validation failed. The token's kid is: '{kid}', but did not match any keys in TokenValidationParameters or Configuration.",
    idx(10503, `Signature validation failed\\. The token's kid is: ${IDX_VALUE('kid')}, but did not match any keys`),
    [
      {
        text: "IDX10503: Signature validation failed. The token's kid is: 'prod-2026-12', but did not match any keys in TokenValidationParameters or Configuration. Keys tried: 'Microsoft.IdentityModel.Tokens.RsaSecurityKey, KeyId: 'staging-2026-11''.",
        kid: 'prod-2026-12',
      },
    ],
    { id: 'identitymodel.idx10503_kid' },
  ),
  wilson(
    10503,
    'signature_invalid',
    "Signature validation failed. Keys tried: '{keys}'. (before 6.x: the kid matched no key or none verified)",
    idx(10503, 'Signature validation failed\\. Keys tried'),
    [
      {
        text: "IDX10503: Signature validation failed. Keys tried: 'Microsoft.IdentityModel.Tokens.SymmetricSecurityKey, KeyId: '', InternalId: 'x'. , KeyId: '''.",
      },
    ],
  ),
  wilson(
    10504,
    'alg_none',
    "Unable to validate signature, token does not have a signature: '{token}'.",
    idx(10504, 'Unable to validate signature'),
    [{ text: "IDX10504: Unable to validate signature, token does not have a signature: '[PII is hidden]'." }],
  ),
  wilson(
    10508,
    'malformed_token',
    'Signature validation failed. Signature is improperly formatted.',
    idx(10508, 'Signature validation failed'),
    [{ text: 'IDX10508: Signature validation failed. Signature is improperly formatted.' }],
  ),
  wilson(
    10511,
    'signature_invalid',
    "Signature validation failed. Keys tried: '{keys}'. ... kid: '{kid}'.",
    new RegExp(`IDX10511: Signature validation failed\\.(?:[\\s\\S]{0,2048}?kid: ${IDX_VALUE('kid')})?`),
    [
      {
        text: "IDX10511: Signature validation failed. Keys tried: 'System.Text.StringBuilder'. \\nNumber of keys in TokenValidationParameters: '1'. \\nNumber of keys in Configuration: '0'. \\nMatched key was in 'TokenValidationParameters'. \\nkid: 'local-hs'. \\nExceptions caught:\\n ''.",
        kid: 'local-hs',
      },
    ],
  ),
  wilson(
    10516,
    'key_not_found',
    "Signature validation failed. Unable to match key: kid: '{kid}'.",
    idx(10516, `Signature validation failed\\. Unable to match key: ?\\s{0,4}kid: ${IDX_VALUE('kid')}`),
    [
      {
        text: "IDX10516: Signature validation failed. Unable to match key: \nkid: 'prod-2026-12'.\nExceptions caught:\n ''. \ntoken: '[PII is hidden]'. Valid Lifetime: 'True'. Valid Issuer: 'True'",
        kid: 'prod-2026-12',
      },
    ],
  ),
  wilson(
    10517,
    'signature_invalid',
    "Signature validation failed. The token's kid is missing. Keys tried: '{keys}'.",
    idx(10517, "Signature validation failed\\. The token's kid is missing"),
    [
      {
        text: "IDX10517: Signature validation failed. The token's kid is missing. Keys tried: 'Microsoft.IdentityModel.Tokens.RsaSecurityKey'. Number of keys in TokenValidationParameters: '1'.",
      },
    ],
  ),
  wilson(
    10634,
    'alg_not_allowed',
    "Unable to create the SignatureProvider. Algorithm: '{alg}', SecurityKey: '{key}' is not supported.",
    idx(10634, `Unable to create the SignatureProvider\\.\\s{0,4}Algorithm: ${IDX_VALUE('actual')}`),
    [
      {
        text: "IDX10634: Unable to create the SignatureProvider.\nAlgorithm: 'HS256', SecurityKey: 'Microsoft.IdentityModel.Tokens.RsaSecurityKey, KeyId: 'k1''\n is not supported.",
        actual: 'HS256',
      },
    ],
    { claim: 'header.alg' },
  ),
  wilson(
    10249,
    'certificate_expired',
    "X509SecurityKey validation failed. The associated certificate has expired. ValidTo (UTC): '{at}', Current time (UTC): '{now}'.",
    idx(10249, 'X509SecurityKey validation failed'),
    [
      {
        text: "IDX10249: X509SecurityKey validation failed. The associated certificate has expired. ValidTo (UTC): '11/1/2026 12:00:00 AM', Current time (UTC): '11/28/2026 12:05:00 PM'.",
      },
    ],
  ),
  wilson(10400, 'malformed_token', "Unable to decode: '{value}' as Base64url encoded string.", idx(10400, 'Unable to decode'), [
    { text: "IDX10400: Unable to decode: 'eyJhbGciOi' as Base64url encoded string." },
  ]),
  wilson(
    10261,
    'jwks_unreachable',
    "Unable to retrieve configuration from authority: '{authority}'.",
    idx(10261, `Unable to retrieve configuration from authority`),
    [
      {
        text: "IDX10261: Unable to retrieve configuration from authority: 'https://auth.example.com'. \nProceeding with token validation in case the relevant properties have been set manually on the TokenValidationParameters.",
      },
    ],
  ),
  wilson(
    20803,
    'jwks_unreachable',
    "Unable to obtain configuration from: '{url}'.",
    idx(20803, 'Unable to obtain configuration from'),
    [
      {
        text: "System.InvalidOperationException: IDX20803: Unable to obtain configuration from: 'https://auth.example.com/.well-known/openid-configuration'.",
      },
    ],
    { source: WILSON_PROTOCOLS },
  ),
  wilson(
    12741,
    'malformed_token',
    "JWT: '{token}' must have three segments (JWS) or five segments (JWE).",
    /IDX12741: JWT(?:: '[^\n]{0,512}?')? must have three segments/,
    [
      { text: 'IDX12741: JWT must have three segments (JWS) or five segments (JWE).' },
      { text: `IDX12741: JWT: '${PII}' must have three segments (JWS) or five segments (JWE).` },
    ],
    { source: WILSON_JWT },
  ),
  wilson(
    12709,
    'malformed_token',
    "CanReadToken() returned false. JWT is not well formed: '{token}'.",
    idx(12709, 'CanReadToken\\(\\) returned false'),
    [{ text: "IDX12709: CanReadToken() returned false. JWT is not well formed: '[PII is hidden]'." }],
    { source: WILSON_JWT },
  ),
  {
    id: 'identitymodel.idx141xx',
    verifier: 'Microsoft.IdentityModel (.NET)',
    code: 'malformed_token',
    message: 'IDX14100 / IDX14101 / IDX14102 / IDX14120 / IDX14121 / IDX14122: JWT is not well formed',
    keyword: 'idx141',
    pattern: /IDX141(?:00|01|02|20|21|22): /,
    source: WILSON_JSON,
    samples: [
      { text: 'IDX14100: JWT is not well formed, there are no dots (.).' },
      { text: 'IDX14120: JWT is not well formed, there is only one dot (.).' },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// ASP.NET Core JwtBearer: the error_description of its WWW-Authenticate challenge.
// ---------------------------------------------------------------------------------------------
const ASPNET_SOURCE = 'dotnet/aspnetcore: src/Security/Authentication/JwtBearer/src/JwtBearerHandler.cs';
const aspnet = family('aspnetcore', 'ASP.NET Core JwtBearer', ASPNET_SOURCE, ['the audience', 'the issuer', 'the token', 'the signature']);
const ASPNET: TranslationEntry[] = [
  aspnet(
    'audience',
    'audience_mismatch',
    "The audience '{actual}' is invalid",
    /\bThe audience (?:'(?<actual>[^'\n]{0,512})' )?is invalid/,
    [{ text: 'Bearer error="invalid_token", error_description="The audience \'web-staging\' is invalid"', actual: 'web-staging' }],
    { claim: 'aud' },
  ),
  aspnet(
    'issuer',
    'issuer_mismatch',
    "The issuer '{actual}' is invalid",
    /\bThe issuer (?:'(?<actual>[^'\n]{0,512})' )?is invalid/,
    [
      {
        text: 'Bearer error="invalid_token", error_description="The issuer \'https://auth.staging.example.com\' is invalid"',
        actual: 'https://auth.staging.example.com',
      },
    ],
    { claim: 'iss' },
  ),
  aspnet(
    'no_expiration',
    'missing_claim',
    'The token has no expiration',
    /\bThe token has no expiration\b/,
    [{ text: 'The token has no expiration' }],
    { claim: 'exp' },
  ),
  aspnet(
    'lifetime',
    'malformed_token',
    "The token lifetime is invalid; NotBefore: '{nbf}', Expires: '{exp}'",
    /\bThe token lifetime is invalid\b/,
    [{ text: "The token lifetime is invalid; NotBefore: '11/28/2026 13:00:00', Expires: '11/28/2026 12:00:00'" }],
  ),
  aspnet(
    'not_yet_valid',
    'token_not_yet_valid',
    "The token is not valid before '{nbf}'",
    /\bThe token is not valid (?:before|yet)\b/,
    [{ text: 'Bearer error="invalid_token", error_description="The token is not valid before \'11/28/2026 12:10:00\'"' }],
    { claim: 'nbf' },
  ),
  aspnet(
    'expired',
    'token_expired',
    "The token expired at '{exp}'",
    /\bThe token expired at\b|\bThe token is expired\b/,
    [{ text: 'Bearer error="invalid_token", error_description="The token expired at \'11/28/2026 12:00:00\'"' }],
    { claim: 'exp' },
  ),
  aspnet('key_not_found', 'key_not_found', 'The signature key was not found', /\bThe signature key was not found\b/, [
    { text: 'WWW-Authenticate: Bearer error="invalid_token", error_description="The signature key was not found"' },
  ]),
  aspnet('signature', 'signature_invalid', 'The signature is invalid', /\bThe signature is invalid\b/, [
    { text: 'Bearer error="invalid_token", error_description="The signature is invalid"' },
  ]),
];

// ---------------------------------------------------------------------------------------------
// Spring Security resource server (error descriptions), Nimbus JOSE+JWT (the messages it wraps), jjwt.
// ---------------------------------------------------------------------------------------------
const SPRING_JWT = 'spring-projects/spring-security: oauth2/oauth2-jose/src/main/java/org/springframework/security/oauth2/jwt/';
const NIMBUS = 'connect2id/nimbus-jose-jwt (bitbucket): src/main/java/com/nimbusds/jwt/proc/';
const SPRING: TranslationEntry[] = [
  {
    id: 'spring.expired',
    verifier: 'Spring Security',
    code: 'token_expired',
    claim: 'exp',
    message: 'Jwt expired at {instant}',
    keyword: 'jwt expired at',
    pattern: /\bJwt expired at (?<d_exp>[0-9T:.Z+-]{10,32})/,
    source: SPRING_JWT + 'JwtTimestampValidator.java',
    samples: [
      {
        text: 'Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Jwt expired at 2026-11-28T12:00:00Z", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
        claim: 'exp',
      },
    ],
  },
  {
    id: 'spring.not_before',
    verifier: 'Spring Security',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: 'Jwt used before {instant}',
    keyword: 'jwt used before',
    pattern: /\bJwt used before (?<d_nbf>[0-9T:.Z+-]{10,32})/,
    source: SPRING_JWT + 'JwtTimestampValidator.java',
    samples: [{ text: 'An error occurred while attempting to decode the Jwt: Jwt used before 2026-11-28T12:10:00Z', claim: 'nbf' }],
  },
  {
    id: 'spring.claim_not_valid',
    verifier: 'Spring Security',
    code: 'claim_mismatch',
    byClaim: true,
    message: 'The {claim} claim is not valid',
    keyword: 'claim is not valid',
    pattern: /\bThe (?<claim>[\w.:-]{1,64}) claim is not valid\b/,
    source: SPRING_JWT + 'JwtClaimValidator.java; JwtIssuerValidator.java',
    samples: [
      {
        text: 'Bearer error="invalid_token", error_description="The iss claim is not valid", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
        code: 'issuer_mismatch',
        claim: 'iss',
      },
      { text: 'The aud claim is not valid', code: 'audience_mismatch', claim: 'aud' },
    ],
  },
  {
    id: 'spring.audience_missing',
    verifier: 'Spring Security',
    code: 'audience_mismatch',
    claim: 'aud',
    message: 'The required audience is missing',
    keyword: 'required audience',
    pattern: /\bThe required audience is missing\b/,
    source: 'https://docs.spring.io/spring-security/reference/servlet/oauth2/resource-server/jwt.html',
    samples: [{ text: 'Bearer error="invalid_token", error_description="The required audience is missing"', claim: 'aud' }],
  },
  {
    id: 'nimbus.no_matching_key',
    verifier: 'Nimbus JOSE+JWT (Spring Security)',
    code: 'key_not_found',
    message: 'Signed JWT rejected: Another algorithm expected, or no matching key(s) found',
    keyword: 'signed jwt rejected',
    pattern: /Signed JWT rejected: Another algorithm expected, or no matching key\(s\) found/,
    source: NIMBUS + 'DefaultJWTProcessor.java',
    samples: [
      {
        text: 'An error occurred while attempting to decode the Jwt: Signed JWT rejected: Another algorithm expected, or no matching key(s) found',
      },
    ],
  },
  {
    id: 'nimbus.invalid_signature',
    verifier: 'Nimbus JOSE+JWT (Spring Security)',
    code: 'signature_invalid',
    message: 'Signed JWT rejected: Invalid signature',
    keyword: 'signed jwt rejected',
    pattern: /Signed JWT rejected: Invalid signature/,
    source: NIMBUS + 'DefaultJWTProcessor.java',
    samples: [{ text: 'com.nimbusds.jose.proc.BadJWSException: Signed JWT rejected: Invalid signature' }],
  },
  {
    id: 'nimbus.expired',
    verifier: 'Nimbus JOSE+JWT',
    code: 'token_expired',
    claim: 'exp',
    message: 'Expired JWT',
    keyword: 'expired jwt',
    pattern: /\bExpired JWT\b/,
    source: NIMBUS + 'DefaultJWTClaimsVerifier.java',
    samples: [{ text: 'com.nimbusds.jwt.proc.BadJWTException: Expired JWT', claim: 'exp' }],
  },
  {
    id: 'nimbus.before_use',
    verifier: 'Nimbus JOSE+JWT',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: 'JWT before use time',
    keyword: 'jwt before use time',
    pattern: /\bJWT before use time\b/,
    source: NIMBUS + 'DefaultJWTClaimsVerifier.java',
    samples: [{ text: 'BadJWTException: JWT before use time', claim: 'nbf' }],
  },
  {
    id: 'nimbus.audience',
    verifier: 'Nimbus JOSE+JWT',
    code: 'audience_mismatch',
    claim: 'aud',
    message: 'JWT audience rejected: [{actual}]',
    keyword: 'jwt audience rejected',
    pattern: /\bJWT audience rejected: (?<actual>\[[^\]\n]{0,512}\])/,
    source: NIMBUS + 'DefaultJWTClaimsVerifier.java',
    samples: [{ text: 'BadJWTException: JWT audience rejected: [web-staging]', claim: 'aud', actual: 'web-staging' }],
  },
  {
    id: 'nimbus.issuer',
    verifier: 'Nimbus JOSE+JWT',
    code: 'issuer_mismatch',
    claim: 'iss',
    message: 'JWT iss claim has value {actual}, must be {expected}',
    keyword: 'jwt iss claim has value',
    pattern: /\bJWT iss claim has value (?<actual>[^,\n]{0,512}), must be (?<expected>[^\s"'\n]{0,512})/,
    source: NIMBUS + 'DefaultJWTClaimsVerifier.java',
    samples: [
      {
        text: 'com.nimbusds.jwt.proc.BadJWTException: JWT iss claim has value https://auth.staging.example.com, must be https://auth.example.com',
        actual: 'https://auth.staging.example.com',
        expected: 'https://auth.example.com',
        claim: 'iss',
      },
    ],
  },
  {
    id: 'nimbus.missing_claims',
    verifier: 'Nimbus JOSE+JWT',
    code: 'missing_claim',
    message: 'JWT missing required claims: [{claim}] / JWT missing required audience',
    keyword: 'jwt missing required',
    pattern: /\bJWT missing required (?:claims: \[(?<claim>[^\]\n]{0,256})\]|audience)/,
    source: NIMBUS + 'DefaultJWTClaimsVerifier.java',
    samples: [{ text: 'BadJWTException: JWT missing required claims: [exp]', claim: 'exp' }],
  },
  {
    id: 'nimbus.unsecured',
    verifier: 'Nimbus JOSE+JWT',
    code: 'alg_none',
    message: 'Unsecured (plain) JWTs are rejected',
    keyword: 'unsecured (plain) jwts',
    pattern: /Unsecured \(plain\) JWTs are rejected/,
    source: NIMBUS + 'DefaultJWTProcessor.java',
    samples: [{ text: 'BadJOSEException: Unsecured (plain) JWTs are rejected, extend class to handle' }],
  },
  {
    id: 'nimbus.typ',
    verifier: 'Nimbus JOSE+JWT',
    code: 'typ_mismatch',
    claim: 'typ',
    message: 'JOSE header typ (type) {actual} not allowed',
    keyword: 'jose header',
    pattern: /JOSE header \\?"?typ\\?"? \(type\) \\?"?(?<actual>[^\s"\\]{1,64})\\?"? not allowed/,
    source: 'connect2id/nimbus-jose-jwt (bitbucket): src/main/java/com/nimbusds/jose/proc/DefaultJOSEObjectTypeVerifier.java',
    samples: [{ text: 'BadJOSEException: JOSE header typ (type) JWT not allowed', actual: 'JWT', claim: 'typ' }],
  },
  {
    id: 'nimbus.encrypted',
    verifier: 'Nimbus JOSE+JWT',
    code: 'token_encrypted',
    message: 'Encrypted JWT rejected: No JWE key selector is configured',
    keyword: 'encrypted jwt rejected',
    pattern: /Encrypted JWT rejected/,
    source: NIMBUS + 'DefaultJWTProcessor.java',
    samples: [{ text: 'BadJOSEException: Encrypted JWT rejected: No JWE key selector is configured' }],
  },
  {
    id: 'nimbus.jwks_unreachable',
    verifier: 'Nimbus JOSE+JWT (Spring Security)',
    code: 'jwks_unreachable',
    message: "Couldn't retrieve remote JWK set: {reason}",
    keyword: 'retrieve',
    pattern: /Couldn't retrieve remote JWK set|Couldn't retrieve JWK set from URL/,
    source: 'connect2id/nimbus-jose-jwt (bitbucket): src/main/java/com/nimbusds/jose/jwk/source/RemoteJWKSet.java',
    samples: [
      {
        text: "An error occurred while attempting to decode the Jwt: Couldn't retrieve remote JWK set: org.springframework.web.client.ResourceAccessException: I/O error on GET request",
      },
    ],
  },
  {
    id: 'nimbus.malformed',
    verifier: 'Nimbus JOSE+JWT (Spring Security)',
    code: 'malformed_token',
    message: 'Invalid serialized unsecured/JWS/JWE object: Missing part delimiters / Malformed token',
    keyword: ['decode the jwt: malformed', 'invalid serialized'],
    pattern: /Invalid serialized unsecured\/JWS\/JWE object|decode the Jwt: Malformed (?:token|payload)/,
    source:
      'connect2id/nimbus-jose-jwt (bitbucket): src/main/java/com/nimbusds/jwt/JWTParser.java; ' + SPRING_JWT + 'NimbusJwtDecoder.java',
    samples: [{ text: 'An error occurred while attempting to decode the Jwt: Malformed token' }],
  },
  {
    id: 'spring.decode_error',
    verifier: 'Spring Security',
    code: 'token_rejected',
    generic: true,
    message: 'An error occurred while attempting to decode the Jwt: {reason}',
    keyword: 'decode the jwt',
    pattern: /An error occurred while attempting to decode the Jwt/,
    source: SPRING_JWT + 'NimbusJwtDecoder.java',
    samples: [{ text: 'An error occurred while attempting to decode the Jwt: something nobody has seen' }],
  },
  {
    id: 'jjwt.expired',
    verifier: 'jjwt',
    code: 'token_expired',
    claim: 'exp',
    message: 'JWT expired at {exp}. Current time: {now}, a difference of {ms} milliseconds. (ExpiredJwtException)',
    keyword: 'jwt expired at',
    pattern: /\bJWT expired at (?<d_exp>[0-9T:.Z+-]{10,32})/,
    source: 'jwtk/jjwt: impl/src/main/java/io/jsonwebtoken/impl/DefaultJwtParser.java',
    samples: [
      {
        text: 'io.jsonwebtoken.ExpiredJwtException: JWT expired at 2026-11-28T12:00:00Z. Current time: 2026-11-28T12:05:00Z, a difference of 300000 milliseconds.  Allowed clock skew: 0 milliseconds.',
        claim: 'exp',
      },
    ],
  },
  {
    id: 'jjwt.premature',
    verifier: 'jjwt',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: 'JWT must not be accepted before {nbf}. (PrematureJwtException)',
    keyword: 'jwt must not be accepted before',
    pattern: /\bJWT must not be accepted before\b/,
    source: 'jwtk/jjwt: impl/src/main/java/io/jsonwebtoken/impl/DefaultJwtParser.java',
    samples: [{ text: 'io.jsonwebtoken.PrematureJwtException: JWT must not be accepted before 2026-11-28T12:10:00Z.', claim: 'nbf' }],
  },
  {
    id: 'jjwt.signature',
    verifier: 'jjwt',
    code: 'signature_invalid',
    message: 'JWT signature does not match locally computed signature. (SignatureException)',
    keyword: 'locally computed signature',
    pattern: /JWT signature does not match locally computed signature/,
    source: 'jwtk/jjwt: impl/src/main/java/io/jsonwebtoken/impl/DefaultJwtParser.java',
    samples: [
      {
        text: 'io.jsonwebtoken.security.SignatureException: JWT signature does not match locally computed signature. JWT validity cannot be asserted and should not be trusted.',
      },
    ],
  },
  {
    id: 'jjwt.claim',
    verifier: 'jjwt',
    code: 'claim_mismatch',
    byClaim: true,
    message: 'Expected {claim} claim to be: {expected}, but was: {actual}. (IncorrectClaimException)',
    keyword: 'claim to be',
    pattern: /\bExpected (?<claim>[\w.:-]{1,64}) claim to be: (?<expected>[^\n]{0,512}?), but was: (?<actual>[^\n]{0,512}?)\.(?:\s|$|")/,
    source: 'jwtk/jjwt: api/src/main/java/io/jsonwebtoken/ClaimJwtException.java',
    samples: [
      {
        text: 'io.jsonwebtoken.IncorrectClaimException: Expected iss claim to be: https://auth.example.com, but was: https://auth.staging.example.com.',
        code: 'issuer_mismatch',
        claim: 'iss',
        expected: 'https://auth.example.com',
        actual: 'https://auth.staging.example.com',
      },
    ],
  },
  {
    id: 'jjwt.missing_claim',
    verifier: 'jjwt',
    code: 'missing_claim',
    message: 'Expected {claim} claim to be: {expected}, but was not present in the JWT claims. (MissingClaimException)',
    keyword: 'was not present in the jwt claims',
    pattern: /\bExpected (?<claim>[\w.:-]{1,64}) claim to be: (?<expected>[^\n]{0,512}?), but was not present in the JWT claims/,
    source: 'jwtk/jjwt: api/src/main/java/io/jsonwebtoken/ClaimJwtException.java',
    samples: [
      {
        text: 'io.jsonwebtoken.MissingClaimException: Expected aud claim to be: web-prod, but was not present in the JWT claims.',
        claim: 'aud',
        expected: 'web-prod',
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// coreos/go-oidc (v2, v3) and oauth2-proxy, which passes its messages on.
// ---------------------------------------------------------------------------------------------
const GO_OIDC = 'coreos/go-oidc: oidc/verify.go';
const GO_OIDC_ENTRIES: TranslationEntry[] = [
  {
    id: 'go-oidc.issuer',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'issuer_mismatch',
    claim: 'iss',
    message: 'oidc: id token issued by a different provider, expected "{expected}" got "{actual}"',
    keyword: 'different provider',
    pattern:
      /oidc: id token issued by a different provider, expected \\?"(?<expected>[^"\\\n]{0,512})\\?" got \\?"(?<actual>[^"\\\n]{0,512})\\?"/,
    source: GO_OIDC,
    samples: [
      {
        text: 'oidc: id token issued by a different provider, expected "https://auth.example.com" got "https://auth.staging.example.com"',
        expected: 'https://auth.example.com',
        actual: 'https://auth.staging.example.com',
        claim: 'iss',
      },
    ],
  },
  {
    id: 'go-oidc.audience',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'audience_mismatch',
    claim: 'aud',
    message: 'oidc: expected audience "{expected}" got [{actual}]',
    keyword: 'expected audience',
    pattern: /oidc: expected audience \\?"(?<expected>[^"\\\n]{0,512})\\?" got (?<actual>\[[^\]\n]{0,512}\])/,
    source: GO_OIDC,
    samples: [
      {
        text: 'oidc: expected audience "web-prod" got ["web-staging" "account"]',
        expected: 'web-prod',
        actual: 'web-staging, account',
        claim: 'aud',
      },
    ],
  },
  {
    id: 'go-oidc.expired',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'token_expired',
    claim: 'exp',
    message: 'oidc: token is expired (Token Expiry: {exp})',
    keyword: 'oidc: token is expired',
    pattern: /oidc: token is expired(?: \(Token Expiry: (?<d_exp>[^)\n]{1,64})\))?/,
    source: GO_OIDC,
    samples: [{ text: 'oidc: token is expired (Token Expiry: 2026-11-28 12:00:00 +0000 UTC)', claim: 'exp' }],
  },
  {
    id: 'go-oidc.not_before',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'token_not_yet_valid',
    claim: 'nbf',
    message: 'oidc: current time {now} before the nbf (not before) time: {nbf}',
    keyword: 'before the nbf',
    pattern: /oidc: current time [^\n]{1,64}? before the nbf \(not before\) time/,
    source: GO_OIDC,
    samples: [
      {
        text: 'oidc: current time 2026-11-28 12:05:00 +0000 UTC before the nbf (not before) time: 2026-11-28 12:10:00 +0000 UTC',
        claim: 'nbf',
      },
    ],
  },
  {
    id: 'go-oidc.algorithm',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'alg_not_allowed',
    claim: 'header.alg',
    message: 'oidc: id token signed with unsupported algorithm, expected [{expected}] got "{actual}"',
    keyword: 'unsupported algorithm',
    pattern:
      /oidc: id token signed with unsupported algorithm, expected (?<expected>\[[^\]\n]{0,256}\]) got \\?"(?<actual>[^"\\\n]{0,32})\\?"/,
    source: GO_OIDC,
    samples: [
      {
        text: 'oidc: id token signed with unsupported algorithm, expected ["RS256"] got "HS256"',
        expected: 'RS256',
        actual: 'HS256',
        claim: 'header.alg',
      },
    ],
  },
  {
    id: 'go-oidc.malformed',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'malformed_token',
    message: 'oidc: malformed jwt: {reason}',
    keyword: 'malformed jwt',
    pattern: /oidc: malformed jwt/,
    source: GO_OIDC,
    samples: [{ text: 'oidc: malformed jwt: go-jose/go-jose: compact JWS format must have three parts' }],
  },
  {
    id: 'go-oidc.fetching_keys',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'jwks_unreachable',
    message: 'failed to verify signature: fetching keys {reason} / oidc: get keys failed',
    keyword: ['fetching keys', 'get keys failed'],
    pattern: /failed to verify signature: fetching keys|oidc: get keys failed/,
    source: 'coreos/go-oidc: oidc/jwks.go',
    samples: [{ text: 'failed to verify signature: fetching keys oidc: get keys failed: 503 Service Unavailable' }],
  },
  {
    id: 'go-oidc.signature',
    verifier: 'go-oidc (oauth2-proxy)',
    code: 'signature_invalid',
    message: 'failed to verify signature: {reason}',
    keyword: ['failed to verify signature', 'failed to verify id token signature'],
    pattern: /failed to verify (?:id token )?signature/,
    source: GO_OIDC + '; coreos/go-oidc: oidc/jwks.go',
    samples: [{ text: 'failed to verify signature: failed to verify id token signature' }],
  },
  {
    id: 'oauth2-proxy.audience',
    verifier: 'oauth2-proxy',
    code: 'audience_mismatch',
    message: 'audience from claim {claim} with value [{actual}] does not match with any of allowed audiences map[{expected}]',
    keyword: 'allowed audiences',
    pattern:
      /audience from claim (?<claim>[\w.:-]{1,64}) with value (?<actual>\[[^\]\n]{0,512}\]|[^\s\n]{1,512}) does not match with any of allowed audiences (?<expected>(?:map)?\[[^\]\n]{0,512}\])/,
    source: 'oauth2-proxy/oauth2-proxy: pkg/providers/oidc/verifier.go',
    samples: [
      {
        text: '[jwt_session.go:51] Error retrieving session from token in Authorization header: [unable to verify bearer token, audience from claim aud with value [account] does not match with any of allowed audiences map[orders-api:{}]]',
        claim: 'aud',
        actual: 'account',
        expected: 'orders-api',
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// golang-jwt/jwt v5 (errors.go, wrapped as "token has invalid claims: ..."), and v4's spellings.
// ---------------------------------------------------------------------------------------------
const GOLANG_JWT = 'golang-jwt/jwt: errors.go';
const golang = family('golang-jwt', 'golang-jwt', GOLANG_JWT);
const GOLANG_JWT_ENTRIES: TranslationEntry[] = [
  golang(
    'audience',
    'audience_mismatch',
    'token has invalid audience (ErrTokenInvalidAudience)',
    /\btoken has invalid audience\b/,
    [{ text: 'token has invalid claims: token has invalid audience', claim: 'aud' }],
    { claim: 'aud', keyword: 'token has invalid audience' },
  ),
  golang(
    'issuer',
    'issuer_mismatch',
    'token has invalid issuer (ErrTokenInvalidIssuer)',
    /\btoken has invalid issuer\b/,
    [{ text: 'token has invalid claims: token has invalid issuer', claim: 'iss' }],
    { claim: 'iss', keyword: 'token has invalid issuer' },
  ),
  golang(
    'subject_id',
    'claim_mismatch',
    'token has invalid subject / token has invalid id',
    /\btoken has invalid (?<claim>subject|id)\b/,
    [{ text: 'token has invalid claims: token has invalid subject', claim: 'subject' }],
    { keyword: 'token has invalid' },
  ),
  golang(
    'expired',
    'token_expired',
    'token is expired (ErrTokenExpired; v4: Token is expired)',
    /(?<!oidc: )\b[Tt]oken is expired\b/,
    [
      { text: 'token has invalid claims: token is expired', claim: 'exp' },
      { text: 'Token is expired', claim: 'exp' },
    ],
    { claim: 'exp', keyword: 'token is expired' },
  ),
  golang(
    'used_before_issued',
    'iat_in_future',
    'token used before issued (ErrTokenUsedBeforeIssued)',
    /\b[Tt]oken used before issued\b/,
    [{ text: 'token has invalid claims: token used before issued', claim: 'iat' }],
    { claim: 'iat', keyword: 'token used before issued' },
  ),
  golang(
    'not_valid_yet',
    'token_not_yet_valid',
    'token is not valid yet (ErrTokenNotValidYet)',
    /(?<!The )\b[Tt]oken is not valid yet\b/,
    [{ text: 'token has invalid claims: token is not valid yet', claim: 'nbf' }],
    { claim: 'nbf', keyword: 'token is not valid yet' },
  ),
  golang(
    'claim_required',
    'missing_claim',
    '{claim} claim is required (ErrTokenRequiredClaimMissing)',
    /(?<!The )\b(?<claim>[\w.:-]{1,64}) claim is required\b/,
    [{ text: 'token has invalid claims: exp claim is required', claim: 'exp' }],
    { keyword: 'claim is required' },
  ),
  golang(
    'signing_method',
    'alg_not_allowed',
    'token signature is invalid: signing method {alg} is invalid',
    /signing method (?<actual>[A-Za-z0-9]{2,16}) is invalid/,
    [{ text: 'token signature is invalid: signing method HS256 is invalid', actual: 'HS256', claim: 'header.alg' }],
    { keyword: 'signing method', claim: 'header.alg' },
  ),
  golang(
    'signature',
    'signature_invalid',
    'token signature is invalid (ErrTokenSignatureInvalid; v4: signature is invalid)',
    /(?<!The )\btoken signature is invalid\b|(?<!\w )\bsignature is invalid\b/,
    [{ text: 'token signature is invalid: crypto/rsa: verification error' }, { text: 'signature is invalid' }],
    { keyword: 'signature is invalid' },
  ),
  golang(
    'malformed',
    'malformed_token',
    'token is malformed (ErrTokenMalformed; v4: token contains an invalid number of segments)',
    /\btoken is malformed\b|\btoken contains an invalid number of segments\b/,
    [{ text: 'token is malformed: could not JSON decode header: invalid character' }],
    { keyword: ['token is malformed', 'invalid number of segments'] },
  ),
  golang(
    'key_type',
    'alg_not_allowed',
    'key is of invalid type (ErrInvalidKeyType)',
    /\bkey is of invalid type\b/,
    [{ text: 'token is unverifiable: error while executing keyfunc: key is of invalid type' }],
    { keyword: 'invalid type' },
  ),
  golang(
    'unverifiable',
    'key_not_found',
    'token is unverifiable: error while executing keyfunc (ErrTokenUnverifiable)',
    /\btoken is unverifiable\b/,
    [{ text: 'token is unverifiable: error while executing keyfunc: kid "prod-2026-12" not found' }],
    { keyword: 'token is unverifiable' },
  ),
];

// ---------------------------------------------------------------------------------------------
// PyJWT (and python-jose, which shares its wording).
// ---------------------------------------------------------------------------------------------
const PYJWT = 'jpadilla/pyjwt: jwt/api_jwt.py';
const PYJWS = 'jpadilla/pyjwt: jwt/api_jws.py';
const py = keyed(family('pyjwt', 'PyJWT (python-jose)', PYJWT));
const PYJWT_ENTRIES: TranslationEntry[] = [
  py(
    'expired',
    'token_expired',
    'Signature has expired (ExpiredSignatureError)',
    ['signature has expired', 'expiredsignatureerror'],
    /\bSignature has expired\b|\bExpiredSignatureError\b/,
    [{ text: 'jwt.exceptions.ExpiredSignatureError: Signature has expired', claim: 'exp' }],
    { claim: 'exp' },
  ),
  py(
    'audience',
    'audience_mismatch',
    "Audience doesn't match / Invalid audience (InvalidAudienceError)",
    ["audience doesn't match", 'invalid audience', 'invalidaudienceerror'],
    /\bAudience doesn't match\b|(?<!\w )\bInvalid audience\b|\bInvalidAudienceError\b/,
    [
      { text: "jwt.exceptions.InvalidAudienceError: Audience doesn't match", claim: 'aud' },
      { text: 'jwt.exceptions.InvalidAudienceError: Invalid audience', claim: 'aud' },
    ],
    { claim: 'aud' },
  ),
  py(
    'issuer',
    'issuer_mismatch',
    'Invalid issuer (InvalidIssuerError)',
    ['invalid issuer', 'invalidissuererror'],
    /(?<!\w )\bInvalid issuer\b|\bInvalidIssuerError\b/,
    [{ text: 'jwt.exceptions.InvalidIssuerError: Invalid issuer', claim: 'iss' }],
    { claim: 'iss' },
  ),
  py(
    'nbf',
    'token_not_yet_valid',
    'The token is not yet valid (nbf) (ImmatureSignatureError)',
    'not yet valid (nbf)',
    /The token is not yet valid \(nbf\)/,
    [{ text: 'jwt.exceptions.ImmatureSignatureError: The token is not yet valid (nbf)', claim: 'nbf' }],
    { claim: 'nbf' },
  ),
  py(
    'iat',
    'iat_in_future',
    'The token is not yet valid (iat) (ImmatureSignatureError)',
    'not yet valid (iat)',
    /The token is not yet valid \(iat\)/,
    [{ text: 'jwt.exceptions.ImmatureSignatureError: The token is not yet valid (iat)', claim: 'iat' }],
    { claim: 'iat' },
  ),
  py(
    'missing_claim',
    'missing_claim',
    'Token is missing the "{claim}" claim (MissingRequiredClaimError)',
    'is missing the',
    /Token is missing the \\?"(?<claim>[\w.:-]{1,64})\\?" claim/,
    [{ text: 'jwt.exceptions.MissingRequiredClaimError: Token is missing the "exp" claim', claim: 'exp' }],
    { source: 'jpadilla/pyjwt: jwt/exceptions.py' },
  ),
  py(
    'signature',
    'signature_invalid',
    'Signature verification failed (InvalidSignatureError)',
    ['signature verification failed', 'invalidsignatureerror'],
    /\bSignature verification failed\b|\bInvalidSignatureError\b/,
    [{ text: 'jwt.exceptions.InvalidSignatureError: Signature verification failed' }],
    { source: PYJWS },
  ),
  py(
    'algorithm',
    'alg_not_allowed',
    'The specified alg value is not allowed (InvalidAlgorithmError)',
    ['the specified alg value', 'invalidalgorithmerror'],
    /The specified alg value is not allowed|\bInvalidAlgorithmError\b/,
    [{ text: 'jwt.exceptions.InvalidAlgorithmError: The specified alg value is not allowed', claim: 'header.alg' }],
    { source: PYJWS, claim: 'header.alg' },
  ),
  py(
    'decode',
    'malformed_token',
    'Not enough segments / Invalid header padding / Invalid crypto padding / Invalid header string (DecodeError)',
    ['not enough segments', 'padding', 'invalid header string', 'invalid payload string'],
    /\bNot enough segments\b|\bInvalid (?:header|payload|crypto) padding\b|\bInvalid (?:header|payload) string\b/,
    [{ text: 'jwt.exceptions.DecodeError: Not enough segments' }, { text: 'jwt.exceptions.DecodeError: Invalid crypto padding' }],
    { source: PYJWS },
  ),
  py(
    'claim_type',
    'malformed_token',
    'Expiration Time claim (exp) must be an integer. (DecodeError)',
    'must be an',
    /(?:Expiration Time|Not Before|Issued At) claim \((?<claim>exp|nbf|iat)\) must be an integer/,
    [{ text: 'jwt.exceptions.DecodeError: Expiration Time claim (exp) must be an integer.', claim: 'exp' }],
  ),
  py(
    'kid',
    'key_not_found',
    'Unable to find a signing key that matches: "{kid}" (PyJWKClientError)',
    'signing key that matches',
    /Unable to find a signing key that matches: \\?"(?<kid>[^"\\\n]{0,256})\\?"/,
    [{ text: 'jwt.exceptions.PyJWKClientError: Unable to find a signing key that matches: "prod-2026-12"', kid: 'prod-2026-12' }],
    { source: 'jpadilla/pyjwt: jwt/jwks_client.py' },
  ),
  py(
    'jwks_fetch',
    'jwks_unreachable',
    'Fail to fetch data from the url, err: "{reason}" (PyJWKClientConnectionError)',
    'fetch data from the url',
    /Fail to fetch data from the url/,
    [
      {
        text: 'jwt.exceptions.PyJWKClientConnectionError: Fail to fetch data from the url, err: "<urlopen error [Errno 111] Connection refused>"',
      },
    ],
    { source: 'jpadilla/pyjwt: jwt/jwks_client.py' },
  ),
];

// ---------------------------------------------------------------------------------------------
// Kong's jwt plugin: JSON bodies {"message": ...} and per-claim errors {"exp": "token expired"}.
// ---------------------------------------------------------------------------------------------
const KONG_HANDLER = 'Kong/kong: kong/plugins/jwt/handler.lua';
const KONG_PARSER = 'Kong/kong: kong/plugins/jwt/jwt_parser.lua';
const kong = keyed(family('kong', 'Kong jwt plugin', KONG_HANDLER));
const KONG: TranslationEntry[] = [
  kong(
    'no_token',
    'header_missing',
    '{"message":"Unauthorized"} (no token in the query, cookies or Authorization)',
    'unauthorized',
    /"message"\s{0,4}:\s{0,4}"Unauthorized"/,
    [{ text: '{"message":"Unauthorized"}' }],
  ),
  kong('multiple_tokens', 'multiple_tokens', 'Multiple tokens provided', 'multiple tokens', /\bMultiple tokens provided\b/, [
    { text: '{"message":"Multiple tokens provided"}' },
  ]),
  kong('unrecognizable', 'malformed_token', 'Unrecognizable token', 'unrecognizable', /\bUnrecognizable token\b/, [
    { text: '{"message":"Unrecognizable token"}' },
  ]),
  kong(
    'bad_alg',
    'alg_not_allowed',
    'Bad token; invalid alg',
    'bad token',
    /\bBad token; invalid alg\b/,
    [{ text: '{"message":"Bad token; invalid alg"}', claim: 'header.alg' }],
    {
      source: KONG_PARSER,
      claim: 'header.alg',
    },
  ),
  kong(
    'bad_token',
    'malformed_token',
    'Bad token; invalid JSON|invalid claims|invalid signature (a segment that does not decode)',
    'bad token',
    /\bBad token; (?<d_reason>invalid JSON|invalid claims|invalid signature)/,
    [{ text: '{"message":"Bad token; invalid signature"}' }, { text: '{"message":"Bad token; invalid JSON"}' }],
    { source: KONG_PARSER },
  ),
  kong(
    'no_key_claim',
    'missing_claim',
    "No mandatory '{claim}' in claims",
    'no mandatory',
    /No mandatory '(?<claim>[\w.:-]{1,64})' in claims/,
    [{ text: '{"message":"No mandatory \'iss\' in claims"}', claim: 'iss' }],
  ),
  kong(
    'no_credentials',
    'key_not_found',
    "No credentials found for given '{claim}'",
    'no credentials found',
    /No credentials found for given '(?<claim>[\w.:-]{1,64})'/,
    [{ text: '{"message":"No credentials found for given \'iss\'"}', claim: 'iss' }],
  ),
  kong(
    'invalid_algorithm',
    'alg_not_allowed',
    'Invalid algorithm',
    'invalid algorithm',
    /(?<!\w )\bInvalid algorithm\b/,
    [{ text: '{"message":"Invalid algorithm"}', claim: 'header.alg' }],
    {
      claim: 'header.alg',
    },
  ),
  kong('invalid_key', 'key_not_found', 'Invalid key/secret', 'invalid key/secret', /\bInvalid key\/secret\b/, [
    { text: '{"message":"Invalid key/secret"}' },
  ]),
  kong('invalid_signature', 'signature_invalid', 'Invalid signature', 'invalid signature', /(?<![\w;:] ?)\bInvalid signature\b/, [
    { text: '{"message":"Invalid signature"}' },
  ]),
  kong(
    'exp',
    'token_expired',
    '{"exp":"token expired"}',
    'token expired',
    /"exp"\s{0,4}:\s{0,4}"token expired"/,
    [{ text: '{"exp":"token expired"}', claim: 'exp' }],
    {
      source: KONG_PARSER,
      claim: 'exp',
    },
  ),
  kong(
    'nbf',
    'token_not_yet_valid',
    '{"nbf":"token not valid yet"}',
    'token not valid yet',
    /"nbf"\s{0,4}:\s{0,4}"token not valid yet"/,
    [{ text: '{"nbf":"token not valid yet"}', claim: 'nbf' }],
    {
      source: KONG_PARSER,
      claim: 'nbf',
    },
  ),
  kong(
    'claim_type',
    'malformed_token',
    '{"exp":"must be a number"}',
    'must be a number',
    /"(?<claim>exp|nbf)"\s{0,4}:\s{0,4}"must be a number"/,
    [{ text: '{"exp":"must be a number"}', claim: 'exp' }],
    {
      source: KONG_PARSER,
    },
  ),
  kong(
    'max_exp',
    'token_lifetime_exceeds_policy',
    '{"exp":"exceeds maximum allowed expiration"}',
    'maximum allowed expiration',
    /exceeds maximum allowed expiration/,
    [{ text: '{"exp":"exceeds maximum allowed expiration"}', claim: 'exp' }],
    { source: KONG_PARSER, claim: 'exp' },
  ),
];

// ---------------------------------------------------------------------------------------------
// dwyl/hapi-auth-jwt2: Boom errors over jsonwebtoken.
// ---------------------------------------------------------------------------------------------
const HAPI = 'dwyl/hapi-auth-jwt2: lib/index.js';
const HAPI_ENTRIES: TranslationEntry[] = [
  {
    id: 'hapi-auth-jwt2.expired',
    verifier: 'hapi-auth-jwt2',
    code: 'token_expired',
    claim: 'exp',
    message: 'Expired token (older releases: Token expired)',
    keyword: ['expired token', 'token expired'],
    pattern: /\bExpired token\b|\bToken expired\b/,
    source: HAPI,
    samples: [
      { text: '{"statusCode":401,"error":"Unauthorized","message":"Expired token","attributes":{"error":"Expired token"}}', claim: 'exp' },
    ],
  },
  {
    id: 'hapi-auth-jwt2.format',
    verifier: 'hapi-auth-jwt2',
    code: 'malformed_token',
    message: 'Invalid token format',
    keyword: 'invalid token format',
    pattern: /\bInvalid token format\b/,
    source: HAPI,
    samples: [{ text: '{"statusCode":401,"error":"Unauthorized","message":"Invalid token format"}' }],
  },
  {
    id: 'hapi-auth-jwt2.missing',
    verifier: 'hapi-auth-jwt2',
    code: 'header_missing',
    message: 'token is null',
    keyword: 'token is null',
    pattern: /\btoken is null\b/,
    source: HAPI,
    samples: [{ text: 'Token error="token is null"' }],
  },
  {
    id: 'hapi-auth-jwt2.invalid',
    verifier: 'hapi-auth-jwt2',
    code: 'token_rejected',
    generic: true,
    message: 'Invalid token (any jsonwebtoken failure but expiry)',
    keyword: 'invalid token',
    pattern: /\bInvalid token\b(?! format)/,
    source: HAPI,
    samples: [{ text: '{"statusCode":401,"error":"Unauthorized","message":"Invalid token","attributes":{"error":"Invalid token"}}' }],
  },
  {
    id: 'hapi-auth-jwt2.credentials',
    verifier: 'hapi-auth-jwt2',
    code: 'token_rejected',
    generic: true,
    message: 'Invalid credentials (the validate function returned isValid: false)',
    keyword: 'invalid credentials',
    pattern: /\bInvalid credentials\b/,
    source: HAPI,
    samples: [{ text: '{"statusCode":401,"error":"Unauthorized","message":"Invalid credentials"}' }],
  },
];

// ---------------------------------------------------------------------------------------------
// RFC 6750 section 3.1 error codes, when nothing more specific is said (WWW-Authenticate or a JSON body).
// ---------------------------------------------------------------------------------------------
const RFC6750 = 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1';
const RFC6750_ENTRIES: TranslationEntry[] = [
  {
    id: 'rfc6750.insufficient_scope',
    verifier: 'RFC 6750 Bearer challenge',
    code: 'insufficient_scope',
    generic: true,
    message: 'error="insufficient_scope", scope="{expected}"',
    keyword: 'insufficient_scope',
    pattern: /\berror\\?"?\s{0,4}[=:]\s{0,4}\\?"insufficient_scope\\?"(?:[^\n]{0,512}?\bscope\s{0,4}=\s{0,4}"(?<expected>[^"\n]{0,256})")?/,
    claim: 'scope',
    source: RFC6750,
    samples: [
      {
        text: 'WWW-Authenticate: Bearer realm="api", error="insufficient_scope", scope="orders:write"',
        claim: 'scope',
        expected: 'orders:write',
      },
    ],
  },
  {
    id: 'rfc6750.invalid_request',
    verifier: 'RFC 6750 Bearer challenge',
    code: 'header_malformed',
    generic: true,
    message: 'error="invalid_request"',
    keyword: 'invalid_request',
    pattern: /\berror\\?"?\s{0,4}[=:]\s{0,4}\\?"invalid_request\\?"/,
    source: RFC6750,
    samples: [{ text: 'Bearer error="invalid_request"' }],
  },
  {
    id: 'rfc6750.invalid_token',
    verifier: 'RFC 6750 Bearer challenge',
    code: 'token_rejected',
    generic: true,
    message: 'error="invalid_token" (no error_description a verifier of this table wrote)',
    keyword: 'invalid_token',
    pattern: /\berror\\?"?\s{0,4}[=:]\s{0,4}\\?"invalid_token\\?"/,
    source: RFC6750,
    samples: [
      { text: 'WWW-Authenticate: Bearer realm="api", error="invalid_token"' },
      { text: '{"error":"invalid_token","error_description":"Access denied"}' },
    ],
  },
  {
    id: 'rfc6750.no_error',
    verifier: 'RFC 6750 Bearer challenge',
    code: 'header_missing',
    generic: true,
    message: 'Bearer realm="{realm}" (a challenge without an error code: no credentials were sent)',
    keyword: 'bearer',
    pattern: /^\s{0,8}(?:WWW-Authenticate:\s{0,8})?Bearer(?:\s{1,8}realm="[^"\n]{0,256}")?\s{0,8}$/i,
    source: RFC6750 + ' (section 3.1: no error code when the request lacks authentication)',
    samples: [{ text: 'WWW-Authenticate: Bearer realm="api"' }, { text: 'Bearer' }],
  },
];

/** The table, specific entries before generic ones (translate.ts keeps that order when it compiles). */
export const TRANSLATIONS: readonly TranslationEntry[] = [
  ...ENVOY,
  ISTIO_RBAC,
  ...GO_OIDC_ENTRIES,
  ...SPRING,
  ...IDENTITY_MODEL,
  ...ASPNET,
  ...JOSE,
  ...FAST_JWT,
  ...NODE_MIDDLEWARE,
  ...JSONWEBTOKEN,
  ...GOLANG_JWT_ENTRIES,
  ...PYJWT_ENTRIES,
  ...KONG,
  ...HAPI_ENTRIES,
  ...RFC6750_ENTRIES,
];

/** The code a claim failure means when the claim is named (jose, fast-jwt, Spring, jjwt). */
export const CLAIM_CODES: Readonly<Record<string, ReasonCode>> = {
  iss: 'issuer_mismatch',
  aud: 'audience_mismatch',
  typ: 'typ_mismatch',
};
