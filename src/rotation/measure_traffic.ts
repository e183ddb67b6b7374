import { readFileSync } from 'node:fs';
import { fetchText } from '../net/fetch_text.ts';
import type { ReasonCode } from '../reasons.ts';
import { parseExposition, sumSamples } from './parse_prometheus_text.ts';

/** Residual traffic for one kid, measured from metrics (one verifier's page), a Prometheus server (every instance) or a log. */
export type TrafficEvidence =
  | {
      ok: true;
      from: 'metrics' | 'prometheus' | 'log';
      location: string;
      /** Requests per second carrying the kid. */
      rate: number;
      /** Requests counted (delta between samples, or log lines). */
      count: number;
      /** Seconds the count spans. */
      seconds: number;
      /**
       * Series of the kid counters (metrics, any kid) or JSON lines (log) the source showed at all.
       * 0 means no evidence either way: the check is `unknown`, never a pass.
       */
      observed: number;
      detail: Record<string, unknown>;
    }
  | {
      ok: false;
      from: 'metrics' | 'prometheus' | 'log';
      location: string;
      error: string;
      message: string;
      /** The registry code of the failure (default verifier_unreachable). */
      code?: ReasonCode;
    };

/** Counters that carry a kid label (metric names agreed with the middleware). */
const METRICS_MAX_BYTES = 4 * 1024 * 1024;

export const KID_COUNTERS = ['jwt_auth_verified_total', 'jwt_auth_failures_total'] as const;

/** What Prometheus itself asks for: OpenMetrics first, the 0.0.4 text format as the fallback. */
const METRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface SampleMetricsOptions {
  kid: string;
  env?: string;
  intervalSeconds: number;
  timeoutMs?: number;
  /** Injected wait (tests pass a no-op or a short real wait). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Samples a Prometheus text endpoint twice, `intervalSeconds` apart, and
 * turns the growth of the kid's counters (verified and failed) into a
 * rate. A counter that went down (verifier restart) counts from zero.
 *
 * @example await sampleMetricsTraffic('http://127.0.0.1:3000/metrics', { kid: 'old', env: 'staging', intervalSeconds: 10 })
 */
export async function sampleMetricsTraffic(url: string, options: SampleMetricsOptions): Promise<TrafficEvidence> {
  // A /metrics page can be large (many series): a 4 MiB cap instead of the 512 KiB default.
  const fetchOpts = {
    maxBytes: METRICS_MAX_BYTES,
    accept: METRICS_ACCEPT,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  };
  const read = async () => {
    const r = await fetchText(url, fetchOpts);
    if (!r.ok) return r;
    const exposition = parseExposition(r.text);
    const samples = exposition.samples;
    const observed = samples.filter((s) => (KID_COUNTERS as readonly string[]).includes(s.name)).length;
    const byName: Record<string, { total: number; series: number }> = {};
    for (const name of KID_COUNTERS) {
      const match: Record<string, string> = { kid: options.kid };
      // A verifier serving several environments labels them; a single-env one may not.
      const withEnv = options.env !== undefined ? sumSamples(samples, name, { ...match, env: options.env }) : undefined;
      byName[name] = withEnv && withEnv.series > 0 ? withEnv : sumSamples(samples, name, match);
    }
    // The middleware labels rejections of an untrusted kid as kid="unknown": after the verifier drops
    // the old key its residual traffic shows only as key_not_found, reported here as context.
    const keyNotFound = sumSamples(samples, 'jwt_auth_failures_total', {
      reason: 'key_not_found',
      ...(options.env !== undefined ? { env: options.env } : {}),
    }).total;
    return {
      ok: true as const,
      at: r.fetchedAt.getTime(),
      byName,
      keyNotFound,
      observed,
      format: exposition.format,
      skippedLines: exposition.skippedLines,
    };
  };
  const first = await read();
  if (!first.ok) return { ok: false, from: 'metrics', location: url, error: first.error, message: first.message };
  await (options.sleep ?? realSleep)(options.intervalSeconds * 1000);
  const second = await read();
  if (!second.ok) return { ok: false, from: 'metrics', location: url, error: second.error, message: second.message };
  let count = 0;
  const perCounter: Record<string, unknown> = {};
  for (const name of KID_COUNTERS) {
    const a = first.byName[name]!.total;
    const b = second.byName[name]!.total;
    const delta = b >= a ? b - a : b;
    count += delta;
    perCounter[name] = { first: a, second: b, delta, series: second.byName[name]!.series };
  }
  // The configured interval, not the measured one: keeps the rate deterministic for a given delta.
  const seconds = options.intervalSeconds > 0 ? options.intervalSeconds : Math.max(0.001, (second.at - first.at) / 1000);
  const knf = second.keyNotFound >= first.keyNotFound ? second.keyNotFound - first.keyNotFound : second.keyNotFound;
  const detail = {
    counters: perCounter,
    intervalSeconds: options.intervalSeconds,
    keyNotFoundAnyKidRate: knf / seconds,
    format: second.format,
    skippedLines: second.skippedLines,
  };
  return {
    ok: true,
    from: 'metrics',
    location: url,
    rate: count / seconds,
    count,
    seconds,
    observed: Math.min(first.observed, second.observed),
    detail,
  };
}

export interface CountLogOptions {
  kid: string;
  env?: string;
  /** Only lines within the last windowSeconds before now (when they carry a time). */
  windowSeconds: number;
  /** UNIX seconds. */
  now: number;
}

function lineKid(o: Record<string, unknown>): unknown {
  if (o.kid !== undefined) return o.kid;
  const nested = (o.detail ?? o.header ?? o.token ?? o.key) as Record<string, unknown> | undefined;
  return nested && typeof nested === 'object' ? nested.kid : undefined;
}

function lineTime(o: Record<string, unknown>): number | undefined {
  for (const f of ['time', 'ts', 'timestamp', '@timestamp']) {
    const v = o[f];
    if (typeof v === 'number') return v > 1e11 ? v / 1000 : v;
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v) / 1000;
  }
  return undefined;
}

/**
 * Counts JSON-lines log entries carrying the kid (`kid`, or `detail.kid`)
 * within the window before `now`; lines that are not JSON are skipped.
 *
 * @example countLogTraffic('verifier.log', { kid: 'old', windowSeconds: 3600, now: Date.now() / 1000 })
 */
export function countLogTraffic(file: string, options: CountLogOptions): TrafficEvidence {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      from: 'log',
      location: file,
      error: code === 'ENOENT' ? 'not_found' : 'unreadable',
      message: code === 'ENOENT' ? 'file not found' : String(code),
    };
  }
  let count = 0;
  let lines = 0;
  let skipped = 0;
  let outside = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (o === null || typeof o !== 'object') {
      skipped++;
      continue;
    }
    const rec = o as Record<string, unknown>;
    if (lineKid(rec) !== options.kid) continue;
    if (options.env !== undefined && typeof rec.env === 'string' && rec.env !== options.env) continue;
    const t = lineTime(rec);
    if (t !== undefined && (t < options.now - options.windowSeconds || t > options.now)) {
      outside++;
      continue;
    }
    count++;
  }
  return {
    ok: true,
    from: 'log',
    location: file,
    rate: count / options.windowSeconds,
    count,
    seconds: options.windowSeconds,
    observed: lines - skipped,
    detail: { lines, skippedLines: skipped, outsideWindow: outside },
  };
}
