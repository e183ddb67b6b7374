import { cacheLifetime, type CachingHeaders } from '../net/cache_lifetime.ts';

/** What a JWKS response's HTTP caching headers allow. */
export interface CachePolicy {
  /** Freshness lifetime: Cache-Control max-age (RFC 9111 section 5.2.2.1), or Expires - Date (section 4.2.1). */
  maxAgeSeconds?: number;
  /** s-maxage: what shared caches (CDN, proxy) may keep (RFC 9111 section 5.2.2.10). */
  sharedMaxAgeSeconds?: number;
  /** no-store / no-cache: the issuer wants every use revalidated. */
  noCache: boolean;
  /** Where maxAgeSeconds came from. */
  from?: 'cache-control' | 'expires';
  /** How old the response already was when fetched: Age, or the time since its Date (section 4.2.3). */
  ageSeconds: number;
  /** Freshness left when fetched (maxAgeSeconds - ageSeconds, at least 0): what a verifier fetching it now caches it for. */
  remainingSeconds?: number;
}

/**
 * The caching policy of a JWKS response, read by the one cache-lifetime
 * reader the middleware uses too (src/net/cache_lifetime.ts): Cache-Control
 * wins over Expires (RFC 9111 section 5.3), Expires counts from Date, and
 * Age / Date say how much of the lifetime was already used. `fetchedAt` is
 * the response time.
 *
 * @example parseCacheHeaders({ 'cache-control': 'public, max-age=300', age: '250' }, new Date()).remainingSeconds // 50
 */
export function parseCacheHeaders(headers: CachingHeaders, fetchedAt: Date): CachePolicy {
  const l = cacheLifetime(headers, fetchedAt);
  const out: CachePolicy = {
    noCache: l.noCache,
    ageSeconds: l.ageSeconds,
    ...(l.sharedMaxAgeSeconds !== undefined ? { sharedMaxAgeSeconds: l.sharedMaxAgeSeconds } : {}),
  };
  if (l.from === 'max-age' || l.from === 'expires') {
    out.maxAgeSeconds = l.freshnessLifetimeSeconds!;
    out.from = l.from === 'max-age' ? 'cache-control' : 'expires';
    out.remainingSeconds = l.ttlSeconds!;
  }
  return out;
}
