import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Registry } from 'prom-client';
import { createVerifier, withJwtAuth, type VerifierOptions } from '../../src/middleware/index.ts';
import { ttlFromHeaders } from '../../src/middleware/jwks_cache.ts';
import type { Expectations } from '../../src/expectations.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, listen, signToken, jwksKey } from '../helpers/index.ts';
import { memoryLogger, parseMetrics, sampleValue, startJwksServer, type JwksServer } from './helpers.ts';

const k1 = jwksKey('k1');
const k2 = jwksKey('k2');

function envFor(jwks: JwksServer): Expectations {
  return { name: 'staging', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwksUri: jwks.url }] };
}

function setup(jwks: JwksServer, extra: VerifierOptions = {}) {
  const clock = { t: NOW };
  const registry = new Registry();
  const verifier = createVerifier(envFor(jwks), { registry, logger: memoryLogger(), now: () => clock.t, debugEndpoint: true, ...extra });
  return { clock, registry, verifier };
}

const verifyToken = (v: ReturnType<typeof setup>['verifier'], token: string) => v.verify({ headers: { authorization: `Bearer ${token}` } });

test('TTL honours Cache-Control within bounds', () => {
  const s = { defaultTtlSeconds: 600, minTtlSeconds: 60, maxTtlSeconds: 86400 };
  assert.equal(ttlFromHeaders({ cacheControl: 'public, max-age=300' }, s), 300);
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=5' }, s), 60);
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=31536000' }, s), 86400);
  assert.equal(ttlFromHeaders({ cacheControl: 'no-store' }, s), 60);
  assert.equal(ttlFromHeaders({ cacheControl: 'no-cache, max-age=900' }, s), 60);
  assert.equal(ttlFromHeaders({}, s), 600);
  assert.equal(ttlFromHeaders({ expires: 'Sat, 28 Nov 2026 12:20:00 GMT', fetchedAt: '2026-11-28T12:00:00.000Z' }, s), 1200);
  assert.equal(ttlFromHeaders({ expires: '0', fetchedAt: '2026-11-28T12:00:00.000Z' }, s), 60);
});

test('the Cache-Control of the real JWKS response sets the TTL; past it a request triggers one background refetch', async () => {
  const jwks = await startJwksServer([k1]);
  jwks.cacheControl = 'public, max-age=120';
  const { clock, verifier } = setup(jwks);
  try {
    await verifier.ready();
    assert.equal(jwks.hits, 1);
    assert.equal(verifier.keysSnapshot().ttlSeconds, 120);
    clock.t = NOW + 100;
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
    await verifier.settled();
    assert.equal(jwks.hits, 1);
    clock.t = NOW + 121;
    assert.equal(verifier.keysSnapshot().stale, true);
    // Stale-while-revalidate: served from the cached set, refetched behind.
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
    await verifier.settled();
    assert.equal(jwks.hits, 2);
    const snap = verifier.keysSnapshot();
    assert.equal(snap.stale, false);
    assert.equal(snap.cacheAgeSeconds, 0);
  } finally {
    verifier.close();
    await jwks.close();
  }
});

test('single flight: 100 concurrent requests with a new kid cause one fetch; then the cooldown holds', async () => {
  const jwks = await startJwksServer([k1]);
  const { clock, registry, verifier } = setup(jwks, { cache: { cooldownSeconds: 30 } });
  const server = createServer(withJwtAuth(verifier, (req, res) => res.end(String(req.auth.kid))));
  const base = await listen(server);
  try {
    await verifier.ready();
    assert.equal(jwks.hits, 1);
    clock.t = NOW + 31; // past the cooldown of the initial fetch
    jwks.keys = [k1.publicJwk, k2.publicJwk]; // the issuer rotates: k2 is published
    jwks.delayMs = 300; // the refetch stays in flight while the 100 requests arrive
    const token = signToken(k2, claimsAt(NOW));
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(base + '/', { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
      ),
    );
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([200]));
    assert.deepEqual(new Set(responses.map((r) => r.body)), new Set(['k2']));
    assert.equal(jwks.hits, 2);
    jwks.delayMs = 0;

    // Within the cooldown, random kids do not reach the issuer.
    for (let i = 0; i < 20; i++) {
      const r = await verifyToken(verifier, signToken(strangerKey(), claimsAt(NOW), { kid: `random-${i}` }));
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, 'key_not_found');
    }
    assert.equal(jwks.hits, 2);
    clock.t = NOW + 62;
    await verifyToken(verifier, signToken(strangerKey(), claimsAt(NOW), { kid: 'random-again' }));
    assert.equal(jwks.hits, 3);
    const s = parseMetrics(await registry.metrics());
    assert.equal(sampleValue(s, 'jwt_jwks_refresh_total', { result: 'success' }), 3);
    assert.equal(sampleValue(s, 'jwt_auth_verified_total', { env: 'staging', kid: 'k2' }), 100);
    assert.equal(
      sampleValue(s, 'jwt_auth_failures_total', { reason: 'key_not_found', env: 'staging', kid: 'unknown', route: 'unmatched' }),
      21,
    );
  } finally {
    verifier.close();
    await closeServer(server);
    await jwks.close();
  }
});

