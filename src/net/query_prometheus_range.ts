import { fetchText, type FetchFailure } from './fetch_text.ts';
import { isJsonMediaType } from './fetch_json.ts';
import type { ReasonCode } from '../reasons.ts';

/** A range answer holds every sample of every series: more than a JWKS, bounded all the same. */
export const PROMETHEUS_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Why a range query gave no series: the server is not there, refused the query, or answered something else. */
export type PrometheusErrorKind = 'unavailable' | 'query_failed' | 'response_invalid';

/** Each failure kind's registry code (triage --prometheus, rotation retire --prometheus). */
export const PROMETHEUS_ERROR_CODES: Record<PrometheusErrorKind, ReasonCode> = {
  unavailable: 'prometheus_unavailable',
  query_failed: 'prometheus_query_failed',
  response_invalid: 'prometheus_response_invalid',
};

/** A PromQL string literal: double-quoted with Go's escapes, which JSON's are a subset of, so a label value never ends a selector early. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

export interface PrometheusSeries {
  /** The series' labels, `__name__` included when the expression keeps it. */
  labels: Record<string, string>;
  /** [UNIX seconds, value], in time order. */
  points: Array<[number, number]>;
}

export type PrometheusRangeResult =
  { ok: true; series: PrometheusSeries[] } | { ok: false; error: PrometheusErrorKind; message: string; status?: number };

export interface PrometheusRangeQuery {
  /** A PromQL expression evaluated at every step. */
  query: string;
  /** UNIX seconds, inclusive. */
  start: number;
  end: number;
  step: number;
  timeoutMs?: number;
  maxBytes?: number;
}

type Invalid = { ok: false; error: 'response_invalid'; message: string };
const invalid = (message: string): Invalid => ({ ok: false, error: 'response_invalid', message });

/**
 * The HTTP API endpoint under a base URL that may carry a path prefix (a Prometheus behind /prometheus/).
 * Credentials in the URL (Prometheus' basic_auth web config) travel as an Authorization header (fetch
 * refuses them in the URL, and its error would quote them), never in a location a report prints.
 */
