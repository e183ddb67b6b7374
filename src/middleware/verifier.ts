import { availableParallelism } from 'node:os';
import type { Registry } from 'prom-client';
import { CATEGORY_ORDER, REASONS, type Finding, type ReasonCode } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import type { Contract } from '../contract/load.ts';
import { buildDiagnoser, type Diagnoser, type Diagnosis } from '../diagnose.ts';
import type { KeyRecord } from '../keys/import.ts';
import { isKeySourceFinding } from '../keys/trust.ts';
import { resolveKeys, type KeySpec, type ResolvedKeys, type SourceReport } from '../keys/sources.ts';
import type { JsonObject } from '../token/decode.ts';
import { parseTokenSource, parseVerifierSection, type TokenSourceConfig, type VerifierSection } from './config.ts';
import { extractToken, type RequestHeadersLike } from './extract_token.ts';
import { JwksCache, isRemoteKeySpec, type JwksCacheSettings } from './jwks_cache.ts';
import { createMiddlewareMetrics, UNKNOWN_KID, UNMATCHED_ROUTE, type MiddlewareMetrics } from './metrics.ts';
import { challengeFor, formatWwwAuthenticate } from './rfc6750.ts';
import { createJsonLineLogger, logApplicationError, requestIdOf, untrustedLabel, type LoggerLike, type RejectionLogRecord } from './log.ts';
import { buildKeysSnapshot, DEFAULT_DEBUG_PATH, type VerifierKeysSnapshot } from './debug_endpoint.ts';

/** How many retired kids keep their own failure label (bounded cardinality). */
export const FORMER_KIDS_MAX = 16;

export interface VerifierOptions {
  /** The contract the environment comes from: file name for errors, folder for relative key paths. */
  contract?: Contract;
  /** Folder for relative key paths when there is no contract (default cwd). */
  baseDir?: string;
  /** RFC 6750 realm (default: the environment name, else "api"). */
  realm?: string;
  /** Overrides the environment's `tokenSource` section. */
  tokenSource?: TokenSourceConfig;
  /** prom-client registry (default: prom-client's global registry); `false` disables metrics. */
  registry?: Registry | false;
  /** pino-compatible logger; default one JSON line per rejection on stderr; `false` disables. */
  logger?: LoggerLike | false;
  logLevel?: 'warn' | 'info';
  /** The clock: Date, or NumericDate seconds (tests pin it). Default the wall clock. */
  now?: () => Date | number;
  /** JWKS cache bounds (defaults in JwksCacheSettings; the TTL default comes from `verifier.cacheTtlSeconds`). */
  cache?: JwksCacheSettings;
  /** Serve the key debug endpoint (off by default): `true` for the default path, or a path. */
  debugEndpoint?: boolean | string;
  /** Serve the registry's metrics at this path from the adapters (off by default). */
  metricsPath?: string;
  /** Variables for `secret: { env }` key specs. */
  vars?: Record<string, string | undefined>;
  /**
   * Verify RSA/EC/EdDSA signatures on libuv's thread pool (the prepared
   * diagnoser's diagnoseAsync) instead of on the event loop: more requests
   * per second when the machine has a spare core (BENCHMARKS.md), one
   * thread hop per request. Default: on when `os.availableParallelism() > 1`;
   * `false` keeps the synchronous path (the lowest per-token cost on one core).
   */
  offloadSignatures?: boolean;
}

/** What a request with a verified token carries (`req.auth`). */
export interface AuthContext {
  /** Verified claims. */
  claims: JsonObject;
  /** Verified JOSE header. */
  header: JsonObject;
  /** kid of the trusted key that verified the signature. */
  kid?: string;
  thumbprint?: string;
  env: string;
}

/** The request as the verifier sees it; every adapter builds one. */
export interface VerifyRequest extends RequestHeadersLike {
  /** Route template for the metrics label and the log (never the raw path). */
  route?: string;
  /** Scopes this route requires (403 insufficient_scope when one is missing). */
  scopes?: readonly string[];
  /** The framework's request id (Fastify's `request.id`); default `x-request-id` when sane, else a new UUID. */
  requestId?: string;
  /** The framework's request-scoped logger (Fastify's `request.log`); used unless `options.logger` was given. */
  logger?: LoggerLike;
}

