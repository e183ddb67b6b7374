import type { IncomingHttpHeaders } from 'node:http';
import type { TokenSourceConfig } from '../contract/sections.ts';

/** The part of a request the verifier reads: Node's IncomingMessage, Express and Fastify requests all fit. */
export interface RequestHeadersLike {
  headers: IncomingHttpHeaders;
  /** Node's raw header list: used to see a header sent twice (Node drops duplicate Authorization). */
  rawHeaders?: string[];
}

export type TokenExtraction =
  | { ok: true; token: string }
  | { ok: false; code: 'header_missing' | 'header_malformed' | 'multiple_tokens'; detail: Record<string, unknown> };

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const COMPACT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2,4}$/;

function countRaw(raw: string[] | undefined, name: string): number {
  if (!raw) return 1;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) n++;
  return n;
}

/** Two or more compact tokens side by side ("a.b.c, d.e.f" or "Bearer a.b.c, Bearer d.e.f"). */
function looksLikeSeveral(value: string, scheme: string | null): boolean {
  const parts = value.split(/\s*,\s*|\s+/).filter((p) => p !== '' && (scheme === null || p.toLowerCase() !== scheme.toLowerCase()));
  return parts.length > 1 && parts.filter((p) => COMPACT.test(p)).length > 1;
}

/**
 * Reads the token from the configured place. Strict on purpose: a
 * middleware answers a malformed header with 400 `invalid_request`
 * (RFC 6750 section 3.1) instead of guessing what the client meant;
 * `jwt-doctor diagnose` is the lenient reader for pasted tokens.
 *
 * @example extractToken({ headers: { authorization: 'Bearer eyJ...' } }, DEFAULT_TOKEN_SOURCE) // { ok: true, token: 'eyJ...' }
 */
export function extractToken(req: RequestHeadersLike, source: TokenSourceConfig): TokenExtraction {
  if ('cookie' in source) return fromCookie(req, source.cookie);
  const raw = req.headers[source.header];
  if (raw === undefined) return { ok: false, code: 'header_missing', detail: { header: source.header } };
  // RFC 6750 section 2: one token per request; Node keeps only the first Authorization line.
  if (Array.isArray(raw) || countRaw(req.rawHeaders, source.header) > 1) {
    return { ok: false, code: 'multiple_tokens', detail: { header: source.header, problem: 'header_repeated' } };
  }
  const value = raw.trim();
  if (value === '') return { ok: false, code: 'header_missing', detail: { header: source.header, problem: 'empty' } };
  let token = value;
  if (source.scheme !== null) {
    const sp = value.indexOf(' ');
    const scheme = sp === -1 ? value : value.slice(0, sp);
    // RFC 7235 section 2.1: the auth scheme is case-insensitive.
    if (scheme.toLowerCase() !== source.scheme.toLowerCase()) {
      return {
        ok: false,
        code: 'header_malformed',
        detail: { header: source.header, problem: sp === -1 && COMPACT.test(value) ? 'scheme_missing' : 'scheme', expected: source.scheme },
      };
    }
    token = sp === -1 ? '' : value.slice(sp + 1).trim();
    if (token === '') return { ok: false, code: 'header_malformed', detail: { header: source.header, problem: 'token_missing' } };
  }
  if (B64TOKEN.test(token)) return { ok: true, token };
  if (looksLikeSeveral(token, source.scheme))
    return { ok: false, code: 'multiple_tokens', detail: { header: source.header, problem: 'several_in_header' } };
  const problem =
    source.scheme !== null && token.toLowerCase().startsWith(source.scheme.toLowerCase() + ' ')
      ? 'doubled_scheme'
      : /^["'`]/.test(token)
        ? 'quotes'
        : 'token_syntax';
  return { ok: false, code: 'header_malformed', detail: { header: source.header, problem } };
}

function fromCookie(req: RequestHeadersLike, name: string): TokenExtraction {
  const header = req.headers.cookie;
  if (header === undefined || header === '') return { ok: false, code: 'header_missing', detail: { cookie: name } };
  const found: string[] = [];
  // RFC 6265 section 4.2.1: cookie-string = cookie-pair *( ";" SP cookie-pair )
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let v = pair.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    found.push(v);
  }
  if (found.length === 0) return { ok: false, code: 'header_missing', detail: { cookie: name } };
  if (found.length > 1) return { ok: false, code: 'multiple_tokens', detail: { cookie: name, problem: 'cookie_repeated' } };
  const token = found[0]!;
  if (token === '') return { ok: false, code: 'header_missing', detail: { cookie: name, problem: 'empty' } };
  if (!B64TOKEN.test(token)) return { ok: false, code: 'header_malformed', detail: { cookie: name, problem: 'token_syntax' } };
  return { ok: true, token };
}
