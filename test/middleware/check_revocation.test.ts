/**
 * The middleware's `revocation` option through the node:http adapter: a
 * real redis-server holds the fleet's revoked jti set; a revoked token is
 * 401 token_revoked (RFC 6750 invalid_token); an unreachable Redis fails
 * closed with 503 revocation_unavailable (no invalid_token: the token may be
 * fine) or, when configured, fails open with a log record and a metric; the
 * answer cache honours its TTL by the verifier's injected clock.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import {
  createVerifier,
  withJwtAuth,
  createRedisSetSource,
  createDenylistSource,
  type RevocationSource,
  type VerifierOptions,
} from '../../src/middleware/index.ts';
import type { Expectations } from '../../src/expectations.ts';
import { RedisClient } from '../../src/revocation/redis_client.ts';
import { AUD, ISS, NOW, closeServer, listen, memoryLogger, parseMetrics, sampleValue } from './helpers.ts';
import { claimsAt, jwksKey, signToken as signClaims, type AsymmetricTestKey } from '../helpers/index.ts';

type TestKey = AsymmetricTestKey & { kid: string };
const makeKey = (kid: string): TestKey => jwksKey(kid);
/** The standard claims at NOW with `claims` over them. */
const signToken = (key: TestKey, claims: Record<string, unknown> = {}): string => signClaims(key, claimsAt(NOW, claims));
import { freePort, startRedis, type RunningRedis } from '../helpers/redis_server.ts';

let key: TestKey;
let env: Expectations;
let redis: RunningRedis;
const servers: Server[] = [];
const sources: RevocationSource[] = [];
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-mw-revocation-'));

before(async () => {
  key = makeKey('k1');
  env = { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk: key.publicJwk }] };
  redis = await startRedis();
  const admin = new RedisClient({ host: '127.0.0.1', port: redis.port });
  await admin.command(['SADD', 'revoked-jtis', 'jti-stolen']);
  await admin.close();
});

after(async () => {
  await Promise.all(servers.map(closeServer));
  await Promise.all(sources.map((s) => s.close?.()));
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(options: VerifierOptions): Promise<string> {
  const verifier = createVerifier(env, { logger: false, registry: false, ...options });
  const server = createServer(
    withJwtAuth(
      verifier,
      (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub })),
    ),
  );
  servers.push(server);
  return listen(server);
}

async function call(base: string, jti: string): Promise<{ status: number; reason: string; challenge: string }> {
  const res = await fetch(base + '/orders', { headers: { authorization: `Bearer ${signToken(key, { jti })}` } });
  const body = (await res.json()) as { error_description?: string };
  return { status: res.status, reason: body.error_description ?? 'ok', challenge: res.headers.get('www-authenticate') ?? '' };
}

const redisSource = (url: string) => {
  const s = createRedisSetSource({ url, key: 'revoked-jtis', timeoutMs: 2000 });
  sources.push(s);
  return s;
};

test('Redis set shared by the fleet: a revoked jti is 401 token_revoked, another passes, both counted', async () => {
  const registry = new Registry();
  const base = await serve({ now: () => NOW, registry, revocation: redisSource(redis.url) });
  const revoked = await call(base, 'jti-stolen');
  assert.deepEqual([revoked.status, revoked.reason], [401, 'token_revoked']);
  assert.match(revoked.challenge, /error="invalid_token", error_description="token_revoked"/);
  assert.deepEqual([(await call(base, 'jti-fine')).status], [200]);
  const samples = parseMetrics(await registry.metrics());
  assert.equal(sampleValue(samples, 'jwt_revocation_lookups_total', { env: 'staging', result: 'revoked' }), 1);
  assert.equal(sampleValue(samples, 'jwt_revocation_lookups_total', { env: 'staging', result: 'not_revoked' }), 1);
  assert.equal(sampleValue(samples, 'jwt_auth_failures_total', { reason: 'token_revoked', env: 'staging' }), 1);
});

test('Redis unreachable: fail closed by default (503 revocation_unavailable, no invalid_token), logged with the reason', async () => {
  const logger = memoryLogger();
  const base = await serve({ now: () => NOW, logger, revocation: redisSource(`redis://127.0.0.1:${await freePort()}`) });
  const r = await call(base, 'jti-any');
  assert.deepEqual([r.status, r.reason], [503, 'revocation_unavailable']);
  assert.ok(!r.challenge.includes('invalid_token'), r.challenge);
  assert.equal(logger.records.at(-1)!.reason, 'revocation_unavailable');
});

test('fail open when configured: the verified token passes, with a warning record and the fail_open metric', async () => {
  const logger = memoryLogger();
  const registry = new Registry();
  const base = await serve({
    now: () => NOW,
    logger,
    registry,
    revocation: { source: redisSource(`redis://127.0.0.1:${await freePort()}`), onUnavailable: 'open' },
  });
  assert.equal((await call(base, 'jti-any')).status, 200);
  const record = logger.records.find((x) => x.event === 'jwt_revocation_fail_open')!;
  assert.deepEqual([record.error, record.env], ['unreachable', 'staging']);
  assert.equal(
    sampleValue(parseMetrics(await registry.metrics()), 'jwt_revocation_lookups_total', { env: 'staging', result: 'fail_open' }),
    1,
  );
});

test('the answer cache: a jti revoked after its first lookup is refused once the TTL has passed on the verifier clock', async () => {
  const file = join(dir, 'revoked.txt');
  writeFileSync(file, '# none yet\n');
  let now = NOW;
  const base = await serve({
    now: () => now,
    revocation: { source: createDenylistSource(file), cache: { ttlSeconds: 30, maxEntries: 100 } },
  });
  assert.equal((await call(base, 'jti-late')).status, 200);
  appendFileSync(file, 'jti-late\n');
  now += 29;
  assert.equal((await call(base, 'jti-late')).status, 200, 'within the TTL the cached answer stands (the documented revocation delay)');
  now += 1;
  assert.deepEqual((await call(base, 'jti-late')).reason, 'token_revoked');
});

test('only tokens that pass every other check are looked up: an expired, revoked token is token_expired and no lookup is counted', async () => {
  const file = join(dir, 'expired.txt');
  writeFileSync(file, 'jti-expired\n');
  const registry = new Registry();
  const base = await serve({ now: () => NOW, registry, revocation: { source: createDenylistSource(file), cache: false } });
  const res = await fetch(base + '/', { headers: { authorization: `Bearer ${signToken(key, { jti: 'jti-expired', exp: NOW - 100 })}` } });
  assert.equal(((await res.json()) as { error_description: string }).error_description, 'token_expired');
  const lookups = parseMetrics(await registry.metrics()).filter((x) => x.name === 'jwt_revocation_lookups_total');
  assert.deepEqual(lookups, []);
});