/**
 * A request on a route where the token is optional (`credentialsRequired:
 * false`, as express-jwt): no token at all lets it through unauthenticated;
 * a token that is present is still verified and a bad one rejected.
 */
export interface OptionalAuthRequest extends VerifyRequest {
  credentialsRequired: boolean;
}

/** No token on a route where it is optional: the request continues unauthenticated. */
export interface AnonymousOutcome {
  ok: true;
  auth: null;
}

export interface Rejection {
  ok: false;
  reason: ReasonCode;
  status: number;
  /** Response headers: WWW-Authenticate, content-type, cache-control. */
  headers: Record<string, string>;
  /** JSON body: { error?, error_description, request_id }. */
  body: string;
  requestId: string;
}

export type VerifyOutcome = { ok: true; auth: AuthContext } | Rejection;

export interface Verifier {
  readonly env: string;
  readonly realm: string;
  readonly tokenSource: TokenSourceConfig;
  readonly section: VerifierSection;
  /** The debug endpoint path, or undefined when disabled. */
  readonly debugPath: string | undefined;
  readonly metricsPath: string | undefined;
  readonly metrics: MiddlewareMetrics | undefined;
  /** Loads static keys and fetches remote key sets once; requests await it on their own. */
  ready(): Promise<void>;
  /**
   * Verifies one request. Never throws for a bad token: a rejection is a
   * value. With `credentialsRequired: false`, a request without any token
   * gives `{ ok: true, auth: null }` (no log line, no failure metric).
   */
  verify(req: OptionalAuthRequest): Promise<VerifyOutcome | AnonymousOutcome>;
  verify(req: VerifyRequest): Promise<VerifyOutcome>;
  /**
   * Logs an application error (the handler after the verifier, or an
   * `onRejected` hook) with the request id, at error level, on the
   * verifier's logger (or the request's own). Never the token.
   */
  logHandlerError(err: unknown, context: { requestId: string; route?: string; logger?: LoggerLike }): void;
  /** Forces a fetch of every remote key set (respecting single flight, not the cooldown). */
  refreshKeys(): Promise<void>;
  /** Resolves when no key fetch is in flight. */
  settled(): Promise<void>;
  /** The debug endpoint document (`jwt-doctor/verifier-keys/v1`). */
  keysSnapshot(): VerifierKeysSnapshot;
  /** The prepared diagnoser currently in use (for benchmarks and tests). */
  diagnoser(): Diagnoser;
  /** Stops counting cache age for this verifier. */
  close(): void;
}

const ANONYMOUS: AnonymousOutcome = Object.freeze({ ok: true, auth: null }) as AnonymousOutcome;

const toSeconds = (v: Date | number) => (typeof v === 'number' ? v : v.getTime() / 1000);

/** An error's class name for the log ("RangeError"), never its message. */
function errorClassOf(e: unknown): string {
  if (e instanceof Error) return untrustedLabel(e.name, 64) ?? 'Error';
  return typeof e;
}

/**
 * The reason a request is rejected for: the most fundamental error finding
 * (DESIGN.md ranking). Unlike `Diagnosis.result`, claim failures keep their
 * own code (`issuer_mismatch`, not `claim_mismatch`) because dashboards and
 * on-call need the specific one. A `jwks_unreachable` (or a key the trust
 * rules refused) from one source does not reject a token another source's key verified, and explains a
 * `key_not_found` better than the latter does.
 */
export function rejectionReason(d: Diagnosis): ReasonCode | undefined {
  const sigPass = d.signature.status === 'pass';
  let best: Finding | undefined;
  let bestRank = Infinity;
  for (const f of d.findings) {
    if (f.severity !== 'error') continue;
    if (sigPass && isKeySourceFinding(f)) continue;
    const rank = CATEGORY_ORDER.indexOf(REASONS[f.code].category);
    if (rank < bestRank || (rank === bestRank && isKeySourceFinding(f) && best?.code === 'key_not_found')) {
      best = f;
      bestRank = rank;
    }
  }
  return best?.code;
}

