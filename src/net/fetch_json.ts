import { fetchText, type FetchFailure, type FetchOptions } from './fetch_text.ts';

export { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, type FetchFailure, type FetchOptions } from './fetch_text.ts';

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
 * GET a JSON document with fetchText's hard timeout and streamed body cap.
 * Never throws: every failure comes back as a value the caller turns into
 * a finding.
 *
 * @example const r = await fetchJson('https://auth.example.com/.well-known/jwks.json', { timeoutMs: 2000 });
 */
export async function fetchJson(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const r = await fetchText(url, { ...options, accept: 'application/json' });
  if (!r.ok) return r;
  let json: unknown;
  try {
    json = JSON.parse(r.text);
  } catch {
    return { ok: false, url, error: 'invalid_json', status: r.status, message: 'response is not valid JSON', elapsedMs: r.elapsedMs };
  }
  return { ok: true, url, status: r.status, headers: r.headers, json, elapsedMs: r.elapsedMs, fetchedAt: r.fetchedAt };
}
