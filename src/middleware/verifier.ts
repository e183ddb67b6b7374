import { availableParallelism } from 'node:os';
import type { Registry } from 'prom-client';
import { rankResult, type ReasonCode, type RankOptions } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import type { Contract } from '../contract/load.ts';
import type { Diagnoser, Diagnosis } from '../diagnose.ts';
import { isKeySourceFinding } from '../keys/trust.ts';
import type { JsonObject } from '../token/decode.ts';
import { parseTokenSource, parseVerifierSection, type TokenSourceConfig, type VerifierSection } from '../contract/sections.ts';
import { extractToken, type RequestHeadersLike } from './extract_token.ts';
import type { JwksCacheSettings } from './jwks_cache.ts';
import { createMiddlewareMetrics, UNKNOWN_KID, UNMATCHED_ROUTE, type MiddlewareMetrics } from './metrics.ts';
import { createJsonLineLogger, logApplicationError, type LoggerLike } from './log.ts';
import { DEFAULT_DEBUG_PATH, type VerifierKeysSnapshot } from './debug_endpoint.ts';
import { VerifierKeySet } from './verifier_key_set.ts';
import { buildRejection, type RejectionContext } from './build_rejection.ts';
import type { RevocationSource } from '../revocation/revocation_source.ts';
import { checkRevocation, resolveRevocation, type RevocationCheck, type RevocationOptions } from './check_revocation.ts';

/** How many retired kids keep their own failure label (bounded cardinality). */
export { FORMER_KIDS_MAX } from '../defaults.ts';

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
  /**
   * Signature forensics on rejected tokens (src/forensics/, issue 11): the
   * rejection log names the cause (`cause`: ecdsa_der_encoding, ...). Off
   * by default: it costs up to MAX_FORENSIC_VERIFICATIONS extra
   * verifications per rejected request, work any client can trigger.
   * Accepted tokens never pay for it.
   */
  forensics?: boolean;
  /**
   * Revocation lookup for every verified token (docs/middleware.md
   * "Revocation"): a source from `jwt-doctor/advanced` (deny-list file,
   * Redis set, RFC 7662 introspection), cached (bounded, TTL) and failing
   * closed by default (503 `revocation_unavailable`).
   */
  revocation?: RevocationSource | RevocationOptions;
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

// The one ranker (src/reasons.ts) read the middleware's way, decided once per signature outcome (no per-token object).
const RANK_VERIFIED: RankOptions = Object.freeze({ specificClaims: true, isKeySource: isKeySourceFinding, signatureVerified: true });
const RANK_UNVERIFIED: RankOptions = Object.freeze({ specificClaims: true, isKeySource: isKeySourceFinding });

/**
 * The reason a request is rejected for: the most fundamental error finding
 * (DESIGN.md ranking). Unlike `Diagnosis.result`, claim failures keep their
 * own code (`issuer_mismatch`, not `claim_mismatch`) because dashboards and
 * on-call need the specific one. A `jwks_unreachable` (or a key the trust
 * rules refused) from one source does not reject a token another source's key verified, and explains a
 * `key_not_found` better than the latter does.
 */
