import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, type FetchOptions } from '../net/fetch_json.ts';

export type FetchTextResult =
  | { ok: true; url: string; status: number; text: string; fetchedAt: Date }
  | { ok: false; url: string; error: 'timeout' | 'network' | 'http_status' | 'too_large' | 'invalid_url'; status?: number; message: string };

/**
 * GET a text document (Prometheus exposition) with the same hard timeout
 * and streamed body cap as `fetchJson`. Never throws.
 *
 * @example const r = await fetchText('http://127.0.0.1:3000/metrics', { timeoutMs: 2000 });
 */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<FetchTextResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES * 8;
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported scheme ${parsed.protocol}`);
  } catch (e) {
    return { ok: false, url, error: 'invalid_url', message: (e as Error).message };
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(parsed, { signal: controller.signal, headers: { accept: 'text/plain', ...options.headers } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, url, error: 'http_status', status: res.status, message: `HTTP ${res.status}` };
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
          return { ok: false, url, error: 'too_large', status: res.status, message: `body exceeds the ${maxBytes}-byte cap` };
        }
        chunks.push(value);
      }
    }
    return { ok: true, url, status: res.status, text: Buffer.concat(chunks).toString('utf8'), fetchedAt: new Date() };
  } catch (e) {
    if (controller.signal.aborted) return { ok: false, url, error: 'timeout', message: `no complete answer within ${timeoutMs} ms` };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, url, error: 'network', message: cause?.code ?? cause?.message ?? (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
