import { fetchText, type FetchFailure, type FetchOptions } from './fetch_text.ts';

export { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, type FetchFailure, type FetchOptions, type RedirectPolicy } from './fetch_text.ts';

export interface FetchSuccess {
  ok: true;
  url: string;
  status: number;
  headers: Record<string, string>;
  json: unknown;
  /** Milliseconds from request to parsed body. */
  elapsedMs: number;
  fetchedAt: Date;
}

export type FetchResult = FetchSuccess | FetchFailure;

/**
 * A JSON media type: application/json or a +json structured suffix
 * (RFC 6839 section 3.1), such as RFC 7517 section 8.5's
 * application/jwk-set+json. An HTML login page or a text/plain error from a
 * proxy is not a key set, even when it happens to parse.
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type !== undefined && /^application\/[a-z0-9.+-]+\+json$/.test(type));
}

/**
 * GET a JSON document with fetchText's hard timeout, streamed body cap and
 * redirect policy; the answer must declare a JSON media type (as
 * oauth4webapi requires of discovery and JWKS responses). Never throws:
 * every failure comes back as a value the caller turns into a finding.
 *
 * @example const r = await fetchJson('https://auth.example.com/.well-known/jwks.json', { timeoutMs: 2000 });
 */
export async function fetchJson(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const r = await fetchText(url, { ...options, accept: 'application/json' });
  if (!r.ok) return r;
  const contentType = r.headers['content-type'];
  if (!isJsonMediaType(contentType)) {
    return {
      ok: false,
      url,
      error: 'content_type',
      status: r.status,
      message: `content-type ${contentType ?? '(none)'} is not JSON`,
      elapsedMs: r.elapsedMs,
      contentType: contentType ?? '',
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(r.text);
  } catch {
    return { ok: false, url, error: 'invalid_json', status: r.status, message: 'response is not valid JSON', elapsedMs: r.elapsedMs };
  }
  return { ok: true, url, status: r.status, headers: r.headers, json, elapsedMs: r.elapsedMs, fetchedAt: r.fetchedAt };
}
