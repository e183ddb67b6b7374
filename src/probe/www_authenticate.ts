import { isReasonCode, type ReasonCode } from '../reasons.ts';

export interface Challenge {
  /** Auth scheme as sent (compare case-insensitively, RFC 9110 section 11.1). */
  scheme: string;
  /** auth-params, names lower-cased, quoted-string values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM = new RegExp(`^(${TOKEN})\\s*=\\s*(.*)$`, 's');
const SCHEME_REST = new RegExp(`^(${TOKEN})(?:\\s+(.*))?$`, 's');

/** Splits on commas outside quoted strings. */
function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      cur += ch + value[++i]!;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/**
 * Parses WWW-Authenticate values into challenges (RFC 9110 section 11.6.1,
 * grammar from section 11.2: a scheme, then a token68 or comma-separated
 * auth-params; several challenges may share one field value). Lenient:
 * never throws, skips what it cannot read.
 *
 * @example
 * parseWwwAuthenticate('Bearer realm="api", error="invalid_token", error_description="token_expired"')
 * // [{ scheme: 'Bearer', params: { realm: 'api', error: 'invalid_token', error_description: 'token_expired' } }]
 */
export function parseWwwAuthenticate(values: string | readonly string[] | undefined): Challenge[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const out: Challenge[] = [];
  for (const value of list) {
    let current: Challenge | undefined;
    for (const item of splitTopLevel(value)) {
      if (item === '') continue;
      const param = PARAM.exec(item);
      if (param && current && !/^=*$/.test(param[2]!)) {
        current.params[param[1]!.toLowerCase()] = unquote(param[2]!);
        continue;
      }
      const m = SCHEME_REST.exec(item);
      if (!m) continue;
      current = { scheme: m[1]!, params: {} };
      out.push(current);
      const rest = m[2]?.trim();
      if (!rest) continue;
      const p = PARAM.exec(rest);
      if (p && !/^=*$/.test(p[2]!)) current.params[p[1]!.toLowerCase()] = unquote(p[2]!);
      else current.token68 = rest;
    }
  }
  return out;
}

/** What the API said about a rejected token, mapped to our codes. */
export interface RejectionReason {
  /** Our reason code, when known. */
  code?: ReasonCode;
  /** Where the code came from. */
  source: 'error_description' | 'rfc6750_error' | 'no_error_code' | 'known_verifier' | 'none';
  /** RFC 6750 section 3 fields, as received. */
  error?: string;
  errorDescription?: string;
  realm?: string;
  scope?: string;
}

/**
 * Messages of common verifiers (jsonwebtoken / express-jwt, jose,
 * fast-jwt) mapped to our codes, for APIs that put them in
 * error_description or the body.
 */
const KNOWN_VERIFIER_MESSAGES: [RegExp, ReasonCode][] = [
  [/jwt expired|ERR_JWT_EXPIRED|FAST_JWT_EXPIRED|"exp" claim timestamp check failed/i, 'token_expired'],
  [/jwt not active|FAST_JWT_INACTIVE|"nbf" claim timestamp check failed/i, 'token_not_yet_valid'],
  [/jwt audience invalid|"aud" claim check failed|FAST_JWT_CLAIM_VALUE_INVALID.*aud/i, 'audience_mismatch'],
  [/jwt issuer invalid|"iss" claim check failed/i, 'issuer_mismatch'],
  [
    /invalid signature|ERR_JWS_SIGNATURE_VERIFICATION_FAILED|FAST_JWT_INVALID_SIGNATURE|signature verification failed/i,
    'signature_invalid',
  ],
  [/jwt malformed|ERR_JWS_INVALID|ERR_JWT_INVALID|FAST_JWT_MALFORMED|invalid token/i, 'malformed_token'],
  [/no authorization token was found|credentials_required|FAST_JWT_MISSING_TOKEN/i, 'header_missing'],
  [/ERR_JWKS_NO_MATCHING_KEY|no matching key|FAST_JWT_MISSING_KEY|secret or public key must be provided/i, 'key_not_found'],
  [/invalid algorithm|ERR_JOSE_ALG_NOT_ALLOWED|FAST_JWT_INVALID_ALGORITHM/i, 'alg_not_allowed'],
];

/** Maps a known verifier's message to our code. */
export function mapVerifierMessage(text: string | undefined): ReasonCode | undefined {
  if (!text) return undefined;
  for (const [re, code] of KNOWN_VERIFIER_MESSAGES) if (re.test(text)) return code;
  return undefined;
}

/**
 * The reason for a rejection, from the Bearer challenge (RFC 6750
 * section 3) and, failing that, a known verifier's message in the body:
 * an error_description that is one of our codes wins; then the RFC 6750
 * error (`invalid_token` -> `token_rejected`, `invalid_request` ->
 * `header_malformed`, `insufficient_scope`); a Bearer challenge without
 * an error code means the API saw no credentials (RFC 6750 section 3.1).
 *
 * @example mapRejection(parseWwwAuthenticate('Bearer error="invalid_token", error_description="audience_mismatch"')).code // 'audience_mismatch'
 */
export function mapRejection(challenges: readonly Challenge[], body = ''): RejectionReason {
  const bearer = challenges.find((c) => c.scheme.toLowerCase() === 'bearer');
  const out: RejectionReason = { source: 'none' };
  if (bearer) {
    const p = bearer.params;
    if (p.error !== undefined) out.error = p.error;
    if (p.error_description !== undefined) out.errorDescription = p.error_description;
    if (p.realm !== undefined) out.realm = p.realm;
    if (p.scope !== undefined) out.scope = p.scope;
    const desc = p.error_description?.trim();
    if (desc !== undefined && isReasonCode(desc)) return { ...out, code: desc, source: 'error_description' };
    const known = mapVerifierMessage(desc);
    if (known) return { ...out, code: known, source: 'known_verifier' };
    if (p.error === 'invalid_token') return { ...out, code: 'token_rejected', source: 'rfc6750_error' };
    if (p.error === 'invalid_request') return { ...out, code: 'header_malformed', source: 'rfc6750_error' };
    if (p.error === 'insufficient_scope') return { ...out, code: 'insufficient_scope', source: 'rfc6750_error' };
    if (p.error === undefined) return { ...out, code: 'header_missing', source: 'no_error_code' };
  }
  const fromBody = mapVerifierMessage(body.slice(0, 2048));
  if (fromBody) return { ...out, code: fromBody, source: 'known_verifier' };
  return out;
}
