import { counterIncreases } from '../net/counter_increases.ts';
import {
  PROMETHEUS_ERROR_CODES,
  promqlString as literal,
  queryPrometheusRange,
  redactPrometheusUrl,
  type PrometheusSeries,
} from '../net/query_prometheus_range.ts';
import { KID_COUNTERS, type TrafficEvidence } from './measure_traffic.ts';

export interface PrometheusTrafficOptions {
  kid: string;
  env?: string;
  /** Seconds before `now` the residual traffic is counted over. */
  windowSeconds: number;
  /** UNIX seconds. */
  now: number;
  timeoutMs?: number;
}

/** At most this many steps over the window: fine enough to see a series born inside it, small enough to stay under the size cap. */
const MAX_STEPS = 720;

/**
 * The PromQL of the residual-traffic read: the kid's verified and failed
 * counters on every instance, the key_not_found rejections of any kid (after
 * the verifier drops the old key its traffic shows only there, kid="unknown"),
 * and how many kid counter series exist at all (0 = no evidence either way).
 */
export function residualTrafficQuery(kid: string, env?: string): string {
  const envMatch = env !== undefined ? `,env=${literal(env)}` : '';
  const counters = `__name__=~"${KID_COUNTERS.join('|')}"`;
  return [
    `{${counters},kid=${literal(kid)}${envMatch}}`,
    `${KID_COUNTERS[1]}{reason="key_not_found"${envMatch}}`,
    `label_replace(count({${counters}${envMatch}}), "series_count", "all", "", "")`,
  ].join(' or ');
}

/**
 * Residual traffic for one kid across every instance a Prometheus server
 * scrapes: the increase of `jwt_auth_verified_total{kid}` and
 * `jwt_auth_failures_total{kid}` over the last `windowSeconds` (per series,
 * restarts and series born inside the window counted: counterIncreases), as
 * the same evidence `sampleMetricsTraffic` gives for one verifier's page.
 *
 * @example await readPrometheusTraffic('http://127.0.0.1:9090', { kid: 'old', env: 'staging', windowSeconds: 3600, now: Date.now() / 1000 })
 */
export async function readPrometheusTraffic(url: string, options: PrometheusTrafficOptions): Promise<TrafficEvidence> {
  const step = Math.max(1, Math.ceil(options.windowSeconds / MAX_STEPS));
  const start = options.now - Math.ceil(options.windowSeconds / step) * step;
  const query = residualTrafficQuery(options.kid, options.env);
  const r = await queryPrometheusRange(url, {
    query,
    start,
    end: options.now,
    step,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const location = redactPrometheusUrl(url);
  if (!r.ok) return { ok: false, from: 'prometheus', location, error: r.error, message: r.message, code: PROMETHEUS_ERROR_CODES[r.error] };
  const seconds = options.now - start;
  const { counters, count, keyNotFound, observed } = tally(r.series, options.kid, start);
  return {
    ok: true,
    from: 'prometheus',
    location,
    rate: count / seconds,
    count,
    seconds,
    observed,
    detail: { query, stepSeconds: step, counters, keyNotFoundAnyKidRate: keyNotFound / seconds },
  };
}

/** The kid's increases per counter, the key_not_found increases, and the largest series count seen over the window. */
function tally(series: PrometheusSeries[], kid: string, start: number) {
  const counters: Record<string, { count: number; series: number }> = {};
  for (const name of KID_COUNTERS) counters[name] = { count: 0, series: 0 };
  let count = 0;
  let keyNotFound = 0;
  let observed = 0;
  for (const s of series) {
    if (s.labels.series_count !== undefined) {
      observed = Math.max(observed, ...s.points.map(([, v]) => v));
      continue;
    }
    const increase = counterIncreases(s, start).reduce((sum, i) => sum + i.count, 0);
    const counter = counters[s.labels.__name__ ?? ''];
    if (s.labels.kid === kid && counter) {
      counter.count += increase;
      counter.series++;
      count += increase;
    } else if (s.labels.reason === 'key_not_found') keyNotFound += increase;
  }
  return { counters, count, keyNotFound, observed };
}
