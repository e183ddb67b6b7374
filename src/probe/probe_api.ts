import { makeFinding, type Finding, type ReasonCode } from '../reasons.ts';
import { DEFAULT_PROBE_CONCURRENCY, DEFAULT_TIMEOUT_MS, MAX_REDIRECTS } from '../defaults.ts';
import type { ApiConfig, ApiRoute } from '../contract/api_section.ts';
import { echoPathFor, joinUrl } from './route_urls.ts';
import { classifyEcho, type HeaderFate } from './classify_echo.ts';
import { fingerprintToken } from './fingerprint.ts';
import type { TransportErrorKind } from '../net/failure.ts';
import { sendRequest, type HttpAnswer, type HttpFailure } from './send_request.ts';
import { mapRejection, parseWwwAuthenticate, type Challenge, type RejectionReason } from './www_authenticate.ts';

export const PROBE_SCHEMA = 'jwt-doctor/probe/v1';

export type RouteOutcome =
  'accepted' | 'rejected' | 'header_missing' | 'header_modified' | 'transport_error' | 'redirect_blocked' | 'unexpected_status';

export interface Redirect {
  status: number;
  /** Origin and path only: a Location may carry codes or tokens in its query. */
  location: string;
  crossOrigin: boolean;
}

export interface RouteResult {
  route: string;
  method: string;
  path: string;
  expectStatus: number;
  // Optional fields may hold undefined: a row is built with every key in
  // reading order, and JSON leaves the undefined ones out.
  status?: number | undefined;
  latencyMs?: number | undefined;
  outcome: RouteOutcome;
  /** The reason code for this row (absent when accepted as expected). */
  code?: ReasonCode | undefined;
  /** Does the route behave as the contract says (status === expectStatus)? */
  ok: boolean;
  wwwAuthenticate: Challenge[];
  rejection?: RejectionReason | undefined;
  header: HeaderFate;
  echoPath?: string | undefined;
  redirects: Redirect[];
  transport?: { error: TransportErrorKind; code?: string; message: string; elapsedMs: number; target: 'route' | 'echo' } | undefined;
  findings: Finding[];
}

export interface ProbeReport {
  schema: typeof PROBE_SCHEMA;
  env?: string;
  baseUrl: string;
  header: string;
  scheme: string | null;
  /** What was sent, as a fingerprint (never the token). */
  token: { length: number; sha256: string };
  routes: RouteResult[];
  findings: Finding[];
  /** true when every route answered the status the contract expects. */
  ok: boolean;
  checkedAt: string;
}

export interface ProbeOptions {
  /** Per-request deadline (route and echo each), default 5000 ms. */
  timeoutMs?: number;
  /** Follow redirects to another origin (the token is never sent there). */
  allowRedirects?: boolean;
  /** Skip the echo probe. */
  echo?: boolean;
  env?: string;
  /** Routes probed at once (default 4); 1 gives the cleanest latency numbers. */
  concurrency?: number;
  /** Injected clock (ms) for checkedAt. */
  now?: () => number;
}

type Followed =
  | { answer: HttpAnswer; redirects: Redirect[] }
  | { failure: HttpFailure; redirects: Redirect[] }
  | { blocked: Redirect; redirects: Redirect[] };

/**
 * Sends a request and follows redirects within the same origin
 * (RFC 9110 section 15.4). Another origin is followed only when allowed,
 * and then without the token: a credential must not leak to a host the
 * contract does not name (fetch does the same for Authorization).
 */