let cachedStranger: ReturnType<typeof jwksKey> | undefined;
function strangerKey() {
  return (cachedStranger ??= jwksKey('stranger'));
}

test('JWKS answering 500: the stale set is served within the bound, then jwks_unreachable', async () => {
  const jwks = await startJwksServer([k1]);
  const { clock, registry, verifier } = setup(jwks, { cache: { defaultTtlSeconds: 600, staleIfErrorSeconds: 300, cooldownSeconds: 30 } });
  try {
    await verifier.ready();
    jwks.mode = 'error500';
    clock.t = NOW + 601;
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
    await verifier.settled();
    assert.equal(jwks.hits, 2);
    let snap = verifier.keysSnapshot();
    assert.equal(snap.stale, true);
    assert.deepEqual(
      snap.keys.map((k) => k.kid),
      ['k1'],
    );
    let s = parseMetrics(await registry.metrics());
    assert.equal(sampleValue(s, 'jwt_jwks_refresh_total', { result: 'error' }), 1);
    assert.equal(sampleValue(s, 'jwt_jwks_cache_age_seconds', {}), 601);

    clock.t = NOW + 600 + 300 + 1; // past TTL + stale-if-error
    const r = await verifyToken(verifier, signToken(k1, claimsAt(NOW)));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'jwks_unreachable');
    assert.equal(!r.ok && r.status, 401);
    await verifier.settled();
    snap = verifier.keysSnapshot();
    assert.equal(snap.stale, true);
    s = parseMetrics(await registry.metrics());
    assert.ok((sampleValue(s, 'jwt_jwks_refresh_total', { result: 'error' }) ?? 0) >= 2);

    // The issuer recovers: the next request past the cooldown refetches and is served.
    jwks.mode = 'ok';
    clock.t += 31;
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
  } finally {
    verifier.close();
    await jwks.close();
  }
});

test('JWKS that never answers: the fetch times out and the stale set is served', async () => {
  const jwks = await startJwksServer([k1]);
  const { clock, registry, verifier } = setup(jwks, { cache: { timeoutMs: 200 } });
  try {
    await verifier.ready();
    jwks.mode = 'hang';
    clock.t = NOW + 601;
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
    await verifier.settled();
    const s = parseMetrics(await registry.metrics());
    assert.equal(sampleValue(s, 'jwt_jwks_refresh_total', { result: 'error' }), 1);
    assert.equal(verifier.keysSnapshot().stale, true);
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
  } finally {
    verifier.close();
    await jwks.close();
  }
});

test('a JWKS body over the size cap is refused: jwks_unreachable, never a crash', async () => {
  const jwks = await startJwksServer([k1]);
  jwks.mode = 'huge';
  const { verifier } = setup(jwks, { cache: { maxBytes: 16 * 1024 } });
  try {
    const r = await verifyToken(verifier, signToken(k1, claimsAt(NOW)));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'jwks_unreachable');
    assert.deepEqual(verifier.keysSnapshot().keys, []);
  } finally {
    verifier.close();
    await jwks.close();
  }
});

test('an unreachable JWKS URL (connection refused) gives jwks_unreachable', async () => {
  const jwks = await startJwksServer([k1]);
  await jwks.close();
  const { verifier } = setup(jwks);
  const r = await verifyToken(verifier, signToken(k1, claimsAt(NOW)));
  assert.equal(!r.ok && r.reason, 'jwks_unreachable');
  verifier.close();
});

