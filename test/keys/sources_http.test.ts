/**
 * JWKS URL and OIDC discovery against a real HTTP server on 127.0.0.1 (no
 * mocked fetch): success, timeout, 404, 500, invalid JSON, oversized body
 * (with and without content-length), discovery without jwks_uri, and the
 * discovery -> jwks_uri chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchJson } from '../../src/net/fetch_json.ts';
import { resolveKeySpec } from '../../src/keys/sources.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { startServer, json, hang, type TestServer } from '../helpers/http_server.ts';
import { claimsAt, jwksOf, makeKey, signJws } from '../helpers/mint.ts';
import { codes, NOW } from '../helpers/index.ts';

const key = makeKey('ES256', { kid: 'srv-1' });
const big = JSON.stringify({ keys: [], pad: 'x'.repeat(4096) });
let s: TestServer;

test.before(async () => {
  s = await startServer({
    '/jwks.json': json(jwksOf(key), 200, { 'cache-control': 'max-age=600' }),
    '/hang': hang,
    '/500': json({ error: 'boom' }, 500),
    '/invalid': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"keys": [');
    },
    '/big-declared': json(big),
    '/big-chunked': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // no content-length: chunked
      for (let i = 0; i < 8; i++) res.write(big.slice(i * 600, (i + 1) * 600));
      res.end(big.slice(4800));
    },
    '/not-a-jwks': json({ hello: 'world' }),
    '/stall-body': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys": ['); // headers and half a body, then nothing
    },
  });
  // Issuers for discovery: each path prefix serves its own /.well-known/openid-configuration.
  s.route('/good/.well-known/openid-configuration', json({ issuer: `${s.url}/good`, jwks_uri: `${s.url}/jwks.json` }));
  s.route('/nojwks/.well-known/openid-configuration', json({ issuer: `${s.url}/nojwks` }));
  s.route('/badjwks/.well-known/openid-configuration', json({ issuer: `${s.url}/badjwks`, jwks_uri: `${s.url}/500` }));
  s.route('/wrongiss/.well-known/openid-configuration', json({ issuer: 'https://someone-else.example', jwks_uri: `${s.url}/jwks.json` }));
});
test.after(() => s.close());

test('fetchJson: success with headers and elapsed time', async () => {
  const r = await fetchJson(`${s.url}/jwks.json`, { timeoutMs: 2000 });
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'max-age=600');
  assert.deepEqual(r.json, jwksOf(key));
});

test('fetchJson: every failure is a value with an error kind, never a throw', async () => {
  const cases: [string, string, number | undefined][] = [
    ['/hang', 'timeout', undefined],
    ['/stall-body', 'timeout', undefined],
    ['/missing', 'http_status', 404],
    ['/500', 'http_status', 500],
    ['/invalid', 'invalid_json', 200],
    ['/big-declared', 'too_large', 200],
    ['/big-chunked', 'too_large', 200],
  ];
  for (const [path, error, status] of cases) {
    const r = await fetchJson(`${s.url}${path}`, { timeoutMs: 300, maxBytes: 1024 });
    assert.equal(r.ok, false, path);
    if (r.ok) continue;
    assert.equal(r.error, error, path);
    assert.equal(r.status, status, path);
  }
  const bad = await fetchJson('file:///etc/passwd');
  assert.equal(bad.ok === false && bad.error, 'invalid_url');
  const refused = await fetchJson('http://127.0.0.1:1/jwks.json', { timeoutMs: 1000 });
  assert.equal(refused.ok === false && refused.error, 'network');
});

test('jwksUri: keys load; failures are jwks_unreachable with status / error in detail', async () => {
  const ok = await resolveKeySpec({ jwksUri: `${s.url}/jwks.json` }, { env: 'staging' });
  assert.deepEqual(
    ok.keys.map((k) => [k.kid, k.source.kind, k.source.env]),
    [['srv-1', 'jwks_uri', 'staging']],
  );
  assert.equal(ok.sources[0]!.cacheControl, 'max-age=600');
  assert.equal(typeof ok.sources[0]!.fetchedAt, 'string');
  const cases: [string, string, number | undefined][] = [
    ['/hang', 'timeout', undefined],
    ['/nope', 'http_status', 404],
    ['/500', 'http_status', 500],
    ['/invalid', 'invalid_json', undefined],
    ['/big-declared', 'too_large', undefined],
    ['/big-chunked', 'too_large', undefined],
  ];
  for (const [path, error, status] of cases) {
    const r = await resolveKeySpec({ jwksUri: `${s.url}${path}`, timeoutMs: 300 }, { maxBytes: 1024 });
    assert.deepEqual(codes(r), ['jwks_unreachable'], path);
    assert.equal(r.findings[0]!.detail!.error, error, path);
    if (status) assert.equal(r.findings[0]!.detail!.status, status, path);
    assert.equal(r.findings[0]!.detail!.location, `${s.url}${path}`);
  }
  const notJwks = await resolveKeySpec({ jwksUri: `${s.url}/not-a-jwks` });
  assert.deepEqual(codes(notJwks), ['jwks_unreachable']);
});

test('discovery: issuer -> openid-configuration -> jwks_uri chain; the issuer must be identical, trailing slash included', async () => {
  const r = await resolveKeySpec({ discovery: `${s.url}/good` });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.keys.map((k) => k.kid),
    ['srv-1'],
  );
  assert.equal(r.sources[0]!.jwksUri, `${s.url}/jwks.json`);
  // OpenID Connect Discovery 1.0 section 4.3: exact string comparison, so ".../good/" is another issuer.
  const slash = await resolveKeySpec({ discovery: `${s.url}/good/` });
  assert.deepEqual(slash.keys, []);
  assert.deepEqual(
    slash.findings.map((f) => [f.code, f.expected, f.actual]),
    [['discovery_issuer_mismatch', `${s.url}/good/`, `${s.url}/good`]],
  );
  const viaIssuer = await resolveKeySpec({ discovery: true }, { issuer: `${s.url}/good` });
  assert.equal(viaIssuer.keys.length, 1);
});

test('discovery failures: no jwks_uri, JWKS 500, document 404, timeout, mismatching issuer', async () => {
  const noJwks = await resolveKeySpec({ discovery: `${s.url}/nojwks` });
  assert.equal(noJwks.findings[0]!.code, 'jwks_unreachable');
  assert.equal(noJwks.findings[0]!.detail!.error, 'invalid_document');
  const bad = await resolveKeySpec({ discovery: `${s.url}/badjwks` });
  assert.equal(bad.findings[0]!.detail!.stage, 'jwks');
  assert.equal(bad.findings[0]!.detail!.status, 500);
  const missing = await resolveKeySpec({ discovery: `${s.url}/absent` });
  assert.equal(missing.findings[0]!.detail!.stage, 'discovery');
  assert.equal(missing.findings[0]!.detail!.status, 404);
  s.route('/slow/.well-known/openid-configuration', hang);
  const slow = await resolveKeySpec({ discovery: `${s.url}/slow`, timeoutMs: 300 });
  assert.equal(slow.findings[0]!.detail!.error, 'timeout');
  const fetchedBefore = s.counts.get('/jwks.json') ?? 0;
  const wrong = await resolveKeySpec({ discovery: `${s.url}/wrongiss` });
  assert.equal(wrong.keys.length, 0, 'a document naming another issuer is not used');
  assert.equal(s.counts.get('/jwks.json') ?? 0, fetchedBefore, 'its jwks_uri is never fetched');
  const w = wrong.findings.find((f) => f.code === 'discovery_issuer_mismatch')!;
  assert.equal(w.severity, 'error');
  assert.equal(w.expected, `${s.url}/wrongiss`);
  assert.equal(w.actual, 'https://someone-else.example');
  assert.equal(wrong.sources[0]!.ok, false);
});

test('diagnosis over HTTP: valid with a JWKS URL; an unreachable one is jwks_unreachable, not a crash', async () => {
  const good = await createDiagnoser({ keys: [{ jwksUri: `${s.url}/jwks.json` }] });
  const t = signJws(key, claimsAt(NOW));
  const r = good.diagnose(t, { now: NOW });
  assert.equal(r.result, 'valid');
  assert.equal(r.signature.source!.kind, 'jwks_uri');
  const before = s.counts.get('/jwks.json') ?? 0;
  for (let i = 0; i < 5; i++) good.diagnose(t, { now: NOW });
  assert.equal(s.counts.get('/jwks.json'), before, 'the prepared diagnoser never refetches per token');
  const down = await createDiagnoser({ keys: [{ jwksUri: `${s.url}/hang` }] }, { timeoutMs: 300 });
  const d = down.diagnose(t, { now: NOW });
  assert.equal(d.result, 'jwks_unreachable');
  assert.equal(d.keySources![0]!.ok, false);
});
