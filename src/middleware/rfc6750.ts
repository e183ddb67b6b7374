import { REASONS, type ReasonCode } from '../reasons.ts';

/** What a rejected request is answered with (RFC 6750 section 3). */
export interface BearerChallenge {
  status: number;
  /** RFC 6750 section 3.1 error code; absent when no token was sent. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** The reason code only: never a token, secret or claim value. */
  description: ReasonCode;
  /** For insufficient_scope: the scopes the route requires (RFC 6750 section 3). */
  scope?: string[];
}

/**
 * The challenge for a reason code, from the registry's `rfc6750` and
 * `status` columns. `header_missing` carries no error attribute: RFC 6750
 * section 3.1 says a request without authentication information SHOULD
 * NOT get an error code.
 *
 * @example challengeFor('token_expired') // { status: 401, error: 'invalid_token', description: 'token_expired' }
 */
export function challengeFor(code: ReasonCode, scope?: string[]): BearerChallenge {
  const entry = REASONS[code];
  if (code === 'header_missing') return { status: 401, description: code };
  // A verifier-side outage (revocation_unavailable, 503) says nothing about the token: no invalid_token.
  if (entry.status >= 500) return { status: entry.status, description: code };
  const c: BearerChallenge = { status: entry.status, error: entry.rfc6750 ?? 'invalid_token', description: code };
  if (scope && scope.length > 0) c.scope = scope;
  return c;
}

// RFC 7230 section 3.2.6 quoted-string: escape backslash and double quote,
// drop anything outside printable ASCII so a header can never be split.
function quote(value: string): string {
  return '"' + value.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/**
 * The `WWW-Authenticate` header value (RFC 6750 section 3).
 *
 * @example
 * formatWwwAuthenticate('orders-api', challengeFor('token_expired'));
 * // 'Bearer realm="orders-api", error="invalid_token", error_description="token_expired"'
 */
export function formatWwwAuthenticate(realm: string, challenge: BearerChallenge): string {
  let v = `Bearer realm=${quote(realm)}`;
  if (challenge.error === undefined) return challenge.status >= 500 ? `${v}, error_description=${quote(challenge.description)}` : v;
  v += `, error=${quote(challenge.error)}, error_description=${quote(challenge.description)}`;
  // RFC 6750 section 3: scope is a space-delimited list of scope tokens.
  if (challenge.scope) v += `, scope=${quote(challenge.scope.join(' '))}`;
  return v;
}
