import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwkThumbprint } from '../../src/keys/import.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { readVerifierKeys } from '../../src/rotation/read_verifier_keys.ts';
import { checkRotation } from '../../src/rotation/check_rotation.ts';
import { parseCacheHeaders } from '../../src/rotation/parse_cache_headers.ts';
import { jwksKey, NOW, runCli, sendJson, serve, signToken, type AsymmetricTestKey, codes } from '../helpers/index.ts';

const sortedCodes = (r: Parameters<typeof codes>[0]) => codes(r).sort();

/** The debug endpoint body the middleware serves (agreed format). */
function debugBody(keys: AsymmetricTestKey[], cacheAgeSeconds: number, ttlSeconds = 600) {
  return {
    schema: 'jwt-doctor/verifier-keys/v1',
    env: 'staging',
    source: { kind: 'jwks_uri', location: 'http://issuer/jwks' },
    fetchedAt: new Date((NOW - cacheAgeSeconds) * 1000).toISOString(),
    cacheAgeSeconds,
    ttlSeconds,
    stale: cacheAgeSeconds > ttlSeconds,
    keys: keys.map((k) => ({ kid: k.kid, kty: 'RSA', alg: 'RS256', thumbprint: jwkThumbprint(k.publicJwk) })),
  };
}

test('simulated rotation: publish new, sign with new, retire old', async () => {
  const oldKey = jwksKey('2026-10');
  const newKey = jwksKey('2026-11');
  let published: AsymmetricTestKey[] = [oldKey];
  let cacheControl = 'public, max-age=600';
  let cached: AsymmetricTestKey[] = [oldKey];
  let cacheAge = 120;
  const issuer = await serve((req, res) => {
    if (req.url === '/jwks.json') sendJson(res, { keys: published.map((k) => k.publicJwk) }, { 'cache-control': cacheControl });
    else {
      res.writeHead(404);
      res.end();
    }
  });
  const verifier = await serve((req, res) => {
    if (req.url === '/.well-known/jwt-doctor/keys') sendJson(res, debugBody(cached, cacheAge));
    else {
      res.writeHead(404);
      res.end();
    }
  });
  const check = async () => {
    const live = await loadKeyMaterial({ jwksUri: `${issuer.url}/jwks.json` }, { timeoutMs: 2000, env: 'staging' });
    const v = await readVerifierKeys({ debugUrl: `${verifier.url}/.well-known/jwt-doctor/keys`, timeoutMs: 2000 });
    return checkRotation({ env: 'staging', live, verifier: v, now: NOW });
  };
  try {
    // Before: in sync.
    let r = await check();
    assert.deepEqual(sortedCodes(r), []);
    assert.equal(r.result, 'ok');
    assert.deepEqual(
      r.keys.map((k) => k.status),
      ['in_sync'],
    );

    // Phase 1: the issuer publishes the new key; the verifier's cache still has only the old one.
    published = [oldKey, newKey];
    r = await check();
    assert.deepEqual(sortedCodes(r), ['jwks_stale']);
    const stale = r.findings[0]!;
    assert.equal(stale.detail!.kid, '2026-11');
    assert.equal(stale.detail!.reason, 'not_cached');
    // Window: TTL 600 from the debug endpoint, cache age 120, cooldown 30.
    assert.deepEqual(
      {
        ttl: r.window!.ttlSeconds,
        from: r.window!.ttlFrom,
        remaining: r.window!.ttlRemainingSeconds,
        now: r.window!.currentWindowSeconds,
        worst: r.window!.generalWindowSeconds,
        lead: r.window!.publishLeadSeconds,
      },
      { ttl: 600, from: 'debug_endpoint', remaining: 480, now: 510, worst: 630, lead: 1230 },
    );

    // Phase 2: the signer signs with the new key: the verifier's cached set rejects it, the live set accepts it.
    const token = signToken(newKey, { iss: 'https://issuer', aud: 'api', sub: 'u1', iat: NOW - 10, exp: NOW + 3600 });
    const verifierView = await createDiagnoser({
      issuer: ['https://issuer'],
      audience: ['api'],
      algorithms: ['RS256'],
      keys: [{ jwk: { keys: cached.map((k) => k.publicJwk) } }],
    });
    const issuerView = await createDiagnoser({
      issuer: ['https://issuer'],
      audience: ['api'],
      algorithms: ['RS256'],
      keys: [{ jwksUri: `${issuer.url}/jwks.json` }],
    });
    assert.equal(verifierView.diagnose(token, { now: NOW }).result, 'key_not_found');
    assert.equal(issuerView.diagnose(token, { now: NOW }).result, 'valid');

    // The verifier refreshes: in sync again.
    cached = [oldKey, newKey];
    cacheAge = 5;
    r = await check();
    assert.deepEqual(sortedCodes(r), []);

    // Phase 3: the old key is retired at the issuer; the verifier still caches it.
    published = [newKey];
    r = await check();
    assert.deepEqual(sortedCodes(r), ['jwks_key_unpublished']);
    assert.equal(r.findings[0]!.detail!.kid, '2026-10');
    assert.equal(r.findings[0]!.severity, 'warning');

    // JWKS max-age shorter than the verifier TTL: the verifier keeps keys longer than the issuer allows.
    cacheControl = 'max-age=60';
    cached = [newKey];
    r = await check();
    assert.deepEqual(sortedCodes(r), ['jwks_cache_ttl_mismatch']);
    assert.equal(r.findings[0]!.detail!.direction, 'verifier_longer');
    assert.equal(r.cache!.maxAgeSeconds, 60);

    // The same kid re-used for another key.
    const impostor = { ...jwksKey('2026-11'), kid: '2026-11' };
    published = [impostor];
    cacheControl = 'max-age=600';
    r = await check();
    assert.deepEqual(sortedCodes(r), ['jwks_stale']);
    assert.equal(r.findings[0]!.detail!.reason, 'key_changed');
  } finally {
    await issuer.close();
    await verifier.close();
  }
});

