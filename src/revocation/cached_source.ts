import { createHash } from 'node:crypto';
import { REVOCATION_CACHE_MAX_ENTRIES, REVOCATION_CACHE_TTL_SECONDS } from '../defaults.ts';
import type { RevocationAnswer, RevocationInput, RevocationSource } from './revocation_source.ts';

export interface RevocationCacheOptions {
  /** Answers kept at most (default REVOCATION_CACHE_MAX_ENTRIES); the oldest goes first. */
  maxEntries?: number;
  /** Seconds an answer is reused (default REVOCATION_CACHE_TTL_SECONDS): the revocation delay. 0 disables the cache. */
  ttlSeconds?: number;
  /** NumericDate seconds (tests pin it). */
  clock?: () => number;
}

/** The cache key of one token: its jti, or a hash of the token (never the token itself, which must not sit in memory dumps as text longer than needed). */
function keyOf(input: RevocationInput): string | undefined {
  if (typeof input.claims.jti === 'string') return 'jti:' + input.claims.jti;
  return input.token === undefined ? undefined : 'sha256:' + createHash('sha256').update(input.token).digest('base64url');
}

/**
 * A bounded cache in front of a revocation source (defaults in
 * src/defaults.ts): answers are reused for `ttlSeconds`, at most
 * `maxEntries` are kept (insertion order: the oldest is evicted first), and
 * failures are never cached, so a Redis outage ends for every token the
 * moment Redis answers again.
 *
 * @example const cached = cacheRevocation(createRedisSetSource({ url, key }), { ttlSeconds: 10 });
 */
export function cacheRevocation(
  source: RevocationSource,
  options: RevocationCacheOptions = {},
): RevocationSource & { readonly size: number } {
  const max = options.maxEntries ?? REVOCATION_CACHE_MAX_ENTRIES;
  const ttl = options.ttlSeconds ?? REVOCATION_CACHE_TTL_SECONDS;
  const clock = options.clock ?? (() => Date.now() / 1000);
  const entries = new Map<string, { answer: RevocationAnswer; until: number }>();
  return {
    name: source.name,
    get size() {
      return entries.size;
    },
    async isRevoked(input) {
      const key = ttl > 0 && max > 0 ? keyOf(input) : undefined;
      if (key === undefined) return source.isRevoked(input);
      const now = clock();
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.answer;
      const answer = await source.isRevoked(input);
      entries.delete(key);
      if (answer.ok) {
        entries.set(key, { answer, until: now + ttl });
        if (entries.size > max) entries.delete(entries.keys().next().value!);
      }
      return answer;
    },
    ...(source.close ? { close: () => source.close!() } : {}),
  };
}
