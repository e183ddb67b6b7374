import type { Diagnosis } from '../diagnose.ts';
import type { RevocationSource } from '../revocation/revocation_source.ts';
import { cacheRevocation, type RevocationCacheOptions } from '../revocation/cached_source.ts';
import { buildRejection, type RejectionContext } from './build_rejection.ts';
import { requestIdOf } from './log.ts';
import { UNMATCHED_ROUTE } from './metrics.ts';
import type { Rejection, VerifyRequest } from './verifier.ts';

/**
 * The middleware's `revocation` option: a source alone (cached with the
 * defaults, failing closed), or the source with its cache bounds and
 * failure mode.
 */
export interface RevocationOptions {
  source: RevocationSource;
  /** Cache bounds (defaults REVOCATION_CACHE_MAX_ENTRIES / REVOCATION_CACHE_TTL_SECONDS in src/defaults.ts); `false`: look up every request. */
  cache?: Omit<RevocationCacheOptions, 'clock'> | false;
  /**
   * When the source cannot answer: `'closed'` (default) rejects with 503
   * `revocation_unavailable`; `'open'` accepts the verified token, logs a
   * warning and counts `jwt_revocation_lookups_total{result="fail_open"}`.
   */
  onUnavailable?: 'closed' | 'open';
}

/** What createVerifier resolves once from the option. */
export interface RevocationCheck {
  source: RevocationSource;
  failOpen: boolean;
}

/** Resolves the option at the door: a bare source becomes `{ source }`, the cache wraps it unless `cache: false`. */
export function resolveRevocation(
  option: RevocationSource | RevocationOptions | undefined,
  clock: () => number,
): RevocationCheck | undefined {
  if (option === undefined) return undefined;
  const o: RevocationOptions = 'source' in option ? option : { source: option };
  const source = o.cache === false ? o.source : cacheRevocation(o.source, { ...o.cache, clock });
  return { source, failOpen: o.onUnavailable === 'open' };
}

/**
 * Looks a verified token up: a revoked one is rejected (401
 * `token_revoked`); when the source cannot answer, fail closed (503
 * `revocation_unavailable`, no `invalid_token`: the token may be fine) or,
 * when configured, fail open with a warning and a metric. Undefined: go on.
 */
export async function checkRevocation(
  check: RevocationCheck,
  ctx: RejectionContext,
  req: VerifyRequest,
  token: string,
  d: Diagnosis,
): Promise<Rejection | undefined> {
  const answer = await check.source.isRevoked({ claims: d.claims!, token });
  const count = (result: string) => ctx.metrics?.revocation.inc({ env: ctx.env, result });
  if (answer.ok) {
    count(answer.revoked ? 'revoked' : 'not_revoked');
    return answer.revoked ? buildRejection(ctx, 'token_revoked', req, d) : undefined;
  }
  if (!check.failOpen) {
    count('unavailable');
    return buildRejection(ctx, 'revocation_unavailable', req, d);
  }
  count('fail_open');
  const record = {
    event: 'jwt_revocation_fail_open',
    env: ctx.env,
    source: answer.source,
    error: answer.error,
    route: req.route ?? UNMATCHED_ROUTE,
    requestId: req.requestId ?? requestIdOf(req.headers['x-request-id']),
  };
  ctx.loggerFor(req.logger)?.warn(record, 'revocation source unavailable: token accepted (fail open)');
  return undefined;
}
