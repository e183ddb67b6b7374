/**
 * Prometheus text 0.0.4 and OpenMetrics 1.0 parsing, on prom-client's own
 * output (an OpenMetrics registry with exemplars), and `rotation retire`
 * on it: residual traffic read from exemplar lines, and no series is
 * `unknown`, never `pass`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Gauge, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';
import { checkRetirement } from '../../src/rotation/check_retirement.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { readVerifierKeys } from '../../src/rotation/read_verifier_keys.ts';
import { countLogTraffic, sampleMetricsTraffic } from '../../src/rotation/measure_traffic.ts';
import { parseExposition, sumSamples } from '../../src/rotation/parse_prometheus_text.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwksKey, NOW, sendJson, serve } from '../helpers/index.ts';

const noWait = async () => undefined;

/** A prom-client registry as the middleware builds it, in OpenMetrics with exemplars. */
function openMetricsRegistry() {
  // prom-client's .d.ts types exemplar labels as the metric's own label names; its JavaScript takes
  // any (lib/counter.js): the `as never` casts below are for the types only.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const verified = new Counter({
    name: 'jwt_auth_verified_total',
    help: 'verified "tokens"\\ by kid',
    labelNames: ['env', 'kid'],
    registers: [registry],
    enableExemplars: true,
  });
  const failures = new Counter({
    name: 'jwt_auth_failures_total',
    help: 'rejected tokens',
    labelNames: ['reason', 'env', 'kid'],
    registers: [registry],
    enableExemplars: true,
  });
  const latency = new Histogram({
    name: 'jwt_auth_seconds',
    help: 'verify time',
    labelNames: ['kid'],
    buckets: [0.001, 0.01],
    registers: [registry],
    enableExemplars: true,
  });
  const gauge = new Gauge({ name: 'jwt_auth_keys', help: 'keys', registers: [registry] });
  return { registry, verified, failures, latency, gauge };
}

