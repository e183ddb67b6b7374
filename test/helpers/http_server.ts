/**
 * A tiny HTTP server on 127.0.0.1 (port 0) with per-path handlers and
 * request counts: the real server the JWKS / discovery tests fetch from
 * (no mocked fetch). `close()` also drops connections a handler left open
 * (the "never answers" timeout case).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  /** Requests seen per path. */
  counts: Map<string, number>;
  /** Replace or add a handler while running. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Sends a JSON answer (a string body is sent as is). */
export function sendJson(res: ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A handler answering JSON with a status (default 200). */
export const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    sendJson(res, body, headers, status);

/** Never answers: the request hangs until the client gives up or the server closes. */
export const hang: Handler = () => undefined;

/** Listens on 127.0.0.1, port 0; resolves with http://127.0.0.1:PORT (no trailing slash). */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server, dropping connections a handler left open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export interface ServedServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * One handler for every path (async allowed: a rejection answers 500 with
 * the error text, never an unhandled rejection).
 *
 * @example const s = await serve((req, res) => res.end(req.url)); ... await s.close();
 */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<ServedServer> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  const url = await listen(server);
  return { url, port: Number(new URL(url).port), server, close: () => closeServer(server) };
}

/**
 * Starts the server; unknown paths answer 404.
 *
 * @example const s = await startServer({ '/jwks.json': json(jwks) }); ... await s.close();
 */
export async function startServer(routes: Record<string, Handler> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const h = table.get(path);
    if (h) h(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  const url = await listen(server);
  return {
    url,
    port: Number(new URL(url).port),
    counts,
    route: (path, handler) => void table.set(path, handler),
    close: () => closeServer(server),
  };
}
