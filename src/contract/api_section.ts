import { ContractError, type Contract } from './load.ts';
import { rawEnvironment } from './sections.ts';
import { DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, DEFAULT_ECHO_PATH, DEFAULT_EXPECT_STATUS } from '../defaults.ts';

export { DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, DEFAULT_ECHO_PATH };

export interface ApiRoute {
  path: string;
  /** HTTP method (default GET). */
  method: string;
  /** The status a valid token gets on this route (default 200). */
  expectStatus: number;
  /** Absolute echo path for this route; default: the route's folder + the API's echoPath. */
  echoPath?: string;
  /** false: this route has no echo probe. */
  echo: boolean;
}

/** One environment's `api` section, validated and with defaults applied. */
export interface ApiConfig {
  baseUrl: string;
  routes: ApiRoute[];
  /** Header name the API reads the token from, lower case (default authorization). */
  header: string;
  /** Scheme before the token, or null for a bare token in the header (default Bearer). */
  scheme: string | null;
  echoPath: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
// RFC 9110 section 5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function fail(file: string, env: string, field: string, expected: string, found: unknown): never {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found);
  throw new ContractError(file, `environments.${env}.${field}`, expected, shown.length > 80 ? shown.slice(0, 77) + '...' : shown);
}

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads and validates `environments.<env>.api` (the schema only checks it
 * is an object; the probe and clock commands read its fields). Throws `ContractError`
 * with the field path, like the loader.
 *
 * @example
 * const api = readApiConfig(contract, 'staging');
 * api.routes[0]; // { path: '/v1/me', method: 'GET', expectStatus: 200, echo: true }
 */
export function readApiConfig(contract: Contract, env: string): ApiConfig {
  const file = contract.path ?? '(object)';
  const raw = rawEnvironment(contract, env);
  const api = raw.api as Record<string, unknown> | undefined;
  if (api === undefined) fail(file, env, 'api', 'an api section: { baseUrl, routes: [{ path }] }', undefined);
  if (api === null || typeof api !== 'object' || Array.isArray(api)) fail(file, env, 'api', 'an object', api);
  const known = new Set(['baseUrl', 'routes', 'header', 'scheme', 'echoPath']);
  for (const k of Object.keys(api))
    if (!known.has(k) && !k.startsWith('x-'))
      throw new ContractError(
        file,
        `environments.${env}.api.${k}`,
        'a known field: baseUrl, routes, header, scheme, echoPath',
        `unknown field "${k}"`,
      );
  if (!isHttpUrl(api.baseUrl)) fail(file, env, 'api.baseUrl', 'an http(s) URL', api.baseUrl);
  const header = api.header ?? DEFAULT_AUTH_HEADER;
  if (typeof header !== 'string' || !TOKEN.test(header)) fail(file, env, 'api.header', 'a header name (e.g. authorization)', api.header);
  const scheme = api.scheme === undefined ? DEFAULT_AUTH_SCHEME : api.scheme;
  if (scheme !== null && (typeof scheme !== 'string' || !TOKEN.test(scheme)))
    fail(file, env, 'api.scheme', 'an auth scheme (e.g. Bearer) or null for a bare token', api.scheme);
  const echoPath = api.echoPath ?? DEFAULT_ECHO_PATH;
  if (typeof echoPath !== 'string' || !echoPath.startsWith('/')) fail(file, env, 'api.echoPath', 'a path starting with /', api.echoPath);
  if (!Array.isArray(api.routes) || api.routes.length === 0)
    fail(file, env, 'api.routes', 'a non-empty list of routes: [{ path, method?, expectStatus? }]', api.routes);
  const routes = api.routes.map((r: unknown, i: number) => readRoute(file, env, `api.routes[${i}]`, r));
  return { baseUrl: api.baseUrl, routes, header: header.toLowerCase(), scheme, echoPath };
}

function readRoute(file: string, env: string, at: string, r: unknown): ApiRoute {
  if (typeof r === 'string') r = { path: r };
  if (r === null || typeof r !== 'object' || Array.isArray(r)) fail(file, env, at, 'a route object { path, method?, expectStatus? }', r);
  const o = r as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['path', 'method', 'expectStatus', 'echoPath', 'echo'].includes(k))
      throw new ContractError(
        file,
        `environments.${env}.${at}.${k}`,
        'a known field: path, method, expectStatus, echoPath, echo',
        `unknown field "${k}"`,
      );
  if (typeof o.path !== 'string' || !o.path.startsWith('/')) fail(file, env, `${at}.path`, 'a path starting with /', o.path);
  const method = o.method ?? 'GET';
  if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase()))
    fail(file, env, `${at}.method`, `one of ${METHODS.join(', ')}`, o.method);
  const expectStatus = o.expectStatus ?? DEFAULT_EXPECT_STATUS;
  if (typeof expectStatus !== 'number' || !Number.isInteger(expectStatus) || expectStatus < 100 || expectStatus > 599)
    fail(file, env, `${at}.expectStatus`, 'an HTTP status (100-599)', o.expectStatus);
  if (o.echoPath !== undefined && (typeof o.echoPath !== 'string' || !o.echoPath.startsWith('/')))
    fail(file, env, `${at}.echoPath`, 'a path starting with /', o.echoPath);
  if (o.echo !== undefined && typeof o.echo !== 'boolean') fail(file, env, `${at}.echo`, 'true or false', o.echo);
  const route: ApiRoute = { path: o.path, method: method.toUpperCase(), expectStatus, echo: o.echo !== false };
  if (typeof o.echoPath === 'string') route.echoPath = o.echoPath;
  return route;
}

/** `issuerBaseUrl`, else the first issuer, for clock checks. */
export function readIssuerBaseUrl(contract: Contract, env: string): string | undefined {
  const raw = rawEnvironment(contract, env);
  if (raw.issuerBaseUrl !== undefined) return raw.issuerBaseUrl as string;
  const first = contract.environments[env]?.issuer?.[0];
  return isHttpUrl(first) ? first : undefined;
}