test('OIDC discovery goes through the same cache: issuer + /.well-known/openid-configuration, then jwks_uri', async () => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    if (req.url === '/.well-known/openid-configuration')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
    if (req.url === '/keys')
      return void res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=900' })
        .end(JSON.stringify({ keys: [k1.publicJwk] }));
    res.writeHead(404).end();
  });
  const base = await listen(server);
  const clock = { t: NOW };
  const verifier = createVerifier(
    { name: 'staging', issuer: [base], audience: [AUD], algorithms: ['RS256'], keys: [{ discovery: true }] },
    { registry: false, logger: false, now: () => clock.t },
  );
  try {
    const r = await verifier.verify({ headers: { authorization: `Bearer ${signToken(k1, claimsAt(NOW, { iss: base }))}` } });
    assert.equal(r.ok, true);
    assert.equal(hits, 2);
    const snap = verifier.keysSnapshot();
    assert.deepEqual([snap.source.kind, snap.ttlSeconds], ['discovery', 900]);
    assert.deepEqual(
      snap.keys.map((k) => k.kid),
      ['k1'],
    );
  } finally {
    verifier.close();
    await closeServer(server);
  }
});

test('two verifiers (staging and prod) share one registry: one set of series, labelled by env', async () => {
  const jwks = await startJwksServer([k1]);
  const registry = new Registry();
  const staging = createVerifier(envFor(jwks), { registry, logger: false, now: () => NOW });
  const prod = createVerifier({ ...envFor(jwks), name: 'prod', audience: ['api-prod'] }, { registry, logger: false, now: () => NOW });
  try {
    assert.equal((await verifyToken(staging, signToken(k1, claimsAt(NOW)))).ok, true);
    const r = await verifyToken(prod, signToken(k1, claimsAt(NOW)));
    assert.equal(!r.ok && r.reason, 'audience_mismatch');
    const s = parseMetrics(await registry.metrics());
    assert.equal(sampleValue(s, 'jwt_auth_verified_total', { env: 'staging', kid: 'k1' }), 1);
    assert.equal(sampleValue(s, 'jwt_auth_failures_total', { env: 'prod', reason: 'audience_mismatch', kid: 'k1' }), 1);
    assert.equal(sampleValue(s, 'jwt_jwks_refresh_total', { result: 'success' }), 2);
  } finally {
    staging.close();
    prod.close();
    await jwks.close();
  }
});

test('after a retirement, rejections naming the retired kid keep it as their label; other unknown kids stay "unknown"', async () => {
  const jwks = await startJwksServer([k1, k2]);
  const { registry, verifier } = setup(jwks);
  try {
    assert.equal((await verifyToken(verifier, signToken(k1, claimsAt(NOW)))).ok, true);
    // The issuer retires k1; the verifier refreshes and no longer trusts it.
    jwks.keys = [k2.publicJwk];
    await verifier.refreshKeys();
    const old = await verifyToken(verifier, signToken(k1, claimsAt(NOW)));
    assert.equal(!old.ok && old.reason, 'key_not_found');
    const stray = await verifyToken(verifier, signToken(jwksKey('attacker-chosen'), claimsAt(NOW)));
    assert.equal(!stray.ok && stray.reason, 'key_not_found');
    const s = parseMetrics(await registry.metrics());
    assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'key_not_found', kid: 'k1' }), 1);
    assert.equal(sampleValue(s, 'jwt_auth_failures_total', { reason: 'key_not_found', kid: 'unknown' }), 1);
    assert.equal(sampleValue(s, 'jwt_auth_failures_total', { kid: 'attacker-chosen' }), undefined);
  } finally {
    verifier.close();
    await jwks.close();
  }
});

test('offloadSignatures: the thread-pool path accepts and rejects exactly like the synchronous one', async () => {
  const jwks = await startJwksServer([k1]);
  const { verifier } = setup(jwks, { offloadSignatures: true });
  try {
    const good = signToken(k1, claimsAt(NOW));
    assert.equal((await verifyToken(verifier, good)).ok, true);
    const [h, p, s] = good.split('.');
    const sig = Buffer.from(s!, 'base64url');
    sig[10]! ^= 0xff;
    const bad = await verifyToken(verifier, `${h}.${p}.${sig.toString('base64url')}`);
    assert.equal(!bad.ok && bad.reason, 'signature_invalid');
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => verifyToken(verifier, signToken(k1, claimsAt(NOW, { jti: `j${i}` })))),
    );
    assert.ok(outcomes.every((o) => o.ok));
  } finally {
    verifier.close();
    await jwks.close();
  }
});
