import { dispatcherOption } from './dispatcher.ts';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024;

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface FetchTextSuccess {
  ok: true;
  url: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Milliseconds from request to complete body. */
  elapsedMs: number;
  fetchedAt: Date;
}

export interface FetchFailure {
  ok: false;
  url: string;
  error: 'timeout' | 'network' | 'http_status' | 'invalid_json' | 'too_large' | 'invalid_url';
  status?: number;
  message: string;
  elapsedMs: number;
}

export type FetchTextResult = FetchTextSuccess | FetchFailure;

/**
 * GET a document with a hard timeout (covering connect, headers and body)
 * and a body size cap enforced while streaming. Never throws: every failure
 * comes back as a value the caller turns into a finding. fetchJson and the
 * Prometheus reader of `rotation retire` are built on it.
 *
 * @example const r = await fetchText('http://127.0.0.1:3000/metrics', { timeoutMs: 2000 });
 */
export async function fetchText(url: string, options: FetchOptions & { accept?: string } = {}): Promise<FetchTextResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported scheme ${parsed.protocol}`);
  } catch (e) {
    return { ok: false, url, error: 'invalid_url', message: (e as Error).message, elapsedMs: 0 };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // HTTP_PROXY / HTTPS_PROXY / NO_PROXY (src/net/dispatcher.ts).
    const res = await fetch(parsed, { signal: controller.signal, headers: { accept: options.accept ?? '*/*', ...options.headers }, redirect: 'follow', ...(await dispatcherOption()) });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, url, error: 'http_status', status: res.status, message: `HTTP ${res.status}`, elapsedMs: elapsed() };
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, url, error: 'too_large', status: res.status, message: `body of ${declared} bytes exceeds the ${maxBytes}-byte cap`, elapsedMs: elapsed() };
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
          return { ok: false, url, error: 'too_large', status: res.status, message: `body exceeds the ${maxBytes}-byte cap`, elapsedMs: elapsed() };
        }
        chunks.push(value);
      }
    }
    return { ok: true, url, status: res.status, headers, text: Buffer.concat(chunks).toString('utf8'), elapsedMs: elapsed(), fetchedAt: new Date() };
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, url, error: 'timeout', message: `no complete answer within ${timeoutMs} ms`, elapsedMs: elapsed() };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, url, error: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message, elapsedMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}
