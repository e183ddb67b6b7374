/**
 * The Redis revocation source and its RESP client against a real
 * redis-server on 127.0.0.1 (test/helpers/redis_server.ts): membership of
 * the shared set, AUTH with a password from a variable, a database index,
 * and the failures a verifier must name: refused connection, wrong password,
 * a server that never answers (timeout), a key of the wrong type.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRedisSetSource } from '../../src/revocation/redis_set_source.ts';
import { RedisClient, encodeCommand, parseRedisUrl, parseReply } from '../../src/revocation/redis_client.ts';
import { freePort, startRedis, type RunningRedis } from '../helpers/redis_server.ts';

let redis: RunningRedis;
let locked: RunningRedis;
let admin: RedisClient;
const PASSWORD = 'test-only-redis-password';

before(async () => {
  [redis, locked] = await Promise.all([startRedis(), startRedis({ password: PASSWORD })]);
  admin = new RedisClient({ host: '127.0.0.1', port: redis.port });
  assert.deepEqual(await admin.command(['SADD', 'revoked-jtis', 'jti-revoked', 'jti-other']), { ok: true, value: 2 });
  assert.deepEqual(await admin.command(['SET', 'not-a-set', 'x']), { ok: true, value: 'OK' });
  assert.deepEqual(await admin.command(['SELECT', '3']), { ok: true, value: 'OK' });
  assert.deepEqual(await admin.command(['SADD', 'revoked-jtis', 'only-in-db-3']), { ok: true, value: 1 });
});

after(async () => {
  await admin.close();
  await Promise.all([redis.close(), locked.close()]);
});

test('a jti in the shared set is revoked, one outside it is not, a token without jti cannot be on the list', async () => {
  const source = createRedisSetSource({ url: redis.url, key: 'revoked-jtis' });
  try {
    assert.deepEqual(await source.isRevoked({ claims: { jti: 'jti-revoked' } }), {
      ok: true,
      revoked: true,
      source: source.name,
      by: 'jti',
    });
    assert.deepEqual(await source.isRevoked({ claims: { jti: 'jti-fresh' } }), { ok: true, revoked: false, source: source.name });
    assert.deepEqual(await source.isRevoked({ claims: { sub: 'no-jti' } }), { ok: true, revoked: false, source: source.name });
    // A revocation another verifier of the fleet wrote is seen on the next lookup (no cache in the source itself).
    await admin.command(['SELECT', '0']);
    await admin.command(['SADD', 'revoked-jtis', 'jti-fresh']);
    assert.deepEqual(await source.isRevoked({ claims: { jti: 'jti-fresh' } }), { ok: true, revoked: true, source: source.name, by: 'jti' });
  } finally {
    await source.close!();
  }
});

test('the database index of the URL is selected on connect', async () => {
  const db3 = createRedisSetSource({ url: `${redis.url}/3`, key: 'revoked-jtis' });
  const db0 = createRedisSetSource({ url: redis.url, key: 'revoked-jtis' });
  try {
    assert.equal(((await db3.isRevoked({ claims: { jti: 'only-in-db-3' } })) as { revoked: boolean }).revoked, true);
    assert.equal(((await db0.isRevoked({ claims: { jti: 'only-in-db-3' } })) as { revoked: boolean }).revoked, false);
  } finally {
    await Promise.all([db3.close!(), db0.close!()]);
  }
});

test('AUTH: the right password answers; none or a wrong one is unauthorized, never a crash', async () => {
  const good = createRedisSetSource({ url: locked.url, key: 'revoked-jtis', password: PASSWORD });
  const none = createRedisSetSource({ url: locked.url, key: 'revoked-jtis' });
  const wrong = createRedisSetSource({ url: locked.url, key: 'revoked-jtis', password: 'wrong-password' });
  try {
    assert.deepEqual(await good.isRevoked({ claims: { jti: 'x' } }), { ok: true, revoked: false, source: good.name });
    const a = await none.isRevoked({ claims: { jti: 'x' } });
    const b = await wrong.isRevoked({ claims: { jti: 'x' } });
    assert.equal(a.ok === false && a.error, 'unauthorized');
    assert.equal(b.ok === false && b.error, 'unauthorized');
    assert.ok(!JSON.stringify(b).includes('wrong-password'), 'the password never appears in an answer');
  } finally {
    await Promise.all([good.close!(), none.close!(), wrong.close!()]);
  }
});

test('Redis unreachable (nothing listens on the port): an unreachable answer, never a throw', async () => {
  const port = await freePort();
  const source = createRedisSetSource({ url: `redis://127.0.0.1:${port}`, key: 'revoked-jtis', timeoutMs: 5000 });
  try {
    const a = await source.isRevoked({ claims: { jti: 'x' } });
    assert.equal(a.ok, false);
    assert.equal(!a.ok && a.error, 'unreachable');
  } finally {
    await source.close!();
  }
});

test('a server that accepts the connection and never answers: timeout', async () => {
  const silent: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const source = createRedisSetSource({ url: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, key: 'k', timeoutMs: 100 });
  try {
    const a = await source.isRevoked({ claims: { jti: 'x' } });
    assert.equal(!a.ok && a.error, 'timeout');
  } finally {
    await source.close!();
    silent.close();
  }
});

test('a key of the wrong type is a protocol failure (WRONGTYPE), not "not revoked"', async () => {
  const source = createRedisSetSource({ url: redis.url, key: 'not-a-set' });
  try {
    const a = await source.isRevoked({ claims: { jti: 'x' } });
    assert.equal(!a.ok && a.error, 'protocol');
  } finally {
    await source.close!();
  }
});

test('RESP2 encoding and parsing: partial replies wait, bulk strings by byte length, hostile bytes are refused', () => {
  assert.equal(encodeCommand(['SISMEMBER', 'k', 'é']).toString(), '*3\r\n$9\r\nSISMEMBER\r\n$1\r\nk\r\n$2\r\né\r\n');
  assert.deepEqual(parseReply(Buffer.from(':1\r\n'), 0), { value: 1, next: 4 });
  assert.equal(parseReply(Buffer.from('$5\r\nhel'), 0), undefined);
  assert.deepEqual(parseReply(Buffer.from('*2\r\n$1\r\na\r\n:7\r\n'), 0), { value: ['a', 7], next: 15 });
  assert.deepEqual(parseReply(Buffer.from('-ERR nope\r\n'), 0)!.value, { error: 'ERR nope' });
  assert.throws(() => parseReply(Buffer.from('HTTP/1.1 200 OK\r\n'), 0));
  assert.throws(() => parseReply(Buffer.from('*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n'), 0));
  assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6380/2'), { host: '127.0.0.1', port: 6380, db: 2 });
  assert.equal(parseRedisUrl('redis://user:pass@127.0.0.1:6379'), undefined);
  assert.throws(
    () => createRedisSetSource({ url: 'redis://:secret@127.0.0.1:6379', key: 'k' }),
    (e: Error) => !e.message.includes('secret'),
  );
});