/** RFC 8693 section 4.2 `scope` (space-delimited) or the common `scp` (array or string). */
function grantedScopes(claims: JsonObject): Set<string> {
  const out = new Set<string>();
  for (const v of [claims.scope, claims.scp]) {
    if (typeof v === 'string') for (const s of v.split(' ')) if (s) out.add(s);
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') out.add(s);
  }
  return out;
}

/**
 * The framework-free verifier: one environment of the contract (or inline
 * expectations), the prepared diagnoser of the core on the hot path, keys
 * from the environment's `keys` (JWKS URL and discovery through
 * `JwksCache`, files and literals through `resolveKeys` once), RFC 6750
 * answers, one log line and metrics per rejection.
 *
 * @example
 * const contract = loadContract('auth-contract.yaml');
 * const verifier = createVerifier(contract.environments.staging, { contract, registry });
 * const outcome = await verifier.verify({ headers: req.headers, route: '/v1/orders/:id' });
 * if (!outcome.ok) { res.writeHead(outcome.status, outcome.headers).end(outcome.body); }
 */
export function createVerifier(expectations: Expectations, options: VerifierOptions = {}): Verifier {
  const env = expectations.name ?? 'default';
  const file = options.contract?.path ?? '(options)';
  const tokenSource = options.tokenSource ?? parseTokenSource(expectations.tokenSource, file, env);
  const section = parseVerifierSection(expectations.verifier, file, env);
  const realm = options.realm ?? expectations.name ?? 'api';
  const clock = options.now ? () => toSeconds(options.now!()) : () => Date.now() / 1000;
  const offload = options.offloadSignatures ?? availableParallelism() > 1;
  const metrics = options.registry === false ? undefined : createMiddlewareMetrics(options.registry);
  const logger = options.logger === false ? undefined : (options.logger ?? createJsonLineLogger());
  const logLevel = options.logLevel ?? 'warn';
  const debugPath = options.debugEndpoint === true ? DEFAULT_DEBUG_PATH : typeof options.debugEndpoint === 'string' ? options.debugEndpoint : undefined;
  const baseDir = options.baseDir ?? options.contract?.baseDir;

  const specs: KeySpec[] = expectations.keys ?? [];
  const staticSpecs = specs.filter((s) => !isRemoteKeySpec(s));
  const caches = specs.filter(isRemoteKeySpec).map(
    (spec) =>
      new JwksCache(spec, {
        ...(section.cacheTtlSeconds !== undefined ? { defaultTtlSeconds: section.cacheTtlSeconds } : {}),
        ...options.cache,
        env,
        ...(expectations.issuer?.[0] !== undefined ? { issuer: expectations.issuer[0] } : {}),
        now: clock,
        onFetch: (result) => {
          metrics?.jwksRefresh.inc({ result });
          // A failed refresh can change the set too: a key seen with private members leaves it (src/keys/trust.ts).
          rebuild();
        },
      }),
  );
  const unregisterAge = metrics?.addCacheAgeSource(() => {
    const now = clock();
    let max: number | undefined;
    for (const c of caches) {
      const a = c.ageSeconds(now);
      if (a !== undefined && (max === undefined || a > max)) max = a;
    }
    return max;
  });

  let staticKeys: ResolvedKeys = { keys: [], findings: [], sources: [] };
  let staticLoadedAt = 0;
  let staticLoadedIso = new Date().toISOString();
  // No provenance search on the request path: it is advice for a human
  // (`jwt-doctor diagnose`), and extra verifications any client could trigger.
  const base = buildDiagnoser(expectations, { keys: [] }, { provenance: false });
  let current: Diagnoser = base;
  let trusted = new Map<string, KeyRecord>();
  // kids this verifier trusted before and no longer does (a retired key),
  // most recent last, at most FORMER_KIDS_MAX: rejections naming one keep
  // that kid as their metric label, so `rotation retire` can see residual
  // old-key traffic; any other untrusted kid stays "unknown" (bounded labels).
  const formerKids = new Set<string>();
  let usable: boolean[] = caches.map(() => false);
  let loaded = false;
  let readyPromise: Promise<void> | undefined;

  function rebuild(): void {
    const now = clock();
    usable = caches.map((c) => c.isUsable(now));
    const keys: KeyRecord[] = [...staticKeys.keys];
    const findings: Finding[] = [...staticKeys.findings];
    const sources: SourceReport[] = [...staticKeys.sources];
    caches.forEach((c, i) => {
      if (usable[i]) keys.push(...c.keys);
      else findings.push(c.unusableFinding());
      if (c.lastReport) sources.push(c.lastReport);
    });
    const next = new Map(keys.filter((k) => k.kid !== undefined).map((k) => [k.kid!, k]));
    for (const kid of trusted.keys()) {
      if (next.has(kid)) continue;
      formerKids.delete(kid);
      formerKids.add(kid);
      if (formerKids.size > FORMER_KIDS_MAX) formerKids.delete(formerKids.values().next().value!);
    }
    for (const kid of next.keys()) formerKids.delete(kid);
    trusted = next;
    current = base.withKeys({ keys, findings, sources });
  }

  function ready(): Promise<void> {
    readyPromise ??= (async () => {
      const [own] = await Promise.all([
        resolveKeys(staticSpecs, {
          env,
          ...(baseDir !== undefined ? { baseDir } : {}),
          ...(expectations.issuer?.[0] !== undefined ? { issuer: expectations.issuer[0] } : {}),
          ...(options.vars !== undefined ? { vars: options.vars } : {}),
        }),
        ...caches.map((c) => c.refresh('initial')),
      ]);
      staticKeys = own;
      staticLoadedAt = clock();
      staticLoadedIso = new Date().toISOString();
      rebuild();
      loaded = true;
    })();
    return readyPromise;
  }

  /** Per request: start a background refresh when a TTL has passed; drop a set past its stale bound. */
  function tick(now: number): void {
    for (let i = 0; i < caches.length; i++) {
      const c = caches[i]!;
      if (c.isUsable(now) !== usable[i]) rebuild();
      // Stale-while-revalidate: this request is served from the current set.
      if (c.isDue(now)) void c.refresh('ttl');
    }
  }

  // An explicit `options.logger` wins; the default JSON-line logger yields to a request-scoped one (Fastify's request.log).
  const loggerFor = (perRequest: LoggerLike | undefined): LoggerLike | undefined => (options.logger === undefined ? (perRequest ?? logger) : logger);

  function reject(code: ReasonCode, req: VerifyRequest, d: Diagnosis | undefined, scopes?: readonly string[], unexpected?: unknown): Rejection {
    const challenge = challengeFor(code, scopes ? [...scopes] : undefined);
    const requestId = req.requestId ?? requestIdOf(req.headers['x-request-id']);
    const logger = loggerFor(req.logger);
    const route = req.route ?? UNMATCHED_ROUTE;
    const headerKid = d?.header?.kid;
    const trustedKey = typeof headerKid === 'string' ? trusted.get(headerKid) : undefined;
    const usedKey = d?.signature;
    const tokenAge = d?.clock.tokenAgeSeconds;
    if (metrics) {
      const kidLabel = trustedKey ? trustedKey.kid! : typeof headerKid === 'string' && formerKids.has(headerKid) ? headerKid : UNKNOWN_KID;
      metrics.failures.inc({ reason: code, env, kid: kidLabel, route });
      // prom-client refuses non-finite values (exp - iat of two extreme NumericDates can overflow).
      if (tokenAge !== undefined && Number.isFinite(tokenAge)) metrics.tokenAge.observe({ reason: code, env }, Math.max(0, tokenAge));
    }
    if (logger) {
      const source: { kind?: unknown; location?: unknown } | undefined = trustedKey?.source ?? usedKey?.source;
      const record: RejectionLogRecord = {
        event: 'jwt_auth_rejected',
        reason: code,
        status: challenge.status,
        env,
        kid: untrustedLabel(headerKid),
        kidTrusted: trustedKey !== undefined,
        thumbprint: trustedKey?.thumbprint ?? trustedKey?.fingerprint ?? usedKey?.thumbprint ?? usedKey?.fingerprint ?? null,
        keySource: source ? [source.kind, source.location].filter((x) => typeof x === 'string').join(' ') : null,
        keyVersion: trustedKey?.kid ?? usedKey?.kid ?? null,
        route,
        tokenAgeSeconds: tokenAge ?? null,
        clockOffsetSeconds: d?.clock.suspectedSkewSeconds ?? null,
        requestId,
      };
      if (unexpected !== undefined) record.errorClass = errorClassOf(unexpected);
      logger[logLevel](record, 'jwt rejected');
    }
    const body: Record<string, string> = {};
    if (challenge.error) body.error = challenge.error;
    body.error_description = code;
    body.request_id = requestId;
    return {
      ok: false,
      reason: code,
      status: challenge.status,
      headers: { 'www-authenticate': formatWwwAuthenticate(realm, challenge), 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(body),
      requestId,
    };
  }

  /**
   * The last-resort guard: whatever a client sends, the answer is an RFC
   * 6750 rejection, never a 500 (a thrown error would reach the framework's
   * error handler: 500, no WWW-Authenticate, a stack trace in its log).
   * The core reports bad tokens as findings; an exception here is a bug on
   * input we did not foresee, so the token is refused as malformed_token and
   * logged with the error's class only (its message may quote the token).
   */
  async function verify(req: VerifyRequest & { credentialsRequired?: boolean }): Promise<VerifyOutcome | AnonymousOutcome> {
    if (!loaded) await ready();
    try {
      return await verifyRequest(req);
    } catch (e) {
      return reject('malformed_token', req, undefined, undefined, e);
    }
  }

  async function verifyRequest(req: VerifyRequest & { credentialsRequired?: boolean }): Promise<VerifyOutcome | AnonymousOutcome> {
    const now = clock();
    if (caches.length > 0) tick(now);
    const ex = extractToken(req, tokenSource);
    if (!ex.ok) {
      // Optional auth (express-jwt's credentialsRequired: false): only the absence of any token
      // passes; a malformed header or a second token is still a client error.
      if (ex.code === 'header_missing' && req.credentialsRequired === false) return ANONYMOUS;
      return reject(ex.code, req, undefined);
    }
    let d = offload ? await current.diagnoseAsync(ex.token, { now }) : current.diagnose(ex.token, { now });
    let reason = rejectionReason(d);
    // RFC 7517 section 4.5 / OIDC Core 10.1.1: a new kid means the issuer
    // rotated; refetch once (single flight, cooldown) and check again.
    if ((reason === 'key_not_found' || reason === 'jwks_unreachable') && caches.length > 0 && typeof d.header?.kid === 'string') {
      const before = current;
      await Promise.all(caches.map((c) => c.refresh('unknown_kid')));
      if (current !== before) {
        d = offload ? await current.diagnoseAsync(ex.token, { now }) : current.diagnose(ex.token, { now });
        reason = rejectionReason(d);
      }
    }
    if (reason !== undefined) return reject(reason, req, d);
    const claims = d.claims!;
    if (req.scopes && req.scopes.length > 0) {
      const granted = grantedScopes(claims);
      if (!req.scopes.every((s) => granted.has(s))) return reject('insufficient_scope', req, d, req.scopes);
    }
    const kid = d.signature.kid;
    metrics?.verified.inc({ env, kid: kid !== undefined && trusted.has(kid) ? kid : UNKNOWN_KID });
    const auth: AuthContext = { claims, header: d.header!, env };
    if (kid !== undefined) auth.kid = kid;
    const tp = d.signature.thumbprint ?? d.signature.fingerprint;
    if (tp !== undefined) auth.thumbprint = tp;
    return { ok: true, auth };
  }

  return {
    env,
    realm,
    tokenSource,
    section,
    debugPath,
    metricsPath: options.metricsPath,
    metrics,
    ready,
    verify: verify as Verifier['verify'],
    logHandlerError(err, context) {
      logApplicationError(loggerFor(context.logger), err, { env, route: context.route ?? UNMATCHED_ROUTE, requestId: context.requestId });
    },
    async refreshKeys() {
      if (!loaded) await ready();
      await Promise.all(caches.map((c) => c.refresh('manual')));
    },
    async settled() {
      if (readyPromise) await readyPromise;
      await Promise.all(caches.map((c) => c.pending));
    },
    keysSnapshot() {
      const now = clock();
      return buildKeysSnapshot({ env, now, caches, staticSources: staticKeys.sources, staticLoadedAt, staticLoadedIso, keys: current.keys });
    },
    diagnoser: () => current,
    close() {
      unregisterAge?.();
    },
  };
}
