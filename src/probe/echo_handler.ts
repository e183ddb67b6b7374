import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeToken } from '../token/decode.ts';
import { DEFAULT_ECHO_PATH } from '../contract/api_section.ts';
import { fingerprintToken, findCompactToken } from './fingerprint.ts';

export const ECHO_SCHEMA = 'jwt-doctor/echo/v1';

/**
 * Headers a gateway commonly forwards a token in: the standard one
 * (RFC 9110 section 11.6.2), the usual "moved" one, and AWS ALB's OIDC
 * headers. Any other header holding a JWS-shaped value is reported too.
 */
export const AUTH_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-forwarded-authorization',
  'x-original-authorization',
  'x-amzn-oidc-data',
  'x-amzn-oidc-accesstoken',
  'x-amzn-oidc-identity',
  'x-auth-token',
  'x-access-token',
];

/** What arrived in one header: never the value, only its shape and SHA-256. */
export interface EchoHeader {
  name: string;
  /** How many times the header arrived (RFC 9110 section 5.3: more than one is a finding). */
  count: number;
  /** Length of the whole value. */
  length: number;
  /** First word when the value is "<scheme> <credentials>", else null. */
  scheme: string | null;
  /** Everything after the scheme (the whole value when there is none). */
  credentials: { length: number; sha256: string };
  /** The JWS-shaped part, when there is one. */
  token?: { length: number; sha256: string; decodes: boolean; alg?: string; kid?: string };
}

export interface EchoReport {
  schema: typeof ECHO_SCHEMA;
  method: string;
  path: string;
  headers: EchoHeader[];
  /** Cookie names only (RFC 6265 section 4.2): values never leave the API. */
  cookies: string[];
}

export interface EchoHandlerOptions {
  /** Path suffix the echo answers on (default /.well-known/jwt-doctor/echo): any prefix works, so the echo is reachable under every gateway route prefix. */
  path?: string;
  /** Answer on every path (the standalone probe-server behind a gateway under test). */
  anyPath?: boolean;
  /** Custom header names the API reads tokens from. */
  headers?: string[];
}

type Next = (err?: unknown) => void;

const SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+([\s\S]*)$/;

function describeValue(name: string, values: string[]): EchoHeader {
  const value = values[0] ?? '';
  const m = SCHEME.exec(value);
  const scheme = m ? m[1]!.slice(0, 32) : null;
  const credentials = m ? m[2]! : value;
  const h: EchoHeader = {
    name,
    count: values.length,
    length: value.length,
    scheme,
    credentials: { length: credentials.length, sha256: fingerprintToken(credentials) },
  };
  const token = findCompactToken(value);
  if (token !== undefined) {
    const d = decodeToken(token);
    h.token = { length: token.length, sha256: fingerprintToken(token), decodes: d.ok };
    if (d.ok && typeof d.token.header.alg === 'string') h.token.alg = d.token.header.alg;
    if (d.ok && typeof d.token.header.kid === 'string') h.token.kid = d.token.header.kid;
  }
  return h;
}

/**
 * What arrived at the API boundary, as a JSON-safe report: auth-related
 * headers with scheme, length and SHA-256 (never the value), cookie names.
 *
 * @example describeRequestAuth(req).headers.map((h) => h.name) // ['authorization']
 */
export function describeRequestAuth(
  req: Pick<IncomingMessage, 'method' | 'url' | 'headersDistinct'>,
  extraHeaders: readonly string[] = [],
): EchoReport {
  const wanted = new Set([...AUTH_HEADERS, ...extraHeaders.map((h) => h.toLowerCase())]);
  const headers: EchoHeader[] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values || name === 'cookie') continue;
    if (wanted.has(name) || values.some((v) => findCompactToken(v) !== undefined)) headers.push(describeValue(name, values));
  }
  headers.sort((a, b) => a.name.localeCompare(b.name));
  const cookies: string[] = [];
  for (const line of req.headersDistinct.cookie ?? []) {
    for (const pair of line.split(';')) {
      const name = pair.split('=')[0]!.trim();
      if (name) cookies.push(name);
    }
  }
  return { schema: ECHO_SCHEMA, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers, cookies };
}

/**
 * A request handler that answers what auth headers arrived, for embedding
 * in an API (node:http, express `app.use(...)`) behind the gateway under
 * test. It answers on any path ending with the echo path, so it is
 * reachable under every route prefix; other requests go to `next` (404
 * without one).
 *
 * @example
 * app.use(createEchoHandler()); // express
 * http.createServer(createEchoHandler({ anyPath: true })).listen(8080); // standalone
 */
export function createEchoHandler(options: EchoHandlerOptions = {}) {
  const suffix = options.path ?? DEFAULT_ECHO_PATH;
  const extra = options.headers ?? [];
  return function echoHandler(req: IncomingMessage, res: ServerResponse, next?: Next): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!options.anyPath && !path.endsWith(suffix)) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found', echoPath: suffix }));
      return;
    }
    const body = JSON.stringify(describeRequestAuth(req, extra));
    // no-store: a cached echo would describe someone else's request.
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
      .end(body);
  };
}
