/**
 * The bounded cache in front of a revocation source: answers reused for the
 * TTL (by the injected clock), at most maxEntries kept (oldest evicted),
 * failures never cached, tokens without jti keyed by a hash of the token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheRevocation } from '../../src/revocation/cached_source.ts';
import { notRevoked, revokedBy, unavailable, type RevocationInput, type RevocationSource } from '../../src/revocation/revocation_source.ts';

/** A source that counts lookups and answers from a mutable set (a real in-memory deny list). */
function countingSource(revoked: Set<string>, down = { value: false }) {
  const calls: string[] = [];
  const source: RevocationSource = {
    name: 'memory',
    async isRevoked({ claims, token }: RevocationInput) {
      const id = typeof claims.jti === 'string' ? claims.jti : (token ?? '');
      calls.push(id);
      if (down.value) return unavailable('memory', 'unreachable', 'down');
      return revoked.has(id) ? revokedBy('memory', 'jti') : notRevoked('memory');
    },
  };
  return { source, calls };
}

test('answers are reused within the TTL and looked up again after it', async () => {
  let now = 1000;
  const revoked = new Set<string>();
  const { source, calls } = countingSource(revoked);
  const cached = cacheRevocation(source, { ttlSeconds: 30, clock: () => now });
  assert.equal(((await cached.isRevoked({ claims: { jti: 'a' } })) as { revoked: boolean }).revoked, false);
  revoked.add('a');
  now += 29;
  assert.equal(
    ((await cached.isRevoked({ claims: { jti: 'a' } })) as { revoked: boolean }).revoked,
    false,
    'within the TTL: the cached answer (the documented revocation delay)',
  );
  now += 1;
  assert.equal(((await cached.isRevoked({ claims: { jti: 'a' } })) as { revoked: boolean }).revoked, true);
  assert.deepEqual(calls, ['a', 'a']);
});

test('at most maxEntries answers are kept: the oldest is evicted first', async () => {
  const { source, calls } = countingSource(new Set());
  const cached = cacheRevocation(source, { maxEntries: 2, ttlSeconds: 60, clock: () => 0 });
  for (const jti of ['a', 'b', 'c']) await cached.isRevoked({ claims: { jti } });
  assert.equal(cached.size, 2);
  await cached.isRevoked({ claims: { jti: 'c' } });
  await cached.isRevoked({ claims: { jti: 'a' } });
  assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
});

test('failures are never cached; a token without jti is keyed by its hash; ttl 0 disables the cache', async () => {
  const down = { value: true };
  const { source, calls } = countingSource(new Set(['tok-1']), down);
  const cached = cacheRevocation(source, { ttlSeconds: 60, clock: () => 0 });
  assert.equal((await cached.isRevoked({ claims: { jti: 'x' } })).ok, false);
  down.value = false;
  assert.equal((await cached.isRevoked({ claims: { jti: 'x' } })).ok, true);
  assert.equal(((await cached.isRevoked({ claims: {}, token: 'tok-1' })) as { revoked: boolean }).revoked, true);
  assert.equal(((await cached.isRevoked({ claims: {}, token: 'tok-1' })) as { revoked: boolean }).revoked, true);
  assert.deepEqual(calls, ['x', 'x', 'tok-1']);
  const uncached = countingSource(new Set());
  const off = cacheRevocation(uncached.source, { ttlSeconds: 0 });
  await off.isRevoked({ claims: { jti: 'y' } });
  await off.isRevoked({ claims: { jti: 'y' } });
  assert.equal(uncached.calls.length, 2);
});