test('unreachable verifier and issuer, invalid debug document', async () => {
  const bad = await serve((req, res) => {
    if (req.url === '/wrong-schema') sendJson(res, { keys: [] });
    else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('not json');
    }
  });
  try {
    const live = await loadKeyMaterial({ jwksUri: `${bad.url}/jwks` }, { timeoutMs: 2000 });
    const v1 = await readVerifierKeys({ debugUrl: `${bad.url}/wrong-schema`, timeoutMs: 2000 });
    assert.equal(v1.ok, false);
    const r = checkRotation({ live, verifier: v1, now: NOW });
    assert.deepEqual(sortedCodes(r), ['jwks_unreachable', 'verifier_unreachable']);
    assert.equal(r.result, 'error');
    const v2 = await readVerifierKeys({});
    assert.equal(v2.ok, false);
    assert.equal(!v2.ok && v2.finding.detail!.error, 'not_configured');
  } finally {
    await bad.close();
  }
});

test('cache headers: max-age, Expires, no-store', () => {
  const at = new Date('2026-11-28T12:00:00Z');
  assert.equal(parseCacheHeaders({ 'cache-control': 'public, max-age=300, s-maxage=900' }, at).maxAgeSeconds, 300);
  assert.equal(parseCacheHeaders({ 'cache-control': 'public, max-age=300, s-maxage=900' }, at).sharedMaxAgeSeconds, 900);
  assert.deepEqual(parseCacheHeaders({ expires: 'Sat, 28 Nov 2026 12:05:00 GMT' }, at), {
    noCache: false,
    maxAgeSeconds: 300,
    from: 'expires',
    ageSeconds: 0,
    remainingSeconds: 300,
  });
  assert.equal(parseCacheHeaders({ expires: '0' }, at).maxAgeSeconds, 0);
  assert.equal(parseCacheHeaders({ 'cache-control': 'no-store' }, at).noCache, true);
});

test('CLI: rotation check with a snapshot file and a contract, exit codes', async () => {
  const oldKey = jwksKey('k-old');
  const newKey = jwksKey('k-new');
  const issuer = await serve((_req, res) =>
    sendJson(res, { keys: [oldKey.publicJwk, newKey.publicJwk] }, { 'cache-control': 'max-age=300' }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'jd-rot-'));
  try {
    const snap = join(dir, 'snap.json');
    writeFileSync(snap, JSON.stringify(debugBody([oldKey], 100, 900)));
    const contract = join(dir, 'c.yaml');
    writeFileSync(
      contract,
      `version: 1\nenvironments:\n  staging:\n    issuer: https://issuer\n    keys: [{ jwksUri: "${issuer.url}/jwks.json" }]\n    verifier: { cacheTtlSeconds: 900 }\n`,
    );
    const run = (...args: string[]) => runCli(args);
    const r = await run(
      'rotation',
      'check',
      '--env',
      'staging',
      '--contract',
      contract,
      '--snapshot',
      snap,
      '--now',
      '2026-11-28T12:00:00Z',
      '--format',
      'json',
    );
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.schema, 'jwt-doctor/rotation-check/v1');
    assert.deepEqual(out.findings.map((f: { code: string }) => f.code).sort(), ['jwks_cache_ttl_mismatch', 'jwks_stale']);
    assert.equal(out.window.ttlSeconds, 900);
    const bad = await run('rotation', 'check', '--env', 'nope', '--contract', contract);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown environment/);
    assert.ok(!bad.stderr.includes('    at '), 'no stack trace');
    const noVerifier = await run('rotation', 'check', '--jwks-url', `${issuer.url}/jwks.json`);
    assert.equal(noVerifier.code, 2);
  } finally {
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
