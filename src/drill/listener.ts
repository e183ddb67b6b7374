import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.ts';

/**
 * The drill's own HTTP server: it publishes the rotation drill's JWK Set
 * (at the address the contract points the environment's verifier to) and
 * the attacker documents `jku` / `x5u` headers name, and it records every
 * request, so the report can say whether the target fetched a URL a
 * token told it to (RFC 8725 section 3.10: a verifier must not).
 */
export interface DrillListener {
  /** http://host:port (no trailing slash). */
  url: string;
  /** Serves `body` at `path` from now on (a JWK Set the drill rotates, an attacker document). */
  publish(path: string, body: string, contentType?: string): void;
  /** Requests received for `path`. */
  hits(path: string): number;
  close(): Promise<void>;
}

/**
 * Starts the listener on `host:port` (port 0: any free one). Unknown
 * paths answer 404 and are counted too.
 *
 * @example const l = await startDrillListener('127.0.0.1', 0); l.publish('/jwks.json', JSON.stringify({ keys: [] }));
 */
export async function startDrillListener(host: string, port: number): Promise<DrillListener> {
  const docs = new Map<string, { body: string; type: string }>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://drill').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const doc = docs.get(path);
    if (!doc) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res
      .writeHead(200, { 'content-type': doc.type, 'content-length': Buffer.byteLength(doc.body), 'cache-control': 'no-store' })
      .end(doc.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `the drill cannot listen on ${host}:${port} (${e.code ?? e.message}): free the port, or point the contract's jwksUri elsewhere`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${bound}`,
    publish: (path, body, type = 'application/json') => void docs.set(path, { body, type }),
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The environment's JWKS URL the drill serves itself: a `jwksUri` key
 * source on a loopback address (the contract says the verifier fetches
 * its keys from a process on this machine, the drill). Its host, port and
 * path; undefined when the environment's keys live elsewhere.
 *
 * @example servedJwksAddress([{ jwksUri: 'http://127.0.0.1:8788/jwks.json' }]) // { host: '127.0.0.1', port: 8788, path: '/jwks.json' }
 */
export function servedJwksAddress(
  keys: readonly unknown[] | undefined,
): { host: string; port: number; path: string; url: string } | undefined {
  for (const spec of keys ?? []) {
    if (spec === null || typeof spec !== 'object' || !('jwksUri' in spec) || typeof spec.jwksUri !== 'string') continue;
    let u: URL;
    try {
      u = new URL(spec.jwksUri);
    } catch {
      continue;
    }
    if (u.protocol !== 'http:' || !LOOPBACK.has(u.hostname) || u.port === '') continue;
    const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
    return { host, port: Number(u.port), path: u.pathname, url: spec.jwksUri };
  }
  return undefined;
}
