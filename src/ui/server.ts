/**
 * `jwt-doctor ui`'s server: the page and its API on 127.0.0.1 only, behind
 * a random access token given in the URL (as Jupyter does). Every request
 * is checked by guard.ts before any work; every response carries the
 * security headers; the keys stay in this process.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Contract } from '../contract/load.ts';
import type { Diagnoser } from '../diagnose.ts';
import { UsageError } from '../errors.ts';
import { createContractDiagnosers } from '../match.ts';
import { diagnoseRequest, environmentsResponse, explainRequest, type UiContext } from './api.ts';
import {
  checkAccessToken,
  checkHost,
  checkJsonBody,
  checkOrigin,
  MAX_BODY_BYTES,
  refuse,
  SECURITY_HEADERS,
  type Refusal,
} from './guard.ts';
import { loadPageAssets, type PageAssets } from './page_assets.ts';

export interface UiServerOptions {
  contract: Contract;
  /** The contract file as the user named it (for the equivalent CLI command). */
  contractFile: string;
  /** Folder holding index.html, app.js and app.css (dist/ui). */
  assetsDir: string;
  /** 0 (default): a free port. */
  port?: number;
  /** A fixed check instant (NumericDate seconds); default the wall clock at each request. */
  now?: number;
  /** Timeout of every key fetch (JWKS URL, discovery). */
  timeoutMs?: number;
}

export interface UiServer {
  /** http://127.0.0.1:PORT/?token=ACCESS_TOKEN: what the user opens. */
  url: string;
  port: number;
  accessToken: string;
  close(): Promise<void>;
}

/** Keys are loaded once, and again after this long, so a rotated JWKS is seen without a restart. */
const KEY_RELOAD_MS = 5 * 60_000;

type Handler = (req: IncomingMessage, body: unknown, ctx: UiContext) => Promise<unknown> | unknown;

/** The API routes, by "METHOD path". */
const ROUTES: Record<string, Handler> = {
  'GET /api/environments': (_req, _body, ctx) => environmentsResponse(ctx),
  'POST /api/diagnose': (_req, body, ctx) => diagnoseRequest(body, ctx),
  'POST /api/explain': (_req, body) => explainRequest(body),
};

/**
 * Starts the server (keys of every environment loaded first).
 *
 * @example const ui = await startUiServer({ contract, contractFile: 'auth-contract.yaml', assetsDir: 'dist/ui' }); console.log(ui.url);
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const assets = loadPageAssets(options.assetsDir);
  const accessToken = randomBytes(32).toString('base64url');
  const ctx = uiContext(options);
  await ctx.diagnosers();
  let port = 0;
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16 * 1024 }, (req, res) => {
    handle(req, res, { port, accessToken, assets, ctx }).catch(() => send(res, refuse(500, 'internal_error', 'unexpected error')));
  });
  port = await listenLoopback(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}/?token=${accessToken}`,
    port,
    accessToken,
    close: () => closeServer(server),
  };
}

function uiContext(options: UiServerOptions): UiContext {
  let cached: { at: number; diagnosers: Promise<ReadonlyMap<string, Diagnoser>> } | undefined;
  const load = { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
  return {
    contract: options.contract,
    contractFile: options.contractFile,
    ...(options.now !== undefined ? { now: options.now } : {}),
    diagnosers: () => {
      if (!cached || Date.now() - cached.at > KEY_RELOAD_MS)
        cached = { at: Date.now(), diagnosers: createContractDiagnosers(options.contract, load) };
      return cached.diagnosers;
    },
  };
}

interface ServerState {
  port: number;
  accessToken: string;
  assets: PageAssets;
  ctx: UiContext;
}

async function handle(req: IncomingMessage, res: ServerResponse, s: ServerState): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const refusal = checkHost(req, s.port);
  if (refusal) return send(res, refusal);
  if (!path.startsWith('/api/')) return sendAsset(req, res, s.assets, path);
  const denied = checkAccessToken(req, s.accessToken) ?? checkOrigin(req);
  if (denied) return send(res, denied);
  const route = ROUTES[`${req.method ?? ''} ${path}`];
  if (!route) {
    const known = Object.keys(ROUTES).some((r) => r.endsWith(` ${path}`));
    return send(res, known ? refuse(405, 'method_not_allowed', 'wrong method for this path') : refuse(404, 'not_found', 'no such API'));
  }
  let body: unknown;
  if (req.method === 'POST') {
    const read = checkJsonBody(req) ?? (await readJsonBody(req));
    if (isRefusal(read)) return send(res, read);
    body = read.value;
  }
  const answer = await route(req, body, s.ctx);
  return isRefusal(answer) ? send(res, answer) : send(res, 200, JSON.stringify(answer), 'application/json; charset=utf-8');
}

function sendAsset(req: IncomingMessage, res: ServerResponse, assets: PageAssets, path: string): void {
  const asset = assets.get(path === '/' ? '/index.html' : path);
  if (!asset) return send(res, refuse(404, 'not_found', 'no such file'));
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, refuse(405, 'method_not_allowed', 'the page is read with GET'));
  send(res, 200, req.method === 'HEAD' ? '' : asset.body, asset.type);
}

function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && 'status' in v && 'code' in v && 'message' in v && !('schema' in v);
}

/** The body as JSON, at most MAX_BODY_BYTES (counted as it arrives: Content-Length may be absent). */
function readJsonBody(req: IncomingMessage): Promise<{ value: unknown } | Refusal> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(refuse(413, 'body_too_large', `the body is over ${MAX_BODY_BYTES} bytes`));
        req.removeAllListeners('data');
        req.pause();
      } else chunks.push(c);
    });
    req.on('error', () => resolve(refuse(400, 'invalid_request', 'the request body could not be read')));
    req.on('end', () => {
      try {
        resolve({ value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        resolve(refuse(400, 'invalid_json', 'the body is not JSON'));
      }
    });
  });
}

function send(res: ServerResponse, status: number | Refusal, body?: string | Buffer, type?: string): void {
  if (res.headersSent) return;
  const r = typeof status === 'number' ? undefined : status;
  const payload = r ? JSON.stringify({ error: { code: r.code, message: r.message } }) : (body ?? '');
  res.writeHead(r ? r.status : (status as number), {
    ...SECURITY_HEADERS,
    'Content-Type': r ? 'application/json; charset=utf-8' : (type ?? 'text/plain; charset=utf-8'),
    'Content-Length': Buffer.byteLength(payload),
    // A refused body may still be arriving: do not keep reading it on this connection.
    ...(r && r.status >= 400 ? { Connection: 'close' } : {}),
  });
  res.end(payload);
}

function listenLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE' || e.code === 'EACCES'
          ? new UsageError(
              `--port ${port}: ${e.code === 'EADDRINUSE' ? 'already in use' : 'not allowed'}: pick another, or omit --port for a free one`,
            )
          : e,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
