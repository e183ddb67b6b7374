/**
 * The range-query client against fake servers on 127.0.0.1 for the answers
 * a real Prometheus does not give (truncated, oversized, misordered), and
 * against the real one (Debian package) for its own error answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promqlString, queryPrometheusRange, redactPrometheusUrl } from '../../src/net/query_prometheus_range.ts';
import { json, startServer, type TestServer } from '../helpers/index.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus_server.ts';

let fake: TestServer;
let prom: RunningPrometheus;
const matrix = (result: unknown) => json({ status: 'success', data: { resultType: 'matrix', result } });
const RANGE = { start: 100, end: 160, step: 30 };

before(async () => {
  prom = await startPrometheus([]);
  fake = await startServer({
    '/ok/api/v1/query_range': (req, res) => {
      const q = new URL(req.url ?? '', 'http://x').searchParams;
      // Echo the parameters as labels: proves what the client sent.
      matrix([
        {
          metric: { query: q.get('query'), step: q.get('step'), timeout: q.get('timeout') },
          values: [
            [100, '1'],
            [130, '2.5'],
          ],
        },
      ])(req, res);
    },
    '/prefix/prometheus/api/v1/query_range': matrix([]),
    '/auth/api/v1/query_range': (req, res) =>
      matrix([{ metric: { authorization: req.headers.authorization ?? '' }, values: [] }])(req, res),
    '/unordered/api/v1/query_range': matrix([
      {
        metric: {},
        values: [
          [130, '1'],
          [100, '2'],
        ],
      },
    ]),
    '/label/api/v1/query_range': matrix([{ metric: { kid: 7 }, values: [] }]),
    '/empty-value/api/v1/query_range': matrix([{ metric: {}, values: [[100, '']] }]),
    '/big/api/v1/query_range': matrix([{ metric: { pad: 'x'.repeat(4096) }, values: [] }]),
    '/teapot/api/v1/query_range': (_req, res) => void res.writeHead(418).end(),
  });
});

after(async () => {
  await fake?.close();
  await prom?.close();
});

test('queryPrometheusRange: sends query, range, step and its timeout; parses labels and samples', async () => {
  const r = await queryPrometheusRange(`${fake.url}/ok`, { query: 'up{a="b"}', ...RANGE, timeoutMs: 2500 });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.series, [
    {
      labels: { query: 'up{a="b"}', step: '30', timeout: '2s' },
      points: [
        [100, 1],
        [130, 2.5],
      ],
    },
  ]);
  const prefixed = await queryPrometheusRange(`${fake.url}/prefix/prometheus`, { query: 'up', ...RANGE });
  assert.deepEqual(prefixed, { ok: true, series: [], status: 200 });
});

test('queryPrometheusRange: user and password of the URL go as Basic credentials, and a printed URL drops them', async () => {
  const base = `${fake.url.replace('http://', 'http://ops:s%3Acret@')}/auth`;
  const r = await queryPrometheusRange(base, { query: 'up', ...RANGE });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.series[0]?.labels.authorization, `Basic ${Buffer.from('ops:s:cret').toString('base64')}`);
  assert.equal(redactPrometheusUrl(base), `${fake.url}/auth`);
  assert.equal(redactPrometheusUrl('::'), '(not a URL)');
});

test('queryPrometheusRange: the real Prometheus refuses bad PromQL with 400 bad_data: query_failed', async () => {
  const r = await queryPrometheusRange(prom.url, { query: 'sum(', ...RANGE });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, 'query_failed');
  assert.equal(!r.ok && r.status, 400);
});

for (const [path, error, maxBytes] of [
  ['unordered', 'response_invalid'],
  ['label', 'response_invalid'],
  ['empty-value', 'response_invalid'],
  ['big', 'response_invalid', 1024],
  ['teapot', 'query_failed'],
] as Array<[string, string, number?]>) {
  test(`queryPrometheusRange: "${path}" is ${error}`, async () => {
    const r = await queryPrometheusRange(`${fake.url}/${path}`, { query: 'up', ...RANGE, ...(maxBytes !== undefined ? { maxBytes } : {}) });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error, error);
  });
}

test('queryPrometheusRange: a step that is not positive, or a base that is not a URL, is refused before any request', async () => {
  const zero = await queryPrometheusRange(fake.url, { query: 'up', start: 100, end: 160, step: 0 });
  assert.equal(!zero.ok && zero.error, 'query_failed');
  const notUrl = await queryPrometheusRange('not a url', { query: 'up', ...RANGE });
  assert.equal(!notUrl.ok && notUrl.error, 'unavailable');
});

test('promqlString: quotes and backslashes escaped, so a value cannot close the selector', () => {
  assert.equal(promqlString('a"}b\\'), '"a\\"}b\\\\"');
});
