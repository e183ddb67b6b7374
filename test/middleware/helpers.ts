/**
 * Middleware test helpers: a JWKS endpoint whose answers a test switches,
 * a memory logger, and a Prometheus text parser. Keys, tokens, the clock
 * and servers come from test/helpers/ (re-exported here for the middleware
 * tests written against the old names).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LoggerLike } from '../../src/middleware/log.ts';
import { closeServer, listen, type AsymmetricTestKey } from '../helpers/index.ts';

export { AUD, ISS, NOW, closeServer, listen } from '../helpers/index.ts';

export interface JwksServer {
  url: string;
  /** Requests received so far. */
  hits: number;
  keys: Record<string, unknown>[];
  mode: 'ok' | 'error500' | 'hang' | 'huge';
  cacheControl: string | undefined;
  /** Answer this many ms late (to keep a fetch in flight while callers pile up). */
  delayMs: number;
  close(): Promise<void>;
}

/** A real JWKS endpoint on 127.0.0.1 whose answers a test switches (ok, 500, never answering, oversized). */
export async function startJwksServer(keys: AsymmetricTestKey[]): Promise<JwksServer> {
  const state = {
    hits: 0,
    keys: keys.map((k) => k.publicJwk),
    mode: 'ok' as JwksServer['mode'],
    cacheControl: undefined as string | undefined,
    delayMs: 0,
  };
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    state.hits++;
    // No Date header: Date has one-second resolution, so a fetch that straddles a second boundary would
    // carry one second of apparent age (RFC 9111 section 4.2.3) and these tests' exact TTLs would flake.
    // Age and Date are covered by test/net/cache_lifetime.test.ts with explicit headers.
    res.sendDate = false;
    if (state.mode === 'hang') return; // never answers: the client's timeout must fire
    if (state.mode === 'error500') return void res.writeHead(500).end('oops');
    const body =
      state.mode === 'huge' ? JSON.stringify({ keys: state.keys, pad: 'x'.repeat(64 * 1024) }) : JSON.stringify({ keys: state.keys });
    const send = () =>
      res
        .writeHead(200, { 'content-type': 'application/json', ...(state.cacheControl ? { 'cache-control': state.cacheControl } : {}) })
        .end(body);
    if (state.delayMs > 0) setTimeout(send, state.delayMs);
    else send();
  });
  const base = await listen(server);
  return Object.assign(state, {
    url: `${base}/jwks.json`,
    close: () => closeServer(server),
  }) as JwksServer;
}

/** A pino-compatible logger that keeps records. */
export function memoryLogger(): LoggerLike & { records: Record<string, unknown>[]; lines: string[] } {
  const records: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const keep = (obj: object, msg?: string) => {
    const line = JSON.stringify({ ...obj, msg });
    lines.push(line);
    records.push(JSON.parse(line));
  };
  return { records, lines, warn: keep, info: keep };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (what a scraper reads). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

export function sampleValue(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
