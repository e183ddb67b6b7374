import { makeFinding, type Finding } from '../reasons.ts';
import { DEFAULT_CLOCK_SAMPLES, DEFAULT_TIMEOUT_MS, MAX_CLOCK_SAMPLES } from '../defaults.ts';
import type { TransportErrorKind } from '../net/failure.ts';
import { sendRequest } from './send_request.ts';

export const CLOCK_SCHEMA = 'jwt-doctor/clock/v1';

export interface ClockSample {
  /** Local wall clock (ms) at send and at the status line. */
  sentAt: number;
  answeredAt: number;
  rttMs: number;
  /** The HTTP Date header as received (RFC 9110 section 6.6.1). */
  date: string;
  /** remote - local, seconds: positive means the remote clock is ahead. */
  offsetSeconds: number;
  uncertaintySeconds: number;
}

export interface ClockMeasurement {
  target: string;
  /** Origin and path only. */
  url: string;
  ok: boolean;
  /** Chosen estimate: the sample with the smallest round trip (tightest bound). */
  offsetSeconds?: number;
  /** RTT/2 of that sample plus 1 s for the Date header's one-second resolution. */
  uncertaintySeconds?: number;
  method: 'min_rtt';
  /** Median over the samples, for comparison. */
  medianOffsetSeconds?: number;
  samples: ClockSample[];
  /** Why no estimate (every sample failed or had no Date header). */
  error?: { error: TransportErrorKind | 'no_date_header'; code?: string; message: string };
}

export interface MeasureClockOptions {
  samples?: number;
  timeoutMs?: number;
  /** Injected local wall clock in ms (default Date.now). */
  clock?: () => number;
}

/**
 * Estimates how far a server's clock is from ours from its HTTP `Date`
 * header. Each sample takes the midpoint of the round trip as the moment
 * the header was written; `Date` has one-second resolution and is
 * truncated (RFC 9110 section 5.6.7), so the remote time is in
 * [D, D + 1) and the estimate is D + 0.5 - midpoint, within RTT/2 + 1 s.
 * The minimum-RTT sample is kept (the tightest bound); the median is
 * reported next to it.
 *
 * @example
 * const m = await measureClockOffset('https://api.example.com/', { samples: 5 });
 * m.offsetSeconds; // 14.2 (the API's clock is 14 s ahead)
 */