async function follow(
  url: string,
  method: string,
  headers: Record<string, string>,
  authHeader: string,
  options: ProbeOptions,
): Promise<Followed> {
  const redirects: Redirect[] = [];
  const origin = new URL(url).origin;
  let current = url;
  let m = method;
  let h = headers;
  for (let i = 0; ; i++) {
    const r = await sendRequest(current, { method: m, headers: h, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    if (!r.ok) return { failure: r, redirects };
    const loc = r.headers.location;
    if (r.status < 300 || r.status > 399 || r.status === 304 || !loc || i >= MAX_REDIRECTS) return { answer: r, redirects };
    let next: URL;
    try {
      next = new URL(loc, current);
    } catch {
      return { answer: r, redirects };
    }
    const cross = next.origin !== origin;
    const redirect: Redirect = { status: r.status, location: next.origin + next.pathname, crossOrigin: cross };
    if (cross && !options.allowRedirects) return { blocked: redirect, redirects };
    redirects.push(redirect);
    if (cross) {
      h = { ...h };
      delete h[authHeader];
    }
    if (r.status === 303) m = 'GET';
    current = next.href;
  }
}

/** Promise.all with at most `limit` tasks in flight, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function routeName(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
}

/**
 * Sends the same token to every route of the API and to each route's echo
 * path, and classifies each route: accepted, rejected (with our reason
 * code when the API or a known verifier states it), header_missing /
 * header_modified (proven by the echo), transport error, redirect blocked,
 * unexpected status. Adds `route_drift` when the token is accepted on some
 * routes and rejected on others. Never throws on network trouble.
 *
 * @example
 * const report = await probeApi(readApiConfig(contract, 'staging'), token, { timeoutMs: 3000 });
 * report.routes.map((r) => [r.route, r.outcome]);
 */
export async function probeApi(api: ApiConfig, token: string, options: ProbeOptions = {}): Promise<ProbeReport> {
  const now = options.now ?? Date.now;
  const routes = await mapLimited(api.routes, Math.max(1, Math.floor(options.concurrency ?? DEFAULT_PROBE_CONCURRENCY)), (route) =>
    probeRoute(api, route, token, options),
  );
  const findings = routes.flatMap((r) => r.findings);
  const drift = routeDrift(routes);
  if (drift) findings.push(drift);
  const report: ProbeReport = {
    schema: PROBE_SCHEMA,
    baseUrl: api.baseUrl,
    header: api.header,
    scheme: api.scheme,
    token: { length: token.length, sha256: fingerprintToken(token) },
    routes,
    findings,
    ok: routes.every((r) => r.ok),
    checkedAt: new Date(now()).toISOString(),
  };
  if (options.env !== undefined) report.env = options.env;
  return report;
}

async function probeRoute(api: ApiConfig, route: ApiRoute, token: string, options: ProbeOptions): Promise<RouteResult> {
  const name = routeName(route);
  const headers = { [api.header]: api.scheme === null ? token : `${api.scheme} ${token}` };
  const useEcho = options.echo !== false && route.echo;
  const echoPath = useEcho ? echoPathFor(route, api.echoPath) : undefined;
  const [main, echo] = await Promise.all([
    follow(joinUrl(api.baseUrl, route.path), route.method, headers, api.header, options),
    echoPath !== undefined ? follow(joinUrl(api.baseUrl, echoPath), 'GET', headers, api.header, options) : Promise.resolve(undefined),
  ]);
  const header = echoFate(api, token, echo);
  // Keys in reading order; undefined ones are left out of the JSON.
  const result: RouteResult = {
    route: name,
    method: route.method,
    path: route.path,
    expectStatus: route.expectStatus,
    status: undefined,
    latencyMs: undefined,
    outcome: 'accepted',
    code: undefined,
    ok: false,
    header,
    echoPath: undefined,
    wwwAuthenticate: [],
    rejection: undefined,
    redirects: main.redirects,
    transport: undefined,
    findings: [],
  };
  if (echoPath !== undefined) result.echoPath = echoPath;
  if ('failure' in main) return transportFailed(result, main.failure, options);
  if ('blocked' in main) return redirectBlocked(result, main.blocked, main.redirects);
  answered(result, main.answer);
  settleExpectation(result, main.answer.status);
  return result;
}

/** The route could not be reached: a transport_error row (timeout, refused, TLS, ...). */
function transportFailed(result: RouteResult, f: HttpFailure, options: ProbeOptions): RouteResult {
  result.outcome = 'transport_error';
  result.code = 'transport_error';
  result.latencyMs = f.elapsedMs;
  result.transport = {
    error: f.error,
    message: f.message,
    elapsedMs: f.elapsedMs,
    target: 'route',
    ...(f.code !== undefined ? { code: f.code } : {}),
  };
  result.findings.push(
    makeFinding('transport_error', {
      detail: {
        route: result.route,
        error: f.error,
        ...(f.code !== undefined ? { code: f.code } : {}),
        url: redactUrl(f.url),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      },
    }),
  );
  return result;
}

/** A redirect the probe refused to follow (cross-origin, downgrade, too many). */
function redirectBlocked(result: RouteResult, blocked: Redirect, redirects: Redirect[]): RouteResult {
  result.outcome = 'redirect_blocked';
  result.code = 'redirect_blocked';
  result.status = blocked.status;
  result.redirects = [...redirects, blocked];
  result.findings.push(
    makeFinding('redirect_blocked', { detail: { route: result.route, status: blocked.status, location: blocked.location } }),
  );
  return result;
}

/** The route answered: its outcome from the status, the challenge and the header's fate. */
function answered(result: RouteResult, a: HttpAnswer): void {
  result.status = a.status;
  result.latencyMs = a.rttMs;
  result.wwwAuthenticate = parseWwwAuthenticate(a.headersDistinct['www-authenticate']);
  result.ok = a.status === result.expectStatus;
  const headerFinding = fateFinding(result.header, result.route);
  if (a.status >= 200 && a.status < 300) {
    result.outcome = 'accepted';
    // Accepted although the header did not arrive as sent: the route does not read it.
    if (headerFinding) result.findings.push({ ...headerFinding, severity: 'warning' });
  } else if (a.status === 401 || a.status === 403) {
    rejected(result, a, headerFinding);
  } else {
    result.outcome = 'unexpected_status';
    result.code = 'route_unexpected_status';
    if (headerFinding) result.findings.push(headerFinding);
  }
}

/** A 401 or 403: the header lost on the way, or the token rejected (and why, from the challenge). */
function rejected(result: RouteResult, a: HttpAnswer, headerFinding: Finding | undefined): void {
  const { header } = result;
  const rejection = mapRejection(result.wwwAuthenticate, a.body);
  result.rejection = rejection;
  if (header.status === 'missing' || header.status === 'modified') {
    result.outcome = header.status === 'missing' ? 'header_missing' : 'header_modified';
    result.code = result.outcome;
    result.findings.push(headerFinding!);
  } else if (header.status === 'unknown' && rejection.code === 'header_missing') {
    // No echo proof: RFC 6750 section 3.1 says a challenge without an error code means no credentials were seen.
    result.outcome = 'header_missing';
    result.code = 'header_missing';
    result.findings.push(makeFinding('header_missing', { detail: { route: result.route, proof: 'www_authenticate', status: a.status } }));
  } else {
    result.outcome = 'rejected';
    result.code = rejection.code ?? 'token_rejected';
    result.findings.push(
      makeFinding(result.code, {
        detail: {
          route: result.route,
          status: a.status,
          source: rejection.source,
          ...(rejection.error !== undefined ? { error: rejection.error } : {}),
          ...(header.status === 'intact' ? { headerArrived: 'intact' } : {}),
        },
      }),
    );
  }
}

/** The row against the contract's expectStatus: an expected answer keeps its facts as info, an unexpected one says so. */
function settleExpectation(result: RouteResult, status: number): void {
  if (!result.ok && result.outcome === 'accepted') result.code = 'route_unexpected_status';
  // The contract expects this answer (a route that must reject the token): keep the facts, not as errors.
  if (result.ok) result.findings = result.findings.map((f) => ({ ...f, severity: f.severity === 'error' ? 'info' : f.severity }));
  if (!result.ok && (result.outcome === 'accepted' || result.outcome === 'unexpected_status'))
    result.findings.push(
      makeFinding('route_unexpected_status', {
        expected: result.expectStatus,
        actual: status,
        detail: { route: result.route, outcome: result.outcome },
      }),
    );
}

function echoFate(api: ApiConfig, token: string, echo: Followed | undefined): HeaderFate {
  if (echo === undefined) return { status: 'unknown', why: 'echo_disabled' };
  if ('failure' in echo || 'blocked' in echo) return { status: 'unknown', why: 'transport_error' };
  const a = echo.answer;
  if (a.status !== 200) return { status: 'unknown', why: 'echo_unavailable', httpStatus: a.status };
  let body: unknown;
  try {
    body = JSON.parse(a.body);
  } catch {
    return { status: 'unknown', why: 'echo_not_json', httpStatus: a.status };
  }
  return classifyEcho({ header: api.header, scheme: api.scheme, token }, body);
}

function fateFinding(fate: HeaderFate, route: string): Finding | undefined {
  if (fate.status === 'missing')
    return makeFinding('header_missing', {
      claim: fate.header,
      detail: { route, proof: 'echo', otherHeaders: fate.otherHeaders, cookies: fate.cookies },
    });
  if (fate.status === 'modified')
    return makeFinding('header_modified', {
      claim: fate.kind === 'moved' ? String(fate.detail.from) : fate.header,
      detail: { route, kind: fate.kind, header: fate.header, ...fate.detail },
    });
  return undefined;
}

/** The same token accepted on some routes and rejected on others (DESIGN.md `route_drift`). */
export function routeDrift(routes: readonly RouteResult[]): Finding | undefined {
  // Only routes where the contract expects the token to be accepted can drift.
  const candidates = routes.filter((r) => r.expectStatus >= 200 && r.expectStatus < 300);
  const accepted = candidates.filter((r) => r.outcome === 'accepted').map((r) => r.route);
  const rejected = candidates
    .filter((r) => r.outcome === 'rejected' || r.outcome === 'header_missing' || r.outcome === 'header_modified')
    .map((r) => ({ route: r.route, outcome: r.outcome, ...(r.code !== undefined ? { reason: r.code } : {}) }));
  if (accepted.length === 0 || rejected.length === 0) return undefined;
  return makeFinding('route_drift', { detail: { accepted, rejected } });
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return '(invalid URL)';
  }
}