test('prom-client OpenMetrics output with exemplars: every sample, exemplar, escape, NaN and # EOF', async () => {
  const m = openMetricsRegistry();
  m.verified.inc({ labels: { env: 'staging', kid: 'old' }, value: 40, exemplarLabels: { trace_id: '4bf92f3577b34da6' } as never });
  m.verified.inc({ labels: { env: 'staging', kid: 'k"1\\\n' }, value: 2 });
  m.failures.inc({
    labels: { reason: 'key_not_found', env: 'staging', kid: 'old' },
    value: 3,
    exemplarLabels: { trace_id: 'a1' } as never,
  });
  m.latency.observe({ labels: { kid: 'old' }, value: 0.005, exemplarLabels: { trace_id: 'b2' } as never });
  m.gauge.set(NaN);
  const text = await m.registry.metrics();
  assert.match(text, / # \{trace_id="4bf92f3577b34da6"\} 40 \d+\.\d+/, 'prom-client writes an exemplar');

  const e = parseExposition(text + 'jwt_auth_verified_total{env="staging",kid="old"} 999\n');
  assert.equal(e.format, 'openmetrics');
  assert.equal(e.skippedLines, 0);
  assert.equal(e.types.jwt_auth_verified, 'counter');
  assert.equal(e.types.jwt_auth_seconds, 'histogram');
  const old = e.samples.find((s) => s.name === 'jwt_auth_verified_total' && s.labels.kid === 'old')!;
  assert.equal(old.value, 40, 'the sample after # EOF is not read');
  assert.equal(old.exemplar!.labels.trace_id, '4bf92f3577b34da6');
  assert.equal(old.exemplar!.value, 40);
  assert.ok(old.exemplar!.timestampMs! > 1.6e12, 'exemplar timestamps are seconds, read as ms');
  assert.ok(
    e.samples.some((s) => s.labels.kid === 'k"1\\\n'),
    'label value escapes \\" \\\\ \\n',
  );
  assert.deepEqual(sumSamples(e.samples, 'jwt_auth_failures_total', { kid: 'old' }), { total: 3, series: 1 });
  const bucket = e.samples.find((s) => s.name === 'jwt_auth_seconds_bucket' && s.labels.le === '0.01')!;
  assert.equal(bucket.exemplar!.labels.trace_id, 'b2');
  assert.equal(e.samples.find((s) => s.name === 'jwt_auth_seconds_bucket' && s.labels.le === '+Inf')!.value, 1);
  assert.ok(Number.isNaN(e.samples.find((s) => s.name === 'jwt_auth_keys')!.value), 'prom-client writes "Nan"');
});

test('format details: timestamps, _created, ±Inf, quoted UTF-8 names, bad lines counted not guessed', () => {
  const prom = parseExposition(
    'x{a="1",} 1 1700000000000\nx_total 2\n  y{b = "2"} -Inf\nz +Inf\n{"my.metric","a.b"="c"} 4\nbad{a="\\q"} 1\nbad{a="1" 1\nbad 1 2 3\nbad one\n',
  );
  assert.equal(prom.format, 'prometheus');
  assert.equal(prom.samples[0]!.timestampMs, 1_700_000_000_000, '0.0.4 timestamps are milliseconds');
  assert.deepEqual(
    prom.samples.map((s) => [s.name, s.value]),
    [
      ['x', 1],
      ['x_total', 2],
      ['y', -Infinity],
      ['z', Infinity],
      ['my.metric', 4],
    ],
  );
  assert.deepEqual(prom.samples[4]!.labels, { 'a.b': 'c' });
  assert.equal(prom.skippedLines, 4);

  const om = parseExposition('# TYPE c counter\n# UNIT c seconds\nc_total 5 1700000000.5\nc_created 1699999000\n# EOF\n');
  assert.equal(om.format, 'openmetrics');
  assert.equal(om.samples[0]!.timestampMs, 1_700_000_000_500, 'OpenMetrics timestamps are seconds');
  assert.deepEqual(
    sumSamples(om.samples, 'c_total', {}),
    { total: 5, series: 1 },
    '_created is its own series, never summed into the count',
  );
});

test('rotation retire on an OpenMetrics verifier: residual traffic on exemplar lines fails; no series is unknown, never pass', async () => {
  const newKey = jwksKey('new');
  const issuer = await serve((_req, res) => sendJson(res, { keys: [newKey.publicJwk] }));
  const m = openMetricsRegistry();
  let withSeries = true;
  const verifier = await serve(async (req, res) => {
    if (req.url === '/keys')
      return sendJson(res, {
        schema: 'jwt-doctor/verifier-keys/v1',
        fetchedAt: new Date((NOW - 10) * 1000).toISOString(),
        cacheAgeSeconds: 10,
        ttlSeconds: 600,
        stale: false,
        keys: [{ kid: 'new', kty: 'RSA' }],
      });
    // Each scrape: 4 more old-kid rejections, each carrying an exemplar (the line the old parser dropped).
    if (withSeries)
      m.failures.inc({
        labels: { reason: 'key_not_found', env: 'staging', kid: 'old' },
        value: 4,
        exemplarLabels: { trace_id: 'c3' } as never,
      });
    res.writeHead(200, { 'content-type': m.registry.contentType });
    res.end(withSeries ? await m.registry.metrics() : '# HELP other_total other app\n# TYPE other counter\nother_total 12\n# EOF\n');
  });
  const run = async () => {
    const [live, v, traffic] = await Promise.all([
      loadKeyMaterial({ jwksUri: `${issuer.url}/jwks.json` }, { timeoutMs: 2000 }),
      readVerifierKeys({ debugUrl: `${verifier.url}/keys`, timeoutMs: 2000 }),
      sampleMetricsTraffic(`${verifier.url}/metrics`, { kid: 'old', env: 'staging', intervalSeconds: 10, sleep: noWait, timeoutMs: 2000 }),
    ]);
    return checkRetirement({ env: 'staging', kid: 'old', live, verifier: v, traffic, threshold: 0, now: NOW, unpublishedAt: NOW - 3600 });
  };
  try {
    let r = await run();
    const residual = r.items.find((i) => i.id === 'residual_traffic')!;
    assert.equal(residual.status, 'fail', JSON.stringify(residual));
    assert.equal(residual.code, 'rotation_residual_traffic');
    assert.equal(residual.evidence.count, 4);
    assert.equal(residual.evidence.format, 'openmetrics');

    withSeries = false;
    r = await run();
    const unknown = r.items.find((i) => i.id === 'residual_traffic')!;
    assert.equal(unknown.status, 'unknown', JSON.stringify(unknown));
    assert.equal(r.passed, false);
    assert.ok(!r.findings.some((f) => f.code === 'rotation_residual_traffic'));
  } finally {
    await issuer.close();
    await verifier.close();
  }
});

test('rotation retire from a log with no JSON lines is unknown, never pass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-prom-'));
  try {
    const file = join(dir, 'verifier.log');
    writeFileSync(file, 'plain text line\nanother\n');
    const traffic = countLogTraffic(file, { kid: 'old', windowSeconds: 3600, now: NOW });
    assert.equal(traffic.ok && traffic.observed, 0);
    const r = checkRetirement({
      kid: 'old',
      live: { sources: [], entries: [], findings: [] } as never,
      verifier: { ok: false, finding: { code: 'verifier_unreachable', severity: 'error', hint: '', detail: {} } } as never,
      traffic,
      threshold: 0,
      now: NOW,
    });
    assert.equal(r.items.find((i) => i.id === 'residual_traffic')!.status, 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
