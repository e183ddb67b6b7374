import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { jwkThumbprint } from '../../src/keys/import.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { readVerifierKeys } from '../../src/rotation/read_verifier_keys.ts';
import { checkRetirement } from '../../src/rotation/check_retirement.ts';
import { countLogTraffic, sampleMetricsTraffic } from '../../src/rotation/measure_traffic.ts';
import { parsePrometheusText, sumSamples } from '../../src/rotation/parse_prometheus_text.ts';
import { jwksKey, NOW, runCli, sendJson, serve, type AsymmetricTestKey, codes } from '../helpers/index.ts';

const noWait = async () => undefined;

function debugBody(keys: AsymmetricTestKey[], fetchedAt: number) {
  return {
    schema: 'jwt-doctor/verifier-keys/v1',
    env: 'staging',
    source: { kind: 'jwks_uri', location: 'http://issuer/jwks' },
    fetchedAt: new Date(fetchedAt * 1000).toISOString(),
    cacheAgeSeconds: NOW - fetchedAt,
    ttlSeconds: 600,
    stale: false,
    keys: keys.map((k) => ({ kid: k.kid, kty: 'RSA', alg: 'RS256', thumbprint: jwkThumbprint(k.publicJwk) })),
  };
}

/** A verifier stand-in: debug endpoint plus a real prom-client registry on /metrics. */
async function startVerifier(state: { cached: AsymmetricTestKey[]; fetchedAt: number; oldKidPerScrape: number }) {
  const registry = new Registry();
  const verified = new Counter({
    name: 'jwt_auth_verified_total',
    help: 'verified tokens',
    labelNames: ['env', 'kid'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'jwt_auth_failures_total',
    help: 'rejected tokens',
    labelNames: ['reason', 'env', 'kid', 'route'],
    registers: [registry],
  });
  verified.inc({ env: 'staging', kid: 'old' }, 40);
  verified.inc({ env: 'staging', kid: 'new' }, 500);
  verified.inc({ env: 'prod', kid: 'old' }, 7);
  failures.inc({ reason: 'key_not_found', env: 'staging', kid: 'old', route: '/v1/me' }, 2);
  const srv = await serve(async (req, res) => {
    if (req.url === '/.well-known/jwt-doctor/keys') return sendJson(res, debugBody(state.cached, state.fetchedAt));
    if (req.url === '/metrics') {
      // Traffic between the two samples: each scrape sees the old kid's counters grow by this much.
      if (state.oldKidPerScrape > 0)
        failures.inc({ reason: 'key_not_found', env: 'staging', kid: 'old', route: '/v1/me' }, state.oldKidPerScrape);
      verified.inc({ env: 'staging', kid: 'new' }, 25);
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return srv;
}

test('prometheus text parsing: labels, escapes, comments', () => {
  const s = parsePrometheusText(
    '# HELP x y\n# TYPE x counter\nx{env="staging",kid="old"} 42\nx{env="prod",kid="o\\"ld"} 3 1700000000\nbad line here\ny 1.5e3\n',
  );
  assert.equal(s.length, 3);
  assert.equal(s[1]!.labels.kid, 'o"ld');
  assert.equal(s[2]!.value, 1500);
  assert.deepEqual(sumSamples(s, 'x', { kid: 'old' }), { total: 42, series: 1 });
});

test('retirement checklist: every item passes, then each fails with evidence', async () => {
  const oldKey = jwksKey('old');
  const newKey = jwksKey('new');
  let published: AsymmetricTestKey[] = [newKey];
  const issuer = await serve((_req, res) => sendJson(res, { keys: published.map((k) => k.publicJwk) }, { 'cache-control': 'max-age=300' }));
  const state = { cached: [newKey], fetchedAt: NOW - 60, oldKidPerScrape: 0 };
  const verifier = await startVerifier(state);
  const run = async (extra: { unpublishedAt?: number; threshold?: number } = {}) => {
    const [live, v, traffic] = await Promise.all([
      loadKeyMaterial({ jwksUri: `${issuer.url}/jwks.json` }, { timeoutMs: 2000 }),
      readVerifierKeys({ debugUrl: `${verifier.url}/.well-known/jwt-doctor/keys`, timeoutMs: 2000 }),
      sampleMetricsTraffic(`${verifier.url}/metrics`, { kid: 'old', env: 'staging', intervalSeconds: 10, sleep: noWait, timeoutMs: 2000 }),
    ]);
    return checkRetirement({
      env: 'staging',
      kid: 'old',
      live,
      verifier: v,
      traffic,
      threshold: extra.threshold ?? 0,
      now: NOW,
      ...(extra.unpublishedAt !== undefined ? { unpublishedAt: extra.unpublishedAt } : {}),
    });
  };
  try {
    let r = await run({ unpublishedAt: NOW - 300 });
    assert.equal(r.passed, true, JSON.stringify(r.items));
    assert.deepEqual(
      r.items.map((i) => [i.id, i.status]),
      [
        ['not_published', 'pass'],
        ['not_trusted', 'pass'],
        ['cache_refreshed', 'pass'],
        ['residual_traffic', 'pass'],
      ],
    );
    const traffic = r.items[3]!.evidence;
    assert.equal(traffic.count, 0);
    assert.equal(traffic.rate, 0);

    // Residual traffic: 3 old-kid rejections per scrape interval of 10 s = 0.3/s.
    state.oldKidPerScrape = 3;
    r = await run({ unpublishedAt: NOW - 300 });
    assert.equal(r.passed, false);
    assert.equal(r.items[3]!.status, 'fail');
    assert.equal(r.items[3]!.code, 'rotation_residual_traffic');
    assert.equal(r.items[3]!.evidence.rate, 0.3);
    // ... which a threshold of 0.5/s accepts.
    r = await run({ unpublishedAt: NOW - 300, threshold: 0.5 });
    assert.equal(r.passed, true);
    state.oldKidPerScrape = 0;

    // The verifier cache was fetched before the unpublish, still holds the old kid, and the issuer still publishes it.
    published = [oldKey, newKey];
    state.cached = [oldKey, newKey];
    state.fetchedAt = NOW - 500;
    r = await run({ unpublishedAt: NOW - 300 });
    assert.deepEqual(codes(r), ['rotation_key_still_published', 'rotation_key_still_trusted', 'rotation_cache_not_refreshed']);
    assert.deepEqual(
      r.items.map((i) => i.status),
      ['fail', 'fail', 'fail', 'pass'],
    );
  } finally {
    await issuer.close();
    await verifier.close();
  }
});

test('retirement: unreachable metrics and debug endpoint are unknown, never pass', async () => {
  const newKey = jwksKey('new');
  const issuer = await serve((_req, res) => sendJson(res, { keys: [newKey.publicJwk] }));
  const gone = await serve(() => undefined);
  const dead = gone.url;
  await gone.close();
  try {
    const [live, v, traffic] = await Promise.all([
      loadKeyMaterial({ jwksUri: `${issuer.url}/jwks.json` }, { timeoutMs: 2000 }),
      readVerifierKeys({ debugUrl: `${dead}/.well-known/jwt-doctor/keys`, timeoutMs: 2000 }),
      sampleMetricsTraffic(`${dead}/metrics`, { kid: 'old', intervalSeconds: 1, sleep: noWait, timeoutMs: 2000 }),
    ]);
    const r = checkRetirement({ kid: 'old', live, verifier: v, traffic, threshold: 0, now: NOW });
    assert.equal(r.passed, false);
    assert.deepEqual(
      r.items.map((i) => i.status),
      ['pass', 'unknown', 'unknown', 'unknown'],
    );
    assert.deepEqual(codes(r), ['verifier_unreachable', 'verifier_unreachable']);
  } finally {
    await issuer.close();
  }
});

test('residual traffic from a JSON-lines log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jd-log-'));
  try {
    const file = join(dir, 'verifier.log');
    const at = (s: number) => new Date((NOW - s) * 1000).toISOString();
    writeFileSync(
      file,
      [
        JSON.stringify({ time: at(10), kid: 'old', env: 'staging', result: 'key_not_found' }),
        JSON.stringify({ time: at(20), detail: { kid: 'old' }, env: 'staging' }),
        JSON.stringify({ time: at(30), kid: 'old', env: 'prod' }),
        JSON.stringify({ time: at(7200), kid: 'old', env: 'staging' }),
        JSON.stringify({ time: at(5), kid: 'new', env: 'staging' }),
        'plain text line',
      ].join('\n'),
    );
    const t = countLogTraffic(file, { kid: 'old', env: 'staging', windowSeconds: 3600, now: NOW });
    assert.equal(t.ok, true);
    assert.equal(t.ok && t.count, 2);
    assert.equal(t.ok && t.detail.outsideWindow, 1);
    assert.equal(t.ok && t.detail.skippedLines, 1);
    const missing = countLogTraffic(join(dir, 'nope.log'), { kid: 'old', windowSeconds: 60, now: NOW });
    assert.equal(missing.ok, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: rotation retire exit codes against the served metrics', async () => {
  const newKey = jwksKey('new');
  const issuer = await serve((_req, res) => sendJson(res, { keys: [newKey.publicJwk] }));
  const state = { cached: [newKey], fetchedAt: NOW - 60, oldKidPerScrape: 0 };
  const verifier = await startVerifier(state);
  const dir = mkdtempSync(join(tmpdir(), 'jd-retire-'));
  try {
    const contract = join(dir, 'c.yaml');
    writeFileSync(
      contract,
      `version: 1\nenvironments:\n  staging:\n    issuer: https://issuer\n    keys: [{ jwksUri: "${issuer.url}/jwks.json" }]\n    verifier: { debugUrl: "${verifier.url}/.well-known/jwt-doctor/keys", metricsUrl: "${verifier.url}/metrics", cacheTtlSeconds: 600 }\n`,
    );
    const base = [
      'rotation',
      'retire',
      '--env',
      'staging',
      '--contract',
      contract,
      '--kid',
      'old',
      '--now',
      new Date(NOW * 1000).toISOString(),
      '--interval',
      '0.05',
      '--format',
      'json',
    ];
    let r = await runCli(base);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(JSON.parse(r.stdout).passed, true);
    state.oldKidPerScrape = 1;
    r = await runCli(base);
    assert.equal(r.code, 1);
    assert.deepEqual(
      JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code),
      ['rotation_residual_traffic'],
    );
    r = await runCli(['rotation', 'retire', '--env', 'staging', '--contract', contract, '--kid', 'old', '--threshold', 'abc']);
    assert.equal(r.code, 2);
  } finally {
    await issuer.close();
    await verifier.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
