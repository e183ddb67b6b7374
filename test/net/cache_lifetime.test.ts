/**
 * Cache lifetime by RFC 9111 (Age, Date, Expires, s-maxage, no-store) in
 * one place, read the same way by the middleware's JWKS cache and by
 * `rotation check`, over a real HTTP server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheLifetime } from '../../src/net/cache_lifetime.ts';
import { ttlFromHeaders, JwksCache } from '../../src/middleware/jwks_cache.ts';
import { parseCacheHeaders } from '../../src/rotation/parse_cache_headers.ts';
import { checkRotation } from '../../src/rotation/check_rotation.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { readVerifierKeys } from '../../src/rotation/read_verifier_keys.ts';
import { startServer } from '../helpers/http_server.ts';
import { jwksKey } from '../helpers/index.ts';

const AT = Date.parse('2026-11-28T12:00:00Z');
const http = (t: number) => new Date(t).toUTCString();
const clamp = { defaultTtlSeconds: 600, minTtlSeconds: 60, maxTtlSeconds: 86400 };

test('max-age minus Age: Cache-Control max-age=300 with Age: 250 leaves 50 s', () => {
  const l = cacheLifetime({ 'cache-control': 'max-age=300', age: '250' }, AT);
  assert.deepEqual([l.ttlSeconds, l.freshnessLifetimeSeconds, l.ageSeconds, l.from], [50, 300, 250, 'max-age']);
  assert.equal(parseCacheHeaders({ 'cache-control': 'max-age=300', age: '250' }, new Date(AT)).remainingSeconds, 50);
  // The middleware: 50 s, clamped up to its 60 s floor; with Age 100, 200 s.
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=300', age: '250', fetchedAt: new Date(AT).toISOString() }, clamp), 60);
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=300', age: '100', fetchedAt: new Date(AT).toISOString() }, clamp), 200);
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=300', age: '900' }, AT).ttlSeconds, 0, 'never negative');
});

test('Date: Expires counts from Date, and a Date in the past is age already used', () => {
  // Sent 100 s before it arrived, fresh for 600 s from its Date: 500 s left.
  const e = cacheLifetime({ date: http(AT - 100_000), expires: http(AT + 500_000) }, AT);
  assert.deepEqual([e.ttlSeconds, e.freshnessLifetimeSeconds, e.ageSeconds, e.from], [500, 600, 100, 'expires']);
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=300', date: http(AT - 30_000) }, AT).ttlSeconds, 270);
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=300', date: http(AT - 30_000), fetchedAt: new Date(AT).toISOString() }, clamp), 270);
  // The larger of Age and the apparent age (section 4.2.3).
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=300', date: http(AT - 30_000), age: '120' }, AT).ttlSeconds, 180);
  // A Date in the future (server clock ahead) is no negative age; sub-second Date truncation is no age.
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=300', date: http(AT + 60_000) }, AT).ttlSeconds, 300);
  assert.equal(cacheLifetime({ 'cache-control': 'max-age=300', date: http(AT) }, AT + 999).ttlSeconds, 300);
  assert.equal(cacheLifetime({ expires: '0' }, AT).ttlSeconds, 0, 'an invalid Expires is already expired (section 5.3)');
  assert.equal(
    cacheLifetime({ 'cache-control': 'max-age=60', expires: http(AT + 3_600_000) }, AT).ttlSeconds,
    60,
    'max-age wins over Expires',
  );
});

test('a private cache: s-maxage is ignored; no-store / no-cache / Pragma are 0; no headers leave the default', () => {
  assert.equal(cacheLifetime({ 'cache-control': 'public, s-maxage=30, max-age=300' }, AT).ttlSeconds, 300);
  assert.equal(cacheLifetime({ 'cache-control': 's-maxage=30' }, AT).ttlSeconds, undefined);
  assert.equal(cacheLifetime({ 'cache-control': 'public, s-maxage=30, max-age=300' }, AT).sharedMaxAgeSeconds, 30);
  for (const h of [{ 'cache-control': 'no-store' }, { 'cache-control': 'no-cache, max-age=900' }, { pragma: 'no-cache' }]) {
    const l = cacheLifetime(h, AT);
    assert.deepEqual([l.ttlSeconds, l.noCache], [0, true], JSON.stringify(h));
  }
  // The middleware never refetches per request: 0 is clamped to its 60 s floor.
  assert.equal(ttlFromHeaders({ cacheControl: 'no-store' }, clamp), 60);
  assert.equal(ttlFromHeaders({ cacheControl: 'no-cache, max-age=900' }, clamp), 60);
  assert.equal(cacheLifetime({}, AT).ttlSeconds, undefined, 'no heuristic freshness from Last-Modified for a key set');
  assert.equal(cacheLifetime({ 'last-modified': http(AT - 30 * 86400_000) } as never, AT).ttlSeconds, undefined);
  assert.equal(ttlFromHeaders({}, clamp), 600);
  assert.equal(ttlFromHeaders({ cacheControl: 'max-age=31536000' }, clamp), 86400, 'the clamp stays');
});

test('one reader: the JWKS cache and rotation check agree on a real response with Age and Date', async () => {
  const key = jwksKey('k1');
  const sentAt = Date.now() - 40_000;
  const server = await startServer({
    '/jwks.json': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', age: '100', date: http(sentAt) });
      res.end(JSON.stringify({ keys: [key.publicJwk] }));
    },
    '/debug': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          schema: 'jwt-doctor/verifier-keys/v1',
          fetchedAt: new Date().toISOString(),
          cacheAgeSeconds: 0,
          ttlSeconds: 200,
          stale: false,
          keys: [{ kid: 'k1', kty: 'RSA' }],
        }),
      );
    },
  });
  try {
    const cache = new JwksCache({ jwksUri: `${server.url}/jwks.json` });
    assert.equal(await cache.refresh('initial'), true);
    // max(Age 100, apparent age ~40) = 100: 200 s left, not 300.
    assert.equal(cache.ttlSeconds, 200);

    const [live, verifier] = await Promise.all([
      loadKeyMaterial({ jwksUri: `${server.url}/jwks.json` }, { timeoutMs: 2000 }),
      readVerifierKeys({ debugUrl: `${server.url}/debug`, timeoutMs: 2000 }),
    ]);
    const r = checkRotation({ live, verifier, now: Date.now() / 1000 });
    assert.equal(r.cache!.maxAgeSeconds, 300);
    assert.equal(r.cache!.ageSeconds, 100);
    assert.equal(r.cache!.remainingSeconds, cache.ttlSeconds, 'both readers give the same freshness');
  } finally {
    await server.close();
  }
});
