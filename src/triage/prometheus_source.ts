import { counterIncreases } from '../net/counter_increases.ts';
import { PROMETHEUS_ERROR_CODES, promqlString, queryPrometheusRange } from '../net/query_prometheus_range.ts';
import { METRIC_NAMES } from '../middleware/metrics.ts';
import type { TriageEvent } from './event.ts';

export interface PrometheusReadOptions {
  env?: string;
  sinceSeconds: number;
  stepSeconds: number;
  now: number;
  timeoutMs?: number;
}
export interface PrometheusRead {
  events: TriageEvent[];
  errors: Array<{ code: string; message: string }>;
}

/** The labels a failure series carries that triage aggregates on (the middleware's, plus a client label a relabel may add). */
const EVENT_LABELS = ['env', 'kid', 'route', 'client'] as const;

/** The selector of the middleware's failure counters, every instance, one environment or all. */
export function failuresSelector(env?: string): string {
  return `${METRIC_NAMES.failures}${env !== undefined ? `{env=${promqlString(env)}}` : ''}`;
}

/**
 * The middleware's rejections (`jwt_auth_failures_total{reason,env,kid,route}`)
 * across every instance a Prometheus server scrapes, as triage events: one
 * per reason, environment, kid, route (and client, when the series has that
 * label) and step with a non-zero increase, counts summed over instances.
 * The range is the last `sinceSeconds` before `now` at `stepSeconds`, plus
 * one step before it as the baseline; increases are computed per series
 * (counterIncreases: restarts and series born inside the range counted),
 * then summed. Never throws: Prometheus down, an error answer, a body that
 * is not the API's JSON, a timeout give an `errors` entry with a code.
 *
 * @example const { events, errors } = await readPrometheusEvents('http://127.0.0.1:9090', { env: 'staging', sinceSeconds: 6 * 3600, stepSeconds: 60, now: Date.now() / 1000 });
 */
export async function readPrometheusEvents(url: string, opts: PrometheusReadOptions): Promise<PrometheusRead> {
  const steps = Math.ceil(opts.sinceSeconds / opts.stepSeconds);
  const start = opts.now - steps * opts.stepSeconds;
  const query = failuresSelector(opts.env);
  const r = await queryPrometheusRange(url, {
    query,
    start,
    end: opts.now,
    step: opts.stepSeconds,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  if (!r.ok) return { events: [], errors: [{ code: PROMETHEUS_ERROR_CODES[r.error], message: `${query}: ${r.message}` }] };
  const byKey = new Map<string, TriageEvent>();
  for (const series of r.series) {
    const reason = series.labels.reason;
    if (reason === undefined) continue;
    const labels: Omit<TriageEvent, 'count' | 'time' | 'reason'> = {};
    for (const name of EVENT_LABELS) {
      const value = series.labels[name];
      if (value !== undefined) labels[name] = value;
    }
    for (const { time, count } of counterIncreases(series, start)) {
      const key = JSON.stringify([reason, labels.env, labels.kid, labels.route, labels.client, time]);
      const seen = byKey.get(key);
      if (seen) seen.count += count;
      else byKey.set(key, { reason, ...labels, time, count });
    }
  }
  const events = [...byKey.values()].sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
  return { events, errors: [] };
}
