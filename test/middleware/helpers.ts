import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { LoggerLike } from '../../src/middleware/log.ts';

export const NOW = 1_800_000_000;
export const ISS = 'https://auth.test.example.com';
export const AUD = 'api-test';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function makeKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An RS256 token; claims default to a valid one at NOW. */
export function signToken(key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${b64({ iss: ISS, aud: AUD, sub: 'user-1', iat: NOW - 60, exp: NOW + 3600, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

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
export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  const state = { hits: 0, keys: keys.map((k) => k.jwk), mode: 'ok' as JwksServer['mode'], cacheControl: undefined as string | undefined, delayMs: 0 };
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    state.hits++;
    // No Date header: Date has one-second resolution, so a fetch that straddles a second boundary would
    // carry one second of apparent age (RFC 9111 section 4.2.3) and these tests' exact TTLs would flake.
    // Age and Date are covered by test/net/cache_lifetime.test.ts with explicit headers.
    res.sendDate = false;
    if (state.mode === 'hang') return; // never answers: the client's timeout must fire
    if (state.mode === 'error500') return void res.writeHead(500).end('oops');
    const body = state.mode === 'huge' ? JSON.stringify({ keys: state.keys, pad: 'x'.repeat(64 * 1024) }) : JSON.stringify({ keys: state.keys });
    const send = () => res.writeHead(200, { 'content-type': 'application/json', ...(state.cacheControl ? { 'cache-control': state.cacheControl } : {}) }).end(body);
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
