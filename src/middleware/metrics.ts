import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { loadPromClient } from './prom_client.ts';

/** The series the rotation retirement check reads (names agreed across areas; never rename). */
export const METRIC_NAMES = {
  verified: 'jwt_auth_verified_total',
  failures: 'jwt_auth_failures_total',
  tokenAge: 'jwt_token_age_at_rejection_seconds',
  jwksRefresh: 'jwt_jwks_refresh_total',
  jwksCacheAge: 'jwt_jwks_cache_age_seconds',
  issued: 'jwt_tokens_issued_total',
  revocation: 'jwt_revocation_lookups_total',
} as const;

/** The single value every kid outside the trusted set collapses to (bounded cardinality). */
export const UNKNOWN_KID = 'unknown';
/** The route label when no template is known: never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface MiddlewareMetrics {
  registry: Registry;
  verified: Counter<'env' | 'kid'>;
  failures: Counter<'reason' | 'env' | 'kid' | 'route'>;
  tokenAge: Histogram<'reason' | 'env'>;
  jwksRefresh: Counter<'result'>;
  /** Revocation lookups of verified tokens: not_revoked, revoked, unavailable (rejected: fail closed), fail_open (accepted anyway). */
  revocation: Counter<'env' | 'result'>;
  jwksCacheAge: Gauge<string>;
  /** Registers a source of cache age (seconds) read at scrape time; returns the unregister function. */
  addCacheAgeSource(read: () => number | undefined): () => void;
}

const ageSources = new WeakMap<Registry, Set<() => number | undefined>>();

/** Token ages from seconds (clock skew) to days (a forgotten refresh). */
export const TOKEN_AGE_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400, 604800];

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  // Two verifiers (staging + prod in one process) share one set of series.
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * The middleware's prom-client series, registered on `registry` (default:
 * prom-client's global registry) or reused when already registered there.
 *
 * @example
 * const registry = new Registry();
 * const metrics = createMiddlewareMetrics(registry);
 * metrics.verified.inc({ env: 'staging', kid: 'k1' });
 */
export function createMiddlewareMetrics(registryOption?: Registry): MiddlewareMetrics {
  const { Counter, Gauge, Histogram, register: globalRegistry } = loadPromClient();
  const registry = registryOption ?? globalRegistry;
  const registers = [registry];
  let sources = ageSources.get(registry);
  if (!sources) ageSources.set(registry, (sources = new Set()));
  const src = sources;
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    reuse(registry, name, () => new Counter<L>({ name, help, labelNames, registers }));
  return {
    registry,
    verified: counter(METRIC_NAMES.verified, 'Tokens accepted by the verifier, by environment and trusted key id.', ['env', 'kid']),
    failures: counter(
      METRIC_NAMES.failures,
      'Rejected requests, by jwt-doctor reason code, environment, trusted key id ("unknown" otherwise) and route template.',
      ['reason', 'env', 'kid', 'route'],
    ),
    tokenAge: reuse(
      registry,
      METRIC_NAMES.tokenAge,
      () =>
        new Histogram({
          name: METRIC_NAMES.tokenAge,
          help: 'now - iat of rejected tokens (seconds), to tell real expiry from clock issues.',
          labelNames: ['reason', 'env'] as const,
          buckets: TOKEN_AGE_BUCKETS,
          registers,
        }),
    ),
    jwksRefresh: counter(METRIC_NAMES.jwksRefresh, 'JWKS fetches by result (success, error).', ['result']),
    revocation: counter(
      METRIC_NAMES.revocation,
      'Revocation lookups of verified tokens by result (not_revoked, revoked, unavailable, fail_open); cache hits included.',
      ['env', 'result'],
    ),
    jwksCacheAge: reuse(
      registry,
      METRIC_NAMES.jwksCacheAge,
      () =>
        new Gauge({
          name: METRIC_NAMES.jwksCacheAge,
          help: 'Age in seconds of the oldest cached JWKS (since its last successful fetch).',
          registers,
          collect() {
            let max: number | undefined;
            for (const read of src) {
              const v = read();
              if (v !== undefined && (max === undefined || v > max)) max = v;
            }
            if (max !== undefined) this.set(max);
          },
        }),
    ),
    addCacheAgeSource(read) {
      src.add(read);
      return () => src.delete(read);
    },
  };
}
