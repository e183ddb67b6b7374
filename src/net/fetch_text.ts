import { dispatcherOption } from './dispatcher.ts';
import type { FetchErrorKind, NetFailure } from './failure.ts';

import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, MAX_REDIRECTS } from '../defaults.ts';

export { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, MAX_REDIRECTS };

/**
 * Which redirects a fetch follows. `none` (the default, as jose's remote
 * JWKS): a 3xx is a failure naming its target. `same-origin`: follow while
 * scheme, host and port stay the same (so never https -> http), at most
 * MAX_REDIRECTS hops. There is no setting for another origin: key material
 * comes only from the origin the contract names.
 */
export type RedirectPolicy = 'none' | 'same-origin';

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  headers?: Record<string, string>;
  redirects?: RedirectPolicy;
  /** POST (an OAuth token request, RFC 6749 section 3.2); default GET. A POST never follows a redirect. */
  method?: 'GET' | 'POST';
  /** Request body (with method POST). */
  body?: string;
  /**
   * Error statuses whose body is read and returned as an answer (ok: true)
   * rather than an http_status failure: an OAuth token endpoint's 400 and
   * 401 carry the error response (RFC 6749 section 5.2).
   */
  answerStatuses?: readonly number[];
}

export interface FetchTextSuccess {
  ok: true;
  /** The URL asked for (the contract's), even after a same-origin redirect. */
  url: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Milliseconds from request to complete body. */
  elapsedMs: number;
  fetchedAt: Date;
}

/** A failed fetch, in the shared vocabulary (src/net/failure.ts). */
export interface FetchFailure extends NetFailure<FetchErrorKind> {
  /** The URL asked for (the contract's), even after a same-origin redirect. */
  url: string;
  status?: number;
  /** error 'redirect': the Location not followed (resolved against the request URL). */
  redirect?: string;
  /** HTTP 429 / 503 Retry-After in seconds (RFC 9110 section 10.2.3), when the server sent one. */
  retryAfterSeconds?: number;
  /** error 'content_type': the media type the server sent. */
  contentType?: string;
}

export type FetchTextResult = FetchTextSuccess | FetchFailure;

/** RFC 9110 section 10.2.3: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseUrl(url: string): URL | string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `unsupported scheme ${parsed.protocol}`;
    return parsed;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The next URL of a 3xx, or why it is not followed. */
function nextHop(from: URL, location: string | null, policy: RedirectPolicy, hops: number): URL | { message: string; redirect?: string } {
  if (location === null) return { message: 'redirect without a Location header' };
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return { message: 'redirect to an invalid Location', redirect: location };
  }
  if (policy === 'none')
    return {
      message: `redirect to ${to.href} not followed: key sources do not follow redirects unless the contract allows same-origin ones`,
      redirect: to.href,
    };
  if (to.origin !== from.origin) return { message: `redirect to another origin (${to.origin}) not followed`, redirect: to.href };
  if (hops >= MAX_REDIRECTS) return { message: `more than ${MAX_REDIRECTS} redirects`, redirect: to.href };
  return to;
}

/**
 * GET a document with a hard timeout (covering connect, redirects, headers
 * and body), a body size cap enforced while streaming, and the redirect
 * policy above (redirects are followed here, never by fetch, so the policy
 * sees every hop). Never throws: every failure comes back as a value the
 * caller turns into a finding. fetchJson and the Prometheus reader of
 * `rotation retire` are built on it.
 *
 * @example const r = await fetchText('http://127.0.0.1:3000/metrics', { timeoutMs: 2000 });
 */
export async function fetchText(url: string, options: FetchOptions & { accept?: string } = {}): Promise<FetchTextResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target = parseUrl(url);
  if (typeof target === 'string') return { ok: false, url, error: 'invalid_url', message: target, elapsedMs: 0 };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for (let hops = 0; ; hops++) {
      // HTTP_PROXY / HTTPS_PROXY / NO_PROXY (src/net/dispatcher.ts).
      const method = options.method ?? 'GET';
      const init = { method, ...(options.body !== undefined ? { body: options.body } : {}) };
      const res = await fetch(target, {
        ...init,
        signal: controller.signal,
        headers: { accept: options.accept ?? '*/*', ...options.headers },
        redirect: 'manual',
        ...(await dispatcherOption()),
      });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel().catch(() => undefined);
        // A POST carries credentials (client secret, refresh token): never replayed to a Location.
        const next = nextHop(target, res.headers.get('location'), method === 'POST' ? 'none' : (options.redirects ?? 'none'), hops);
        if (next instanceof URL) {
          target = next;
          continue;
        }
        return { ok: false, url, error: 'redirect', status: res.status, ...next, elapsedMs: elapsed() };
      }
      return await readBody(url, res, maxBytes, elapsed, options.answerStatuses);
    }
  } catch (e) {
    if (controller.signal.aborted)
      return { ok: false, url, error: 'timeout', message: `no complete answer within ${timeoutMs} ms`, elapsedMs: elapsed() };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, url, error: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message, elapsedMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

/** Status check, then the body streamed under the cap: a 100 MB answer is cut at maxBytes, never buffered. */
async function readBody(
  url: string,
  res: Response,
  maxBytes: number,
  elapsed: () => number,
  answerStatuses: readonly number[] = [],
): Promise<FetchTextResult> {
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  if (!res.ok && !answerStatuses.includes(res.status)) {
    await res.body?.cancel().catch(() => undefined);
    const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'));
    return {
      ok: false,
      url,
      error: 'http_status',
      status: res.status,
      message: `HTTP ${res.status}`,
      elapsedMs: elapsed(),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      url,
      error: 'too_large',
      status: res.status,
      message: `body of ${declared} bytes exceeds the ${maxBytes}-byte cap`,
      elapsedMs: elapsed(),
    };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return {
          ok: false,
          url,
          error: 'too_large',
          status: res.status,
          message: `body exceeds the ${maxBytes}-byte cap`,
          elapsedMs: elapsed(),
        };
      }
      chunks.push(value);
    }
  }
  return {
    ok: true,
    url,
    status: res.status,
    headers,
    text: Buffer.concat(chunks).toString('utf8'),
    elapsedMs: elapsed(),
    fetchedAt: new Date(),
  };
}
