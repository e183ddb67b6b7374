import type { ReasonCode } from '../reasons.ts';
import type { Diagnosis } from '../diagnose.ts';
import type { KeyRecord } from '../keys/import.ts';
import { challengeFor, formatWwwAuthenticate, type BearerChallenge } from './rfc6750.ts';
import { requestIdOf, untrustedLabel, type LoggerLike, type RejectionLogRecord } from './log.ts';
import { UNKNOWN_KID, UNMATCHED_ROUTE, type MiddlewareMetrics } from './metrics.ts';
import type { VerifierKeySet } from './verifier_key_set.ts';
import type { Rejection, VerifyRequest } from './verifier.ts';

/** What every rejection of one verifier shares: resolved once, in createVerifier. */
export interface RejectionContext {
  env: string;
  realm: string;
  keySet: VerifierKeySet;
  metrics: MiddlewareMetrics | undefined;
  /** The logger for this request: an explicit `options.logger`, else the request's own, else the default. */
  loggerFor: (perRequest: LoggerLike | undefined) => LoggerLike | undefined;
  logLevel: 'warn' | 'info';
}

/**
 * The rejection of one request: the RFC 6750 answer (status,
 * WWW-Authenticate, a JSON body naming the reason code and the request id),
 * the failure metrics and one log record. Never the token, never a claim
 * value: the kid only as an untrusted label, keys by thumbprint.
 */
export function buildRejection(
  ctx: RejectionContext,
  code: ReasonCode,
  req: VerifyRequest,
  d: Diagnosis | undefined,
  scopes?: readonly string[],
  unexpected?: unknown,
): Rejection {
  const challenge = challengeFor(code, scopes ? [...scopes] : undefined);
  const requestId = req.requestId ?? requestIdOf(req.headers['x-request-id']);
  const route = req.route ?? UNMATCHED_ROUTE;
  countRejection(ctx, code, route, d);
  const logger = ctx.loggerFor(req.logger);
  if (logger) {
    const record = rejectionLogRecord(ctx, code, challenge.status, route, requestId, d);
    if (unexpected !== undefined) record.errorClass = errorClassOf(unexpected);
    const cause = d?.findings.find((f) => f.code === code && typeof f.detail?.cause === 'string')?.detail!.cause;
    if (typeof cause === 'string') record.cause = cause;
    logger[ctx.logLevel](record, 'jwt rejected');
  }
  return {
    ok: false,
    reason: code,
    status: challenge.status,
    headers: {
      'www-authenticate': formatWwwAuthenticate(ctx.realm, challenge),
      'content-type': 'application/json',
      'cache-control': 'no-store',
    },
    body: rejectionBody(challenge, requestId),
    requestId,
  };
}

/** RFC 6750 section 3: { error?, error_description, request_id }, the reason code as the description. */
function rejectionBody(challenge: BearerChallenge, requestId: string): string {
  const body: Record<string, string> = {};
  if (challenge.error) body.error = challenge.error;
  body.error_description = challenge.description;
  body.request_id = requestId;
  return JSON.stringify(body);
}

function countRejection(ctx: RejectionContext, code: ReasonCode, route: string, d: Diagnosis | undefined): void {
  const metrics = ctx.metrics;
  if (!metrics) return;
  metrics.failures.inc({ reason: code, env: ctx.env, kid: ctx.keySet.kidLabel(d?.header?.kid, UNKNOWN_KID), route });
  const tokenAge = d?.clock.tokenAgeSeconds;
  // prom-client refuses non-finite values (exp - iat of two extreme NumericDates can overflow).
  if (tokenAge !== undefined && Number.isFinite(tokenAge)) metrics.tokenAge.observe({ reason: code, env: ctx.env }, Math.max(0, tokenAge));
}

function rejectionLogRecord(
  ctx: RejectionContext,
  code: ReasonCode,
  status: number,
  route: string,
  requestId: string,
  d: Diagnosis | undefined,
): RejectionLogRecord {
  const headerKid = d?.header?.kid;
  const trustedKey: KeyRecord | undefined = typeof headerKid === 'string' ? ctx.keySet.trusted.get(headerKid) : undefined;
  const usedKey = d?.signature;
  const source: { kind?: unknown; location?: unknown } | undefined = trustedKey?.source ?? usedKey?.source;
  return {
    event: 'jwt_auth_rejected',
    reason: code,
    status,
    env: ctx.env,
    kid: untrustedLabel(headerKid),
    kidTrusted: trustedKey !== undefined,
    thumbprint: trustedKey?.thumbprint ?? trustedKey?.fingerprint ?? usedKey?.thumbprint ?? usedKey?.fingerprint ?? null,
    keySource: source ? [source.kind, source.location].filter((x) => typeof x === 'string').join(' ') : null,
    keyVersion: trustedKey?.kid ?? usedKey?.kid ?? null,
    route,
    tokenAgeSeconds: d?.clock.tokenAgeSeconds ?? null,
    clockOffsetSeconds: d?.clock.suspectedSkewSeconds ?? null,
    requestId,
  };
}

/** An error's class name for the log ("RangeError"), never its message. */
function errorClassOf(e: unknown): string {
  if (e instanceof Error) return untrustedLabel(e.name, 64) ?? 'Error';
  return typeof e;
}
