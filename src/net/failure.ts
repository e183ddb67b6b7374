/**
 * One failure vocabulary for both HTTP clients: `fetchText` / `fetchJson`
 * (documents: JWKS, discovery, debug endpoint, metrics) and the probe's
 * `sendRequest` (raw node:http against the API under test: docs/network.md
 * says why it cannot be fetch). Each client reports the kinds it can tell
 * apart; a finding's `detail.error` is always one of these names.
 */
export const NET_ERROR_KINDS = [
  // No request was made.
  'invalid_url',
  'invalid_request',
  // No complete HTTP answer. fetch (undici) hides the socket error behind one `network`;
  // raw node:http sees the code and names it (refused, dns, tls, ...).
  'timeout',
  'network',
  'refused',
  'unreachable',
  'dns',
  'tls',
  'non_http',
  'reset',
  'too_large',
  // An answer that is not the document asked for (documents only: the probe reports any status).
  'http_status',
  'redirect',
  'content_type',
  'invalid_json',
] as const;

export type NetErrorKind = (typeof NET_ERROR_KINDS)[number];

/** What `fetchText` / `fetchJson` report. */
export type FetchErrorKind = Extract<
  NetErrorKind,
  'timeout' | 'network' | 'http_status' | 'invalid_json' | 'too_large' | 'invalid_url' | 'redirect' | 'content_type'
>;

/** Why the probe's request got no HTTP answer. */
export type TransportErrorKind = Extract<
  NetErrorKind,
  'invalid_url' | 'invalid_request' | 'refused' | 'unreachable' | 'dns' | 'timeout' | 'tls' | 'non_http' | 'reset' | 'too_large' | 'network'
>;

/** The shape every failed exchange shares, whichever client made it. Never thrown: returned as a value. */
export interface NetFailure<K extends NetErrorKind = NetErrorKind> {
  ok: false;
  /** The URL asked for. */
  url: string;
  error: K;
  message: string;
  /** Milliseconds from the start to the failure. */
  elapsedMs: number;
}

/**
 * Maps a socket, TLS or parser error code (ECONNREFUSED, HPE_INVALID_CONSTANT,
 * ERR_SSL_WRONG_VERSION_NUMBER, ...) to a kind a report can name.
 */
export function classifyTransportError(code: string | undefined, message: string): TransportErrorKind {
  const c = code ?? '';
  if (c === 'ECONNREFUSED') return 'refused';
  if (c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'EADDRNOTAVAIL') return 'unreachable';
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') return 'dns';
  if (c.startsWith('HPE_')) return 'non_http';
  if (
    c.startsWith('ERR_SSL') ||
    c.startsWith('ERR_TLS') ||
    c === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(c) ||
    /ssl|tls|certificate/i.test(message)
  )
    return 'tls';
  if (c === 'ECONNRESET' || c === 'EPIPE' || /socket hang up/i.test(message)) return 'reset';
  return 'network';
}
