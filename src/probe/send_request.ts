import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Why a request got no HTTP answer. */
export type TransportErrorKind = 'invalid_url' | 'invalid_request' | 'refused' | 'unreachable' | 'dns' | 'timeout' | 'tls' | 'non_http' | 'reset' | 'too_large' | 'network';

export interface HttpAnswer {
  ok: true;
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** Each header's values, as received (www-authenticate may come more than once). */
  headersDistinct: Record<string, string[]>;
  body: string;
  /** Local wall clock (ms) when the request was started and when the status line arrived. */
  sentAt: number;
  answeredAt: number;
  /** Milliseconds from start to the status line (monotonic clock). */
  rttMs: number;
  /** Milliseconds from start to the end of the body. */
  elapsedMs: number;
}

export interface HttpFailure {
  ok: false;
  url: string;
  error: TransportErrorKind;
  /** The system or parser code (ECONNREFUSED, HPE_INVALID_CONSTANT, ERR_SSL_WRONG_VERSION_NUMBER, ...). */
  code?: string;
  message: string;
  elapsedMs: number;
}

export type HttpResult = HttpAnswer | HttpFailure;

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Hard limit for connect + headers + body (default 5000 ms). */
  timeoutMs?: number;
  /** Body cap in bytes (default 64 KiB); the echo answer is small. */
  maxBytes?: number;
  /** Resolve as soon as the status line and headers arrive, and drop the body (clock checks). */
  headersOnly?: boolean;
  /** Injected wall clock (ms), for `clock`'s round-trip midpoint. */
  clock?: () => number;
}

/** Maps a socket, TLS or parser error to a kind the report can name. */
export function classifyTransportError(code: string | undefined, message: string): TransportErrorKind {
  const c = code ?? '';
  if (c === 'ECONNREFUSED') return 'refused';
  if (c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'EADDRNOTAVAIL') return 'unreachable';
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') return 'dns';
  if (c.startsWith('HPE_')) return 'non_http';
  if (c.startsWith('ERR_SSL') || c.startsWith('ERR_TLS') || c === 'EPROTO' || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(c) || /ssl|tls|certificate/i.test(message)) return 'tls';
  if (c === 'ECONNRESET' || c === 'EPIPE' || /socket hang up/i.test(message)) return 'reset';
  return 'network';
}

/**
 * One HTTP request with a hard deadline, no redirect following and a body
 * cap. Never throws: a refused connection, a TLS handshake against a
 * plain-HTTP port, a server that writes garbage or never answers all come
 * back as `{ ok: false, error }`.
 *
 * @example
 * const r = await sendRequest('http://127.0.0.1:8080/v1/me', { headers: { authorization: `Bearer ${token}` }, timeoutMs: 2000 });
 * if (!r.ok) console.log(r.error); // 'refused'
 */
export function sendRequest(url: string, options: SendOptions = {}): Promise<HttpResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const clock = options.clock ?? Date.now;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported scheme ${parsed.protocol} (use http or https)`);
  } catch (e) {
    return Promise.resolve({ ok: false, url, error: 'invalid_url', message: (e as Error).message, elapsedMs: 0 });
  }
  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (error: TransportErrorKind, message: string, code?: string) => finish({ ok: false, url, error, message, elapsedMs: elapsed(), ...(code !== undefined ? { code } : {}) });
    const sentAt = clock();
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ReturnType<typeof httpRequest>;
    try {
      req = send(parsed, { method: options.method ?? 'GET', headers: { 'user-agent': 'jwt-doctor-probe', ...options.headers }, agent: false });
    } catch (e) {
      // Invalid header characters (a token with a line break) throw synchronously.
      const err = e as NodeJS.ErrnoException;
      return fail('invalid_request', err.message, err.code);
    }
    timer = setTimeout(() => {
      fail('timeout', `no complete answer within ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => fail(classifyTransportError(e.code, e.message), e.message, e.code));
    req.on('response', (res) => {
      const answeredAt = clock();
      const rttMs = elapsed();
      const distinct: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(res.headersDistinct)) if (v) distinct[k] = v;
      if (options.headersOnly) {
        finish({ ok: true, url, status: res.statusCode ?? 0, headers: res.headers, headersDistinct: distinct, body: '', sentAt, answeredAt, rttMs, elapsedMs: rttMs });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          fail('too_large', `body exceeds the ${maxBytes}-byte cap`);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(classifyTransportError(e.code, e.message), e.message, e.code));
      res.on('end', () => {
        finish({ ok: true, url, status: res.statusCode ?? 0, headers: res.headers, headersDistinct: distinct, body: Buffer.concat(chunks).toString('utf8'), sentAt, answeredAt, rttMs, elapsedMs: elapsed() });
      });
    });
    req.end();
  });
}
