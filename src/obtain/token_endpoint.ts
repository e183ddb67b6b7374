import { makeFinding, type Finding } from '../reasons.ts';
import { fetchText } from '../net/fetch_text.ts';
import { isJsonMediaType } from '../net/fetch_json.ts';
import { parseStrictJson } from '../token/strict_json.ts';

/** One request to an OAuth 2.0 token endpoint (RFC 6749 section 3.2). */
export interface TokenRequest {
  endpoint: string;
  /** grant_type and the grant's parameters (scope, resource, refresh_token, ...). */
  params: Record<string, string | string[]>;
  clientId: string;
  clientSecret?: string;
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  timeoutMs: number;
  maxBytes?: number;
}

/** RFC 6749 section 5.1, as read. */
export interface TokenResponse {
  ok: true;
  accessToken: string;
  tokenType?: string;
  expiresIn?: number;
  refreshToken?: string;
  scope?: string;
  latencyMs: number;
}

export type TokenEndpointResult = TokenResponse | { ok: false; finding: Finding; latencyMs: number };

// RFC 6749 section 2.3.1: client_id and client_secret are form-urlencoded before Basic encoding.
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

/**
 * POSTs a token request and reads the answer: a token response (200), an
 * OAuth error response (400/401: `token_request_rejected` with the
 * `error` code), or no usable answer (`token_endpoint_unreachable`: down,
 * timeout, 5xx, not a token response). Never follows a redirect (the body
 * carries credentials). Never throws; no finding carries the secret, the
 * refresh token or an access token.
 *
 * @example await requestToken({ endpoint, params: { grant_type: 'client_credentials' }, clientId: 'ci', clientSecret, timeoutMs: 5000 })
 */
export async function requestToken(req: TokenRequest): Promise<TokenEndpointResult> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(req.params)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (req.authMethod === 'client_secret_post' || req.clientSecret === undefined) {
    body.set('client_id', req.clientId);
    if (req.clientSecret !== undefined) body.set('client_secret', req.clientSecret);
  } else headers.authorization = `Basic ${Buffer.from(`${formEncode(req.clientId)}:${formEncode(req.clientSecret)}`).toString('base64')}`;
  const r = await fetchText(req.endpoint, {
    method: 'POST',
    body: body.toString(),
    headers,
    accept: 'application/json',
    timeoutMs: req.timeoutMs,
    answerStatuses: [400, 401],
    ...(req.maxBytes !== undefined ? { maxBytes: req.maxBytes } : {}),
  });
  const at = { endpoint: req.endpoint, grantType: String(req.params.grant_type) };
  if (!r.ok) return unreachable(at, r.error, r.message, r.elapsedMs, r.status);
  const json = isJsonMediaType(r.headers['content-type']) ? parseStrictJson(r.text) : undefined;
  const doc =
    json?.ok && json.value !== null && typeof json.value === 'object' && !Array.isArray(json.value)
      ? (json.value as Record<string, unknown>)
      : undefined;
  if (r.status === 400 || r.status === 401)
    return rejected(at, r.status, doc, [req.clientSecret, ...[req.params.refresh_token ?? []].flat()], r.elapsedMs);
  if (!doc || typeof doc.access_token !== 'string' || doc.access_token === '')
    return unreachable(
      at,
      'invalid_response',
      'the answer is not a token response (RFC 6749 section 5.1: a JSON object with access_token)',
      r.elapsedMs,
      r.status,
    );
  return {
    ok: true,
    accessToken: doc.access_token,
    latencyMs: r.elapsedMs,
    ...(typeof doc.token_type === 'string' ? { tokenType: doc.token_type } : {}),
    ...(typeof doc.expires_in === 'number' && Number.isFinite(doc.expires_in) ? { expiresIn: doc.expires_in } : {}),
    ...(typeof doc.refresh_token === 'string' ? { refreshToken: doc.refresh_token } : {}),
    ...(typeof doc.scope === 'string' ? { scope: doc.scope } : {}),
  };
}

/** `token_endpoint_unreachable` with where it was asked (`at`), the error and the time spent: also discovery's failure (discover_token_endpoint.ts). */
export function unreachable(
  at: Record<string, string>,
  error: string,
  message: string,
  latencyMs: number,
  status?: number,
): { ok: false; finding: Finding; latencyMs: number } {
  return {
    ok: false,
    latencyMs,
    finding: makeFinding('token_endpoint_unreachable', {
      claim: 'token_endpoint',
      actual: error,
      detail: { ...at, error, message, ...(status !== undefined ? { status } : {}), elapsedMs: latencyMs },
    }),
  };
}

/** C0 controls and DEL as spaces: the server's text goes into a terminal line. */
const stripControls = (text: string): string =>
  Array.from(text, (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('');

/** RFC 6749 section 5.2: error, error_description. The description is the server's text: bounded, and any secret sent is cut out. */
function rejected(
  at: Record<string, string>,
  status: number,
  doc: Record<string, unknown> | undefined,
  sent: (string | undefined)[],
  latencyMs: number,
): TokenEndpointResult {
  const oauthError = typeof doc?.error === 'string' ? doc.error.slice(0, 64) : null;
  let description = typeof doc?.error_description === 'string' ? stripControls(doc.error_description).slice(0, 200) : undefined;
  for (const s of sent) if (s && description !== undefined) description = description.split(s).join('[redacted]');
  const hint =
    oauthError === 'invalid_grant'
      ? 'The refresh token (or code) is expired, revoked or was issued to another client: obtain a new one.'
      : undefined;
  return {
    ok: false,
    latencyMs,
    finding: makeFinding('token_request_rejected', {
      claim: 'token_endpoint',
      actual: oauthError,
      ...(hint ? { hint } : {}),
      detail: { ...at, status, oauthError, ...(description !== undefined ? { errorDescription: description } : {}), elapsedMs: latencyMs },
    }),
  };
}
