import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { proxyFor } from '../net/dispatcher.ts';
import { DEFAULT_PROBE_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import { classifyTransportError, type NetFailure, type TransportErrorKind } from '../net/failure.ts';

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

/** A request without an HTTP answer, in the shared vocabulary (src/net/failure.ts). */
export interface HttpFailure extends NetFailure<TransportErrorKind> {
  /** The system or parser code (ECONNREFUSED, HPE_INVALID_CONSTANT, ERR_SSL_WRONG_VERSION_NUMBER, ...). */
  code?: string;
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

/**
 * One HTTP request with a hard deadline, no redirect following and a body
 * cap, on raw node:http rather than fetch (src/net/fetch_text.ts): the probe
 * tests what a gateway does to the request, so it must send exactly the
 * header bytes it was given (fetch/undici normalises names, merges and
 * rejects some values, and adds its own headers), see every status and
 * repeated header as received, name the socket error (refused, dns, tls,
 * non_http) that fetch hides behind one `network`, and tunnel https through
 * a proxy itself so the token stays inside TLS (docs/network.md). Its
 * failures use the same vocabulary as fetchText (src/net/failure.ts). Never throws: a refused connection, a TLS handshake against a
 * plain-HTTP port, a server that writes garbage or never answers all come
 * back as `{ ok: false, error }`.
 *
 * @example
 * const r = await sendRequest('http://127.0.0.1:8080/v1/me', { headers: { authorization: `Bearer ${token}` }, timeoutMs: 2000 });
 * if (!r.ok) console.log(r.error); // 'refused'
 */
export function sendRequest(url: string, options: SendOptions = {}): Promise<HttpResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_PROBE_MAX_BODY_BYTES;
  const clock = options.clock ?? Date.now;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const parsed = parseHttpUrl(url);
  if (typeof parsed === 'string') return Promise.resolve({ ok: false, url, error: 'invalid_url', message: parsed, elapsedMs: 0 });
  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: HttpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (error: TransportErrorKind, message: string, code?: string) =>
      finish({ ok: false, url, error, message, elapsedMs: elapsed(), ...(code !== undefined ? { code } : {}) });
    const x: Exchange = { url, sentAt: clock(), clock, elapsed, finish, fail };
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ClientRequest;
    try {
      const base: RequestOptions = {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'jwt-doctor-probe', ...options.headers },
        agent: false,
      };
      const proxy = proxyFor(parsed);
      req = proxy ? viaProxy(parsed, new URL(proxy), base) : send(parsed, base);
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
    req.on('response', (res) => readAnswer(res, req, x, options.headersOnly === true, maxBytes));
    req.end();
  });
}

/** One request in flight: it settles once, with an answer or a failure. */
interface Exchange {
  url: string;
  sentAt: number;
  clock: () => number;
  elapsed: () => number;
  finish: (r: HttpResult) => void;
  fail: (error: TransportErrorKind, message: string, code?: string) => void;
}

/** The answer: status and headers at once, then the body up to `maxBytes` (unless only the headers are wanted). */
function readAnswer(res: IncomingMessage, req: ClientRequest, x: Exchange, headersOnly: boolean, maxBytes: number): void {
  const { url, sentAt } = x;
  const answeredAt = x.clock();
  const rttMs = x.elapsed();
  const distinct: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(res.headersDistinct)) if (v) distinct[k] = v;
  if (headersOnly) {
    x.finish({
      ok: true,
      url,
      status: res.statusCode ?? 0,
      headers: res.headers,
      headersDistinct: distinct,
      body: '',
      sentAt,
      answeredAt,
      rttMs,
      elapsedMs: rttMs,
    });
    res.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    size += c.length;
    if (size > maxBytes) {
      x.fail('too_large', `body exceeds the ${maxBytes}-byte cap`);
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  res.on('error', (e: NodeJS.ErrnoException) => x.fail(classifyTransportError(e.code, e.message), e.message, e.code));
  res.on('end', () => {
    x.finish({
      ok: true,
      url,
      status: res.statusCode ?? 0,
      headers: res.headers,
      headersDistinct: distinct,
      body: Buffer.concat(chunks).toString('utf8'),
      sentAt,
      answeredAt,
      rttMs,
      elapsedMs: x.elapsed(),
    });
  });
}

/** The URL when it is an absolute http(s) URL, else why not (a message, never a throw). */
function parseHttpUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    return (e as Error).message;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `unsupported scheme ${parsed.protocol} (use http or https)`;
  return parsed;
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

/**
 * The request through an HTTP forward proxy (HTTP_PROXY / HTTPS_PROXY,
 * NO_PROXY: src/net/dispatcher.ts): an http:// target in absolute form
 * (RFC 9112 section 3.2.2), an https:// target through a CONNECT tunnel
 * (RFC 9110 section 9.3.6) with TLS to the target inside it, so the
 * token is never readable by the proxy. Failures of the proxy surface as
 * the request's own error (refused, reset, tls, ...).
 */
function viaProxy(target: URL, proxy: URL, base: RequestOptions): ReturnType<typeof httpRequest> {
  if (proxy.protocol !== 'http:')
    throw Object.assign(new Error(`unsupported proxy scheme ${proxy.protocol} (use an http:// proxy)`), { code: 'ERR_PROXY_SCHEME' });
  const at = { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port) || 80 };
  if (target.protocol === 'http:') {
    return httpRequest({
      ...base,
      ...at,
      path: target.href,
      headers: { host: target.host, ...base.headers, ...proxyAuthorization(proxy) },
    });
  }
  const authority = `${target.hostname}:${Number(target.port) || 443}`;
  const createConnection = (_opts: unknown, done: (err: Error | null, socket?: Socket) => void) => {
    const connect = httpRequest({
      ...at,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
    });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return done(Object.assign(new Error(`proxy answered CONNECT with ${res.statusCode}`), { code: 'ERR_PROXY_CONNECT' }));
      }
      const tls = tlsConnect({ socket, servername: target.hostname.replace(/^\[|\]$/g, ''), ALPNProtocols: ['http/1.1'] });
      tls.once('secureConnect', () => done(null, tls));
      tls.once('error', (e) => done(e));
    });
    connect.once('error', (e) => done(e));
    connect.end();
    return undefined;
  };
  // No agent: Node uses createConnection only when `agent` is unset (agent: false would build a fresh Agent).
  return httpsRequest(target, { ...base, agent: undefined, createConnection } as RequestOptions);
}
