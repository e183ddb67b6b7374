/** What a JWKS response's HTTP caching headers allow. */
export interface CachePolicy {
  /** Cache-Control max-age (RFC 9111 section 5.2.2.1), or Expires - Date when only Expires is given. */
  maxAgeSeconds?: number;
  /** s-maxage: what shared caches (CDN, proxy) may keep (RFC 9111 section 5.2.2.10). */
  sharedMaxAgeSeconds?: number;
  /** no-store / no-cache: the issuer wants every use revalidated. */
  noCache: boolean;
  /** Where maxAgeSeconds came from. */
  from?: 'cache-control' | 'expires';
}

/**
 * Parses Cache-Control and Expires of a JWKS response. `fetchedAt` (the
 * response time) turns an Expires date into seconds. Cache-Control wins
 * over Expires (RFC 9111 section 5.3).
 *
 * @example parseCacheHeaders('public, max-age=300', undefined, new Date()).maxAgeSeconds // 300
 */
export function parseCacheHeaders(cacheControl: string | undefined, expires: string | undefined, fetchedAt: Date | undefined): CachePolicy {
  const out: CachePolicy = { noCache: false };
  if (cacheControl) {
    for (const part of cacheControl.split(',')) {
      const [rawName, rawValue] = part.trim().split('=', 2);
      const name = (rawName ?? '').toLowerCase();
      const value = rawValue?.replace(/^"|"$/g, '');
      if (name === 'no-store' || name === 'no-cache') out.noCache = true;
      if (name === 'max-age' && value !== undefined && /^\d+$/.test(value)) {
        out.maxAgeSeconds = Number(value);
        out.from = 'cache-control';
      }
      if (name === 's-maxage' && value !== undefined && /^\d+$/.test(value)) out.sharedMaxAgeSeconds = Number(value);
    }
  }
  if (out.maxAgeSeconds === undefined && expires && fetchedAt) {
    const t = Date.parse(expires);
    // RFC 9111 section 5.3: an invalid Expires (e.g. "0") means already expired.
    out.maxAgeSeconds = Number.isNaN(t) ? 0 : Math.max(0, Math.round((t - fetchedAt.getTime()) / 1000));
    out.from = 'expires';
  }
  return out;
}