export async function measureClockOffset(url: string, target: string, options: MeasureClockOptions = {}): Promise<ClockMeasurement> {
  const n = Math.max(1, Math.min(MAX_CLOCK_SAMPLES, Math.floor(options.samples ?? DEFAULT_CLOCK_SAMPLES)));
  const samples: ClockSample[] = [];
  let error: ClockMeasurement['error'];
  for (let i = 0; i < n; i++) {
    const r = await sendRequest(url, {
      method: 'GET',
      headersOnly: true,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    if (!r.ok) {
      error = { error: r.error, message: r.message, ...(r.code !== undefined ? { code: r.code } : {}) };
      // A refused or unreachable host will not answer the next sample either.
      if (r.error !== 'timeout' && r.error !== 'reset') break;
      continue;
    }
    const date = r.headers.date ?? '';
    const remote = date === '' ? NaN : Date.parse(date);
    if (!Number.isFinite(remote)) {
      error = { error: 'no_date_header', message: date === '' ? 'the answer has no Date header' : 'the Date header does not parse' };
      continue;
    }
    const rtt = Math.max(0, r.answeredAt - r.sentAt);
    const mid = (r.sentAt + r.answeredAt) / 2;
    samples.push({
      sentAt: r.sentAt,
      answeredAt: r.answeredAt,
      rttMs: rtt,
      date,
      offsetSeconds: round((remote + 500 - mid) / 1000),
      uncertaintySeconds: round(rtt / 2000 + 1),
    });
  }
  const m: ClockMeasurement = { target, url: shortUrl(url), ok: samples.length > 0, method: 'min_rtt', samples };
  if (samples.length === 0) {
    m.error = error ?? { error: 'network', message: 'no sample' };
    return m;
  }
  const best = [...samples].sort((a, b) => a.rttMs - b.rttMs)[0]!;
  m.offsetSeconds = best.offsetSeconds;
  m.uncertaintySeconds = best.uncertaintySeconds;
  const sorted = samples.map((s) => s.offsetSeconds).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  m.medianOffsetSeconds = round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
  return m;
}

/** One token time against one remote clock: "iat is 14 s ahead of the API's clock". */
export interface TokenTimeComparison {
  clock: string;
  claim: 'iat' | 'nbf' | 'exp';
  value: number;
  /** The remote clock's estimated now (NumericDate seconds). */
  remoteNow: number;
  /** claim - remoteNow: positive = the claim is ahead of (later than) the remote clock. */
  deltaSeconds: number;
  relation: 'ahead' | 'behind' | 'equal';
  uncertaintySeconds: number;
}

/**
 * Places the token's iat/nbf/exp on each measured remote clock, and
 * reports what that verifier would conclude (RFC 7519 sections 4.1.4 to
 * 4.1.6) with the contract's tolerance: `iat_in_future`,
 * `token_not_yet_valid`, `token_expired`, each with `detail.clock`.
 *
 * @example compareTokenTimes({ iat: 1767225614 }, [apiClock], { now: 1767225600, toleranceSeconds: 5 }).times[0].deltaSeconds // 14
 */
export function compareTokenTimes(
  claims: Record<string, unknown>,
  clocks: readonly ClockMeasurement[],
  options: { now: number; toleranceSeconds: number },
): { times: TokenTimeComparison[]; findings: Finding[] } {
  const times: TokenTimeComparison[] = [];
  const findings: Finding[] = [];
  const tol = options.toleranceSeconds;
  for (const c of clocks) {
    if (!c.ok || c.offsetSeconds === undefined) continue;
    const remoteNow = round(options.now + c.offsetSeconds);
    const unc = c.uncertaintySeconds ?? 0;
    for (const claim of ['iat', 'nbf', 'exp'] as const) {
      const value = claims[claim];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const delta = round(value - remoteNow);
      times.push({
        clock: c.target,
        claim,
        value,
        remoteNow,
        deltaSeconds: delta,
        relation: delta > 0 ? 'ahead' : delta < 0 ? 'behind' : 'equal',
        uncertaintySeconds: unc,
      });
      const detail = {
        clock: c.target,
        remoteNow,
        deltaSeconds: delta,
        uncertaintySeconds: unc,
        toleranceSeconds: tol,
        clockOffsetSeconds: c.offsetSeconds,
      };
      if (claim === 'iat' && delta > tol)
        findings.push(makeFinding('iat_in_future', { claim, expected: `<= ${remoteNow + tol}`, actual: value, detail }));
      if (claim === 'nbf' && delta > tol)
        findings.push(makeFinding('token_not_yet_valid', { claim, expected: `<= ${remoteNow + tol}`, actual: value, detail }));
      if (claim === 'exp' && value + tol <= remoteNow)
        findings.push(makeFinding('token_expired', { claim, expected: `> ${remoteNow - tol}`, actual: value, detail }));
    }
  }
  return { times, findings };
}

/**
 * Findings for measured clocks against the contract tolerance: an offset
 * beyond tolerance even at the edge of its uncertainty is an error; one
 * beyond tolerance only by its estimate is a warning.
 */
export function clockFindings(clocks: readonly ClockMeasurement[], toleranceSeconds: number): Finding[] {
  const out: Finding[] = [];
  for (const c of clocks) {
    if (!c.ok || c.offsetSeconds === undefined) {
      out.push(makeFinding('transport_error', { detail: { clock: c.target, url: c.url, ...(c.error ?? {}) } }));
      continue;
    }
    const abs = Math.abs(c.offsetSeconds);
    if (abs <= toleranceSeconds) continue;
    const certain = abs - (c.uncertaintySeconds ?? 0) > toleranceSeconds;
    out.push(
      makeFinding('clock_offset_exceeds_tolerance', {
        severity: certain ? 'error' : 'warning',
        expected: `|offset| <= ${toleranceSeconds} s`,
        actual: c.offsetSeconds,
        detail: {
          clock: c.target,
          offsetSeconds: c.offsetSeconds,
          uncertaintySeconds: c.uncertaintySeconds,
          toleranceSeconds,
          certain,
          direction: c.offsetSeconds > 0 ? 'remote_ahead' : 'remote_behind',
        },
      }),
    );
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return url;
  }
}
