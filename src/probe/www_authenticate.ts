import { isReasonCode, type ReasonCode } from '../reasons.ts';
import { translateMessage } from '../explain/translate.ts';
import type { Challenge } from '../explain/www_authenticate.ts';

// The parser lives below the front ends (explain's table needs it); probe keeps exporting it.
export { parseWwwAuthenticate, type Challenge } from '../explain/www_authenticate.ts';

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
  /** The verifier whose message was recognised (src/explain/translations.ts), for `known_verifier`. */
  verifier?: string;
}

/** How much of a response body is read for a verifier's message. */
const BODY_CHARS = 2048;

/**
 * The reason for a rejection, from the Bearer challenge (RFC 6750
 * section 3) and, failing that, a known verifier's message in the body:
 * an error_description that is one of our codes wins; then a description
 * the translation table knows (src/explain/translations.ts: Envoy, jose,
 * jsonwebtoken, Spring, .NET, ...); then the RFC 6750 error
 * (`invalid_token` -> `token_rejected`, `invalid_request` ->
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
    const known = desc ? translateMessage(desc) : undefined;
    if (known) return { ...out, code: known.code, source: 'known_verifier', verifier: known.verifier };
    if (p.error === 'invalid_token') return { ...out, code: 'token_rejected', source: 'rfc6750_error' };
    if (p.error === 'invalid_request') return { ...out, code: 'header_malformed', source: 'rfc6750_error' };
    if (p.error === 'insufficient_scope') return { ...out, code: 'insufficient_scope', source: 'rfc6750_error' };
    if (p.error === undefined) return { ...out, code: 'header_missing', source: 'no_error_code' };
  }
  const fromBody = body === '' ? undefined : translateMessage(body.slice(0, BODY_CHARS));
  if (fromBody) return { ...out, code: fromBody.code, source: 'known_verifier', verifier: fromBody.verifier };
  return out;
}