function endpoint(base: string, q: PrometheusRangeQuery): { href: string; headers: Record<string, string> } {
  const url = new URL('api/v1/query_range', base.endsWith('/') ? base : `${base}/`);
  const headers: Record<string, string> = {};
  if (url.username !== '' || url.password !== '') {
    const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(user, 'utf8').toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  url.searchParams.set('query', q.query);
  url.searchParams.set('start', String(q.start));
  url.searchParams.set('end', String(q.end));
  url.searchParams.set('step', String(q.step));
  // Prometheus stops evaluating at its own timeout too, so a heavy query does not outlive our deadline there.
  if (q.timeoutMs !== undefined) url.searchParams.set('timeout', `${Math.max(1, Math.floor(q.timeoutMs / 1000))}s`);
  return { href: url.href, headers };
}

/** A Prometheus base URL as a report may show it: without user and password. */
export function redactPrometheusUrl(base: string): string {
  try {
    const url = new URL(base);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return '(not a URL)';
  }
}

function transportFailure(r: FetchFailure): PrometheusRangeResult {
  const status = r.status !== undefined ? { status: r.status } : {};
  if (r.error === 'too_large' || r.error === 'content_type') return { ...invalid(r.message), ...status };
  if (r.error === 'http_status' && r.status !== undefined && r.status < 500)
    return { ok: false, error: 'query_failed', message: r.message, ...status };
  return { ok: false, error: 'unavailable', message: `${r.error}: ${r.message}`, ...status };
}

/**
 * One range query against the Prometheus HTTP API (GET /api/v1/query_range),
 * with fetchText's hard timeout and streamed size cap, and a strict check of
 * the answer: `status`, `resultType: matrix`, string labels, time-ordered
 * [seconds, "value"] pairs of finite numbers. Never throws: a server that
 * is down, an error status, a body that is not the API's JSON come back as
 * values.
 *
 * @example const r = await queryPrometheusRange('http://127.0.0.1:9090', { query: 'jwt_auth_failures_total', start, end, step: 60 });
 */
export async function queryPrometheusRange(base: string, q: PrometheusRangeQuery): Promise<PrometheusRangeResult> {
  // Prometheus itself refuses more than 11,000 points per series (400 bad_data): that answer is reported as it comes.
  if (!(q.step > 0 && Number.isFinite(q.step)) || !(q.end >= q.start && Number.isFinite(q.end)))
    return { ok: false, error: 'query_failed', message: `range ${q.start}..${q.end} at step ${q.step} is not a range` };
  let target: { href: string; headers: Record<string, string> };
  try {
    target = endpoint(base, q);
  } catch {
    return { ok: false, error: 'unavailable', message: 'invalid_url: not a URL' };
  }
  const r = await fetchText(target.href, {
    accept: 'application/json',
    headers: target.headers,
    maxBytes: q.maxBytes ?? PROMETHEUS_MAX_BODY_BYTES,
    // The API answers errors as JSON: 400 bad_data, 422 execution, 503 timeout or canceled.
    answerStatuses: [400, 422, 503],
    ...(q.timeoutMs !== undefined ? { timeoutMs: q.timeoutMs } : {}),
  });
  if (!r.ok) return transportFailure(r);
  const status = { status: r.status };
  if (!isJsonMediaType(r.headers['content-type']))
    return { ...invalid(`content-type ${r.headers['content-type'] ?? '(none)'} is not JSON`), ...status };
  let body: unknown;
  try {
    body = JSON.parse(r.text);
  } catch {
    return { ...invalid('response is not valid JSON'), ...status };
  }
  return { ...parseRangeAnswer(body, r.status), ...status };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The API's envelope (docs: prometheus.io/docs/prometheus/latest/querying/api/#format-overview). */
function parseRangeAnswer(body: unknown, httpStatus: number): PrometheusRangeResult {
  if (!isObject(body)) return invalid('answer is not a JSON object');
  if (body.status === 'error') {
    const type = typeof body.errorType === 'string' ? body.errorType : 'error';
    const text = typeof body.error === 'string' ? body.error.slice(0, 300) : '(no message)';
    return { ok: false, error: httpStatus === 503 ? 'unavailable' : 'query_failed', message: `${type}: ${text}` };
  }
  if (body.status !== 'success') return invalid('answer has no "status": "success" or "error"');
  if (httpStatus !== 200) return invalid(`HTTP ${httpStatus} with status success`);
  const data = body.data;
  if (!isObject(data) || data.resultType !== 'matrix' || !Array.isArray(data.result))
    return invalid('answer data is not a range result (resultType matrix with a result array)');
  const series: PrometheusSeries[] = [];
  for (const [i, item] of data.result.entries()) {
    const parsed = parseSeries(item);
    if (typeof parsed === 'string') return invalid(`result[${i}]: ${parsed}`);
    series.push(parsed);
  }
  return { ok: true, series };
}

/** One matrix entry: `{ metric: {label: "value"}, values: [[1.7e9, "3"], ...] }`, or why it is not one. */
function parseSeries(item: unknown): PrometheusSeries | string {
  if (!isObject(item) || !isObject(item.metric) || !Array.isArray(item.values)) return 'not { metric, values }';
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.metric)) {
    if (typeof v !== 'string') return `label ${k} is not a string`;
    labels[k] = v;
  }
  const points: Array<[number, number]> = [];
  let last = -Infinity;
  for (const p of item.values as unknown[]) {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'string')
      return 'a value is not [seconds, "number"]';
    const [t, text] = p as [number, string];
    const v = Number(text);
    if (!Number.isFinite(t) || !(t > last) || text.trim() === '' || !Number.isFinite(v))
      return `value at ${t} is not a finite sample in time order`;
    last = t;
    points.push([t, v]);
  }
  return { labels, points };
}
