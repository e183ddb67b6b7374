import CachePolicy from 'http-cache-semantics';

/** The caching headers of one response (names as received, lower case). */
export interface CachingHeaders {
  'cache-control'?: string;
  expires?: string;
  age?: string;
  date?: string;
  pragma?: string;
  vary?: string;
}

/** How long a response may be reused, for a private cache (RFC 9111 section 4.2). */
export interface CacheLifetime {
  /**
   * Seconds the response is still fresh from the moment it was received:
   * freshness_lifetime - current_age, never below 0. Undefined when the
   * response states no freshness at all (no max-age, no Expires, not
   * no-store / no-cache): the caller's default applies (no heuristic
   * freshness for key sets).
   */
  ttlSeconds?: number;
  /** max-age, or Expires - Date (RFC 9111 section 4.2.1). */
  freshnessLifetimeSeconds?: number;
  /** current_age at receipt: max(Age, received - Date) (RFC 9111 section 4.2.3). */
  ageSeconds: number;
  /** Where the lifetime came from. */
  from?: 'max-age' | 'expires' | 'no-store' | 'no-cache';
  /** no-store / no-cache (or Pragma: no-cache): the response may not be reused without revalidation. */
  noCache: boolean;
  /** s-maxage: what shared caches (a CDN in front of the issuer) may keep (section 5.2.2.10); ignored for our own lifetime. */
  sharedMaxAgeSeconds?: number;
}

const directive = (cc: string | undefined, name: string): string | true | undefined => {
  for (const part of (cc ?? '').split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k?.toLowerCase() === name) return v === undefined ? true : v.trim().replace(/^"|"$/g, '');
  }
  return undefined;
};
const seconds = (v: string | true | undefined) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * The freshness of a response as a private cache computes it (RFC 9111):
 * the lifetime from `Cache-Control: max-age` (else `Expires` - `Date`),
 * minus the age it already had on arrival (`Age`, or the time since its
 * `Date`). `s-maxage` is for shared caches only: a verifier caching its
 * issuer's JWKS is a private cache (section 5.2.2.10). `no-store` and
 * `no-cache` give 0. The one place both `rotation check` and the
 * middleware's JWKS cache read caching headers. Pure: `receivedAt` is the
 * response time.
 *
 * @example cacheLifetime({ 'cache-control': 'max-age=300', age: '250' }, Date.now()).ttlSeconds // 50
 */
export function cacheLifetime(headers: CachingHeaders, receivedAt: Date | number): CacheLifetime {
  const at = typeof receivedAt === 'number' ? receivedAt : receivedAt.getTime();
  const cc = headers['cache-control'];
  // http-cache-semantics reads the directives, Expires against Date, Vary and Pragma; its clock is pinned to
  // the response time so its age() is the Age header alone (no resident time).
  // (now() is in its JavaScript, not in its .d.ts: hence no `override`.)
  const Pinned = class extends CachePolicy {
    now(): number {
      return at;
    }
  };
  const policy = new Pinned(
    { method: 'GET', url: '/', headers: {} },
    { status: 200, headers: { ...headers } },
    { shared: false, cacheHeuristic: 0, immutableMinTimeToLive: 0 },
  );
  const date = Date.parse(headers.date ?? '');
  // Section 4.2.3: apparent_age = max(0, response_time - date_value); current_age at receipt = max(apparent_age, Age).
  // Date has one-second resolution (RFC 9110 section 5.6.7): the sub-second rest is truncation, not age.
  const apparent = Number.isFinite(date) ? Math.max(0, Math.floor((at - date) / 1000)) : 0;
  const ageSeconds = Math.max(policy.age(), apparent);
  const shared = seconds(directive(cc, 's-maxage'));
  const out: CacheLifetime = { ageSeconds, noCache: false, ...(shared !== undefined ? { sharedMaxAgeSeconds: shared } : {}) };
  const noStore = directive(cc, 'no-store') !== undefined;
  const noCache = directive(cc, 'no-cache') !== undefined || (cc === undefined && /no-cache/i.test(headers.pragma ?? ''));
  if (noStore || noCache)
    return { ...out, noCache: true, ttlSeconds: 0, freshnessLifetimeSeconds: 0, from: noStore ? 'no-store' : 'no-cache' };
  const from = seconds(directive(cc, 'max-age')) !== undefined ? 'max-age' : headers.expires !== undefined ? 'expires' : undefined;
  if (!from) return out;
  const lifetime = policy.maxAge();
  return { ...out, from, freshnessLifetimeSeconds: lifetime, ttlSeconds: Math.max(0, lifetime - ageSeconds) };
}
