import { RedisClient, parseRedisUrl } from './redis_client.ts';
import { notRevoked, revokedBy, unavailable, type RevocationSource } from './revocation_source.ts';

export interface RedisSetOptions {
  /** redis://HOST:PORT[/DB], no credentials. */
  url: string;
  /** The set of revoked jti values (SADD KEY JTI revokes). */
  key: string;
  /** AUTH password: read from a variable or file by the caller. */
  password?: string;
  timeoutMs?: number;
}

/**
 * A Redis set shared by a fleet of verifiers: a token is revoked when its
 * jti is a member (`SISMEMBER key jti`). Revoking is `SADD key jti` from
 * anywhere (an admin tool, the IdP's logout hook); an `EXPIRE` on the set or
 * a sorted set trimmed by exp keeps it small, and is the operator's choice.
 * A token without jti cannot be on the list: not revoked.
 *
 * @example const source = createRedisSetSource({ url: 'redis://127.0.0.1:6379', key: 'revoked-jtis' });
 */
export function createRedisSetSource(options: RedisSetOptions): RevocationSource {
  const target = parseRedisUrl(options.url);
  const name = `${options.url} ${options.key}`;
  if (!target) throw new TypeError(`not a redis://HOST:PORT[/DB] URL without credentials: ${options.url.replace(/\/\/[^@/]*@/, '//***@')}`);
  const client = new RedisClient({
    ...target,
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    name,
    async isRevoked({ claims }) {
      if (typeof claims.jti !== 'string') return notRevoked(name);
      const r = await client.command(['SISMEMBER', options.key, claims.jti]);
      if (!r.ok) return unavailable(name, r.error, r.message);
      if (r.value !== 0 && r.value !== 1) return unavailable(name, 'protocol', 'SISMEMBER answered neither 0 nor 1');
      return r.value === 1 ? revokedBy(name, 'jti') : notRevoked(name);
    },
    close: () => client.close(),
  };
}