export function rejectionReason(d: Diagnosis): ReasonCode | undefined {
  const result = rankResult(d.findings, d.signature.status === 'pass' ? RANK_VERIFIED : RANK_UNVERIFIED);
  return result === 'valid' ? undefined : result;
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

/** Everything createVerifier resolves once, at the door (fast-jwt's createVerifier): verify() reads only this. */
interface VerifierCore {
  env: string;
  clock: () => number;
  offload: boolean;
  tokenSource: TokenSourceConfig;
  keySet: VerifierKeySet;
  metrics: MiddlewareMetrics | undefined;
  rejection: RejectionContext;
  revocation: RevocationCheck | undefined;
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
  const metrics = options.registry === false ? undefined : createMiddlewareMetrics(options.registry);
  const defaultLogger = options.logger === false ? undefined : (options.logger ?? createJsonLineLogger());
  // An explicit `options.logger` wins; the default JSON-line logger yields to a request-scoped one (Fastify's request.log).
  const loggerFor = (perRequest: LoggerLike | undefined): LoggerLike | undefined =>
    options.logger === undefined ? (perRequest ?? defaultLogger) : defaultLogger;
  const baseDir = options.baseDir ?? options.contract?.baseDir;
  const keySet = new VerifierKeySet(expectations, {
    env,
    section,
    clock,
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    ...(baseDir !== undefined ? { baseDir } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
    forensics: options.forensics ?? false,
    onFetch: (result) => metrics?.jwksRefresh.inc({ result }),
  });
  const unregisterAge = metrics?.addCacheAgeSource(() => keySet.maxAgeSeconds(clock()));
  const rejection: RejectionContext = { env, realm, keySet, metrics, loggerFor, logLevel: options.logLevel ?? 'warn' };
  const revocation = resolveRevocation(options.revocation, clock);
  const core: VerifierCore = {
    env,
    clock,
    offload: options.offloadSignatures ?? availableParallelism() > 1,
    tokenSource,
    keySet,
    metrics,
    rejection,
    revocation,
  };
  const verifier: Verifier = {
    env,
    realm,
    tokenSource,
    section,
    debugPath:
      options.debugEndpoint === true ? DEFAULT_DEBUG_PATH : typeof options.debugEndpoint === 'string' ? options.debugEndpoint : undefined,
    metricsPath: options.metricsPath,
    metrics,
    ready: () => keySet.ready(),
    verify: ((req: VerifyRequest & { credentialsRequired?: boolean }) => verify(core, req)) as Verifier['verify'],
    logHandlerError(err, context) {
      logApplicationError(loggerFor(context.logger), err, { env, route: context.route ?? UNMATCHED_ROUTE, requestId: context.requestId });
    },
    async refreshKeys() {
      if (!keySet.loaded) await keySet.ready();
      await keySet.refresh('manual');
    },
    settled: () => keySet.settled(),
    keysSnapshot: () => keySet.snapshot(clock()),
    diagnoser: () => keySet.diagnoser,
    close() {
      unregisterAge?.();
    },
  };
  // A revocation lookup is I/O: with a source, every request takes the asynchronous path.
  if (!core.offload && !core.revocation) syncPaths.set(verifier, (req) => verifyNow(core, req));
  return verifier;
}

/**
 * The last-resort guard: whatever a client sends, the answer is an RFC
 * 6750 rejection, never a 500 (a thrown error would reach the framework's
 * error handler: 500, no WWW-Authenticate, a stack trace in its log).
 * The core reports bad tokens as findings; an exception here is a bug on
 * input we did not foresee, so the token is refused as malformed_token and
 * logged with the error's class only (its message may quote the token).
 */
async function verify(
  core: VerifierCore,
  req: VerifyRequest & { credentialsRequired?: boolean },
): Promise<VerifyOutcome | AnonymousOutcome> {
  if (!core.keySet.loaded) await core.keySet.ready();
  try {
    return await verifyRequest(core, req);
  } catch (e) {
    return buildRejection(core.rejection, 'malformed_token', req, undefined, undefined, e);
  }
}

/**
 * The adapters' synchronous fast path (not public API): the whole decision
 * in the caller's tick, so the handler runs and the response is written in
 * the same turn as the request was parsed (no promise, no microtask per
 * request). Undefined when only the asynchronous path can decide: keys not
 * loaded yet, signatures offloaded to the thread pool, or a kid that calls
 * for a key-set refetch (the asynchronous path then starts over).
 */
export type SyncVerify = (req: VerifyRequest & { credentialsRequired?: boolean }) => VerifyOutcome | AnonymousOutcome | undefined;
const syncPaths = new WeakMap<Verifier, SyncVerify>();
export const synchronousVerify = (verifier: Verifier): SyncVerify | undefined => syncPaths.get(verifier);

/** A handler's or hook's result that is a promise: the adapters catch its rejection without awaiting it. */
export const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

function verifyNow(
  core: VerifierCore,
  req: VerifyRequest & { credentialsRequired?: boolean },
): VerifyOutcome | AnonymousOutcome | undefined {
  if (!core.keySet.loaded) return undefined;
  try {
    const now = core.clock();
    const token = tokenOf(core, req, now);
    if (typeof token !== 'string') return token;
    const d = core.keySet.diagnoser.diagnose(token, { now });
    const reason = rejectionReason(d);
    if (reason === undefined) return accept(core, req, d);
    if (wantsRefetch(core, reason, d)) return undefined;
    return buildRejection(core.rejection, reason, req, d);
  } catch (e) {
    return buildRejection(core.rejection, 'malformed_token', req, undefined, undefined, e);
  }
}

/** The request's token, or the outcome when it has none (or a malformed header). */
function tokenOf(
  core: VerifierCore,
  req: VerifyRequest & { credentialsRequired?: boolean },
  now: number,
): string | VerifyOutcome | AnonymousOutcome {
  if (core.keySet.caches.length > 0) core.keySet.tick(now);
  const ex = extractToken(req, core.tokenSource);
  if (ex.ok) return ex.token;
  // Optional auth (express-jwt's credentialsRequired: false): only the absence of any token
  // passes; a malformed header or a second token is still a client error.
  if (ex.code === 'header_missing' && req.credentialsRequired === false) return ANONYMOUS;
  return buildRejection(core.rejection, ex.code, req, undefined);
}

/** RFC 7517 section 4.5 / OIDC Core 10.1.1: a new kid means the issuer rotated; refetch once (single flight, cooldown). */
const wantsRefetch = (core: VerifierCore, reason: ReasonCode, d: Diagnosis): boolean =>
  (reason === 'key_not_found' || reason === 'jwks_unreachable') && core.keySet.caches.length > 0 && typeof d.header?.kid === 'string';

async function verifyRequest(
  core: VerifierCore,
  req: VerifyRequest & { credentialsRequired?: boolean },
): Promise<VerifyOutcome | AnonymousOutcome> {
  const { keySet } = core;
  const now = core.clock();
  const token = tokenOf(core, req, now);
  if (typeof token !== 'string') return token;
  // The synchronous path is not awaited: no microtask hop per request when signatures stay on the event loop.
  let d = core.offload ? await keySet.diagnoser.diagnoseAsync(token, { now }) : keySet.diagnoser.diagnose(token, { now });
  let reason = rejectionReason(d);
  if (reason !== undefined && wantsRefetch(core, reason, d)) {
    const before = keySet.diagnoser;
    await keySet.refresh('unknown_kid');
    if (keySet.diagnoser !== before) {
      d = core.offload ? await keySet.diagnoser.diagnoseAsync(token, { now }) : keySet.diagnoser.diagnose(token, { now });
      reason = rejectionReason(d);
    }
  }
  if (reason !== undefined) return buildRejection(core.rejection, reason, req, d);
  // Only a token that passed every check is looked up (never a forged one sent to introspection).
  const revoked = core.revocation ? await checkRevocation(core.revocation, core.rejection, req, token, d) : undefined;
  return revoked ?? accept(core, req, d);
}

/** A verified token: the route's scopes (403 insufficient_scope), the verified metric, `req.auth`. */
function accept(core: VerifierCore, req: VerifyRequest, d: Diagnosis): VerifyOutcome {
  const claims = d.claims!;
  if (req.scopes && req.scopes.length > 0) {
    const granted = grantedScopes(claims);
    if (!req.scopes.every((s) => granted.has(s))) return buildRejection(core.rejection, 'insufficient_scope', req, d, req.scopes);
  }
  const kid = d.signature.kid;
  core.metrics?.verified.inc({ env: core.env, kid: kid !== undefined && core.keySet.trusted.has(kid) ? kid : UNKNOWN_KID });
  const auth: AuthContext = { claims, header: d.header!, env: core.env };
  if (kid !== undefined) auth.kid = kid;
  const tp = d.signature.thumbprint ?? d.signature.fingerprint;
  if (tp !== undefined) auth.thumbprint = tp;
  return { ok: true, auth };
}
