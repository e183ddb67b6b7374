/**
 * Revocation sources (issue 12 item 6): one interface, `isRevoked`, three
 * sources (deny-list file, Redis set, RFC 7662 introspection), a bounded
 * cache, and the builder from a contract's `policy.revocation`.
 */
export type { RevocationSource, RevocationInput, RevocationAnswer, RevocationFailure, RevokedBy } from './revocation_source.ts';
export { createDenylistSource, parseDenylist, type Denylist } from './denylist_source.ts';
export { createRedisSetSource, type RedisSetOptions } from './redis_set_source.ts';
export { createIntrospectionSource, type IntrospectionOptions } from './introspection_source.ts';
export { cacheRevocation, type RevocationCacheOptions } from './cached_source.ts';
export { createRevocationSource, type RevocationContext } from './from_config.ts';
