export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024;

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  headers?: Record<string, string>;
}

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

export interface FetchFailure {
  ok: false;
  url: string;
  /** 'timeout' | 'network' | 'http_status' | 'invalid_json' | 'too_large' | 'invalid_url' */
  error: 'timeout' | 'network' | 'http_status' | 'invalid_json' | 'too_large' | 'invalid_url';
  status?: number;
  message: string;
  elapsedMs: number;
}

export type FetchResult = FetchSuccess | FetchFailure;

/**
 * GET a JSON document with a hard timeout (covering connect, headers and
 * body) and a body size cap enforced while streaming. Never throws: every
 * failure comes back as a value the caller turns into a finding.
 */
export async function fetchJson(url: string, options: FetchOptions = {}): Promise<FetchResult> {
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
    const res = await fetch(parsed, { signal: controller.signal, headers: { accept: 'application/json', ...options.headers }, redirect: 'follow' });
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
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, url, error: 'invalid_json', status: res.status, message: 'response is not valid JSON', elapsedMs: elapsed() };
    }
    return { ok: true, url, status: res.status, headers, json, elapsedMs: elapsed(), fetchedAt: new Date() };
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, url, error: 'timeout', message: `no complete answer within ${timeoutMs} ms`, elapsedMs: elapsed() };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, url, error: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message, elapsedMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}
