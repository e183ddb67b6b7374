/**
 * What the ui server refuses, before any work: the checks Jupyter's server
 * makes, for a page that holds tokens. The server listens on 127.0.0.1
 * only, yet any web page the user opens can send requests there, and a
 * DNS-rebinding page can even make them same-origin under its own name:
 * so the Host must be ours, the Origin (when a browser sends one) the
 * page's own, and every API call must carry the random access token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Every response carries these (the page needs nothing more: everything is bundled and same-origin). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** The header the page sends the access token in (never a cookie: no ambient authority for other pages to borrow). */
export const ACCESS_TOKEN_HEADER = 'x-jwt-doctor-token';

/** Largest request body accepted: a pasted curl command or request dump fits many times over. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A refused request: the HTTP status and a stable code for the JSON answer. */
export interface Refusal {
  status: number;
  code:
    | 'host_not_allowed'
    | 'origin_not_allowed'
    | 'access_token_required'
    | 'access_token_invalid'
    | 'method_not_allowed'
    | 'content_type_not_json'
    | 'body_too_large'
    | 'not_found'
    | 'invalid_json'
    | 'invalid_request'
    | 'unknown_environment'
    | 'internal_error';
  message: string;
}

export const refuse = (status: number, code: Refusal['code'], message: string): Refusal => ({ status, code, message });

/** The Host values that name this server: a DNS-rebinding page sends its own name (RFC 9110 section 7.2). */
export function checkHost(req: IncomingMessage, port: number): Refusal | undefined {
  const host = req.headers.host;
  if (host === `127.0.0.1:${port}` || host === `localhost:${port}`) return undefined;
  return refuse(403, 'host_not_allowed', `Host must be 127.0.0.1:${port} or localhost:${port}`);
}

/**
 * An API request's origin: a browser's Origin must be the page's own
 * (http://<our Host>), and Sec-Fetch-Site, when sent, same-origin. A
 * request without either comes from a non-browser client, which still
 * needs the access token.
 */
export function checkOrigin(req: IncomingMessage): Refusal | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`)
    return refuse(403, 'origin_not_allowed', 'requests must come from the page this server serves');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return refuse(403, 'origin_not_allowed', 'requests must come from the page this server serves');
  return undefined;
}

/** The access token, compared in constant time (hashing first makes the lengths equal). */
export function checkAccessToken(req: IncomingMessage, expected: string): Refusal | undefined {
  const given = req.headers[ACCESS_TOKEN_HEADER];
  if (typeof given !== 'string' || given === '')
    return refuse(
      403,
      'access_token_required',
      `send the access token of the URL jwt-doctor ui printed in the ${ACCESS_TOKEN_HEADER} header`,
    );
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!timingSafeEqual(digest(given), digest(expected)))
    return refuse(403, 'access_token_invalid', 'the access token does not match: open the URL jwt-doctor ui printed');
  return undefined;
}

/** POST bodies are JSON only: a form or text/plain body is what a cross-site page can send without a preflight. */
export function checkJsonBody(req: IncomingMessage): Refusal | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return refuse(415, 'content_type_not_json', 'send the body as application/json');
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) return refuse(413, 'body_too_large', `the body is over ${MAX_BODY_BYTES} bytes`);
  return undefined;
}
