import { ECHO_SCHEMA, type EchoHeader, type EchoReport } from './echo_handler.ts';
import { fingerprintToken } from './fingerprint.ts';

export type ModificationKind = 'moved' | 'truncated' | 're_encoded' | 're_schemed' | 'replaced' | 'duplicated';

/** What happened to the token header between the client and the API, proven by the echo. */
export type HeaderFate =
  | { status: 'intact'; header: string }
  | { status: 'missing'; header: string; otherHeaders: string[]; cookies: string[] }
  | { status: 'modified'; kind: ModificationKind; header: string; detail: Record<string, unknown> }
  | { status: 'unknown'; why: 'echo_disabled' | 'echo_unavailable' | 'echo_not_json' | 'transport_error'; httpStatus?: number };

export interface SentHeader {
  /** Header name, lower case. */
  header: string;
  scheme: string | null;
  token: string;
}

/** Ways a proxy commonly re-encodes a value (name -> transformed token). */
function encodings(token: string, scheme: string | null): [string, string][] {
  const full = scheme ? `${scheme} ${token}` : token;
  return [
    ['base64', Buffer.from(token).toString('base64')],
    ['base64_of_header_value', Buffer.from(full).toString('base64')],
    ['percent_encoded', encodeURIComponent(full)],
    ['quoted', `"${token}"`],
    ['lower_case', token.toLowerCase()],
    ['upper_case', token.toUpperCase()],
  ];
}

function matchesValue(h: EchoHeader, sha: string): boolean {
  return h.credentials.sha256 === sha || h.token?.sha256 === sha;
}

/**
 * Compares what the echo saw with what was sent: intact, missing
 * (stripped), or modified (moved to another header, truncated,
 * re-encoded, re-schemed, replaced, duplicated). Only lengths and SHA-256
 * are compared: the echo never returns the token.
 *
 * @example classifyEcho({ header: 'authorization', scheme: 'Bearer', token }, echo).status // 'intact'
 */
export function classifyEcho(sent: SentHeader, echo: unknown): HeaderFate {
  if (!isEchoReport(echo)) return { status: 'unknown', why: 'echo_not_json' };
  const sha = fingerprintToken(sent.token);
  const target = echo.headers.find((h) => h.name === sent.header);
  if (target) {
    const intact = target.credentials.sha256 === sha && (sent.scheme === null ? target.scheme === null : target.scheme === sent.scheme);
    if (target.count > 1) return { status: 'modified', kind: 'duplicated', header: sent.header, detail: { count: target.count } };
    if (intact) return { status: 'intact', header: sent.header };
    const len = target.credentials.length;
    const sameScheme = sent.scheme !== null && target.scheme === sent.scheme;
    if (target.credentials.sha256 === sha || (target.token?.sha256 === sha && !sameScheme)) {
      // RFC 9110 section 11.1: schemes compare case-insensitively, but many verifiers compare bytes.
      return {
        status: 'modified',
        kind: 're_schemed',
        header: sent.header,
        detail: { expectedScheme: sent.scheme, receivedScheme: target.scheme, sentLength: sent.token.length, receivedLength: len },
      };
    }
    if (len < sent.token.length && fingerprintToken(sent.token.slice(0, len)) === target.credentials.sha256) {
      return {
        status: 'modified',
        kind: 'truncated',
        header: sent.header,
        detail: { sentLength: sent.token.length, receivedLength: len, receivedScheme: target.scheme },
      };
    }
    for (const [name, value] of encodings(sent.token, sent.scheme)) {
      const vs = fingerprintToken(value);
      if (matchesValue(target, vs)) {
        return {
          status: 'modified',
          kind: 're_encoded',
          header: sent.header,
          detail: { encoding: name, sentLength: sent.token.length, receivedLength: len, receivedScheme: target.scheme },
        };
      }
    }
    // The token is intact inside, wrapped in something the candidates above do not name.
    if (target.token?.sha256 === sha)
      return {
        status: 'modified',
        kind: 're_encoded',
        header: sent.header,
        detail: { encoding: 'wrapped', sentLength: sent.token.length, receivedLength: len, receivedScheme: target.scheme },
      };
    const detail: Record<string, unknown> = { sentLength: sent.token.length, receivedLength: len, receivedScheme: target.scheme };
    if (target.token)
      detail.otherToken = {
        length: target.token.length,
        decodes: target.token.decodes,
        ...(target.token.kid !== undefined ? { kid: target.token.kid } : {}),
      };
    return { status: 'modified', kind: 'replaced', header: sent.header, detail };
  }
  const moved = echo.headers.find((h) => matchesValue(h, sha));
  if (moved)
    return {
      status: 'modified',
      kind: 'moved',
      header: moved.name,
      detail: { from: sent.header, header: moved.name, receivedScheme: moved.scheme },
    };
  return { status: 'missing', header: sent.header, otherHeaders: echo.headers.map((h) => h.name), cookies: echo.cookies };
}

function isEchoReport(v: unknown): v is EchoReport {
  const o = v as EchoReport | null;
  return o !== null && typeof o === 'object' && o.schema === ECHO_SCHEMA && Array.isArray(o.headers) && Array.isArray(o.cookies);
}
