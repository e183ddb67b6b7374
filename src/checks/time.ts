import { makeFinding, type Finding } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import type { JsonObject } from '../token/decode.ts';

export const DEFAULT_SKEW_WINDOW_SECONDS = 300;

export interface ClockReport {
  /** The check instant, NumericDate seconds. */
  now: number;
  nowIso: string;
  toleranceSeconds: number;
  /** now - iat: always reported, so real expiry and clock issues can be told apart. */
  tokenAgeSeconds?: number;
  /** exp - iat. */
  lifetimeSeconds?: number;
  /** exp - now (negative once expired). */
  expiresInSeconds?: number;
  /** nbf - now (positive while not yet valid). */
  notBeforeInSeconds?: number;
  /**
   * The clock offset (seconds; positive: the signer's clock ahead of the
   * verifier's) that would explain a time failure, when within the window.
   */
  suspectedSkewSeconds?: number;
}

// Milliseconds precision; beyond 1e15 s there is none to keep, and n * 1000 could overflow to Infinity
// (a NumericDate such as -1e308 is a finite JSON number, RFC 7519 section 2).
const round = (n: number) => (Math.abs(n) < 1e15 ? Math.round(n * 1000) / 1000 : n);

/**
 * offset: seconds by which the signer's clock would run ahead of the
 * verifier's (negative: behind) for this failure to be pure skew.
 */
function pushSkew(findings: Finding[], clock: ClockReport, offset: number, claim: string, because: string, tol: number, window: number, age: number | undefined): void {
  clock.suspectedSkewSeconds = round(offset);
  findings.push(
    makeFinding('clock_skew_suspected', {
      claim,
      actual: round(offset),
      detail: { offsetSeconds: round(offset), direction: offset > 0 ? 'signer_ahead' : 'verifier_ahead', toleranceSeconds: tol, windowSeconds: window, because, ...(age !== undefined ? { tokenAgeSeconds: age } : {}) },
    }),
  );
}

let lastSecond = NaN;
let lastIso = '';
/** ISO 8601 of the check instant, to the second; memoized (the middleware calls this per request). */
export function isoSecond(now: number): string {
  const sec = Math.floor(now);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastIso = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastIso;
}

/**
 * exp / nbf / iat with the tolerance (RFC 7519 sections 4.1.4-4.1.6), and
 * the maximum token age. Time failures that a modest clock offset would
 * explain also get `clock_skew_suspected` with the exact offset. Appends to
 * the caller's findings and returns the clock report (the hot path: no
 * intermediate objects).
 *
 * @example const clock = checkTimesInto(findings, payload, { clockToleranceSeconds: 10 }, 1795874700);
 */
export function checkTimesInto(findings: Finding[], payload: JsonObject, exp: Expectations, now: number): ClockReport {
  const tol = exp.clockToleranceSeconds ?? 0;
  const window = exp.skewWindowSeconds ?? DEFAULT_SKEW_WINDOW_SECONDS;
  const clock: ClockReport = { now, nowIso: isoSecond(now), toleranceSeconds: tol };
  const e = typeof payload.exp === 'number' ? payload.exp : undefined;
  const nbf = typeof payload.nbf === 'number' ? payload.nbf : undefined;
  const iat = typeof payload.iat === 'number' ? payload.iat : undefined;
  if (iat !== undefined) clock.tokenAgeSeconds = round(now - iat);
  if (e !== undefined) clock.expiresInSeconds = round(e - now);
  if (e !== undefined && iat !== undefined) clock.lifetimeSeconds = round(e - iat);
  if (nbf !== undefined) clock.notBeforeInSeconds = round(nbf - now);
  const age = clock.tokenAgeSeconds;
  if (e !== undefined && now >= e + tol) {
    const over = now - e; // seconds past exp
    findings.push(makeFinding('token_expired', { claim: 'exp', expected: `now < exp + ${tol}s`, actual: e, detail: { secondsPastExp: round(over), toleranceSeconds: tol, ...(age !== undefined ? { tokenAgeSeconds: age } : {}), ...(clock.lifetimeSeconds !== undefined ? { lifetimeSeconds: clock.lifetimeSeconds } : {}) } }));
    // An expiry by a few seconds, or a token that is "older than its age
    // allows" only because iat looks far in the past, may be clock drift:
    // the verifier's clock ahead of the signer's by `over` seconds.
    if (over - tol <= window) pushSkew(findings, clock, -over, 'exp', 'expired within the plausible skew window', tol, window, age);
  }
  if (nbf !== undefined && now < nbf - tol) {
    const ahead = nbf - now;
    findings.push(makeFinding('token_not_yet_valid', { claim: 'nbf', expected: `nbf <= now + ${tol}s`, actual: nbf, detail: { secondsUntilValid: round(ahead), toleranceSeconds: tol } }));
    if (ahead - tol <= window) pushSkew(findings, clock, ahead, 'nbf', 'nbf in the future: the signer clock runs ahead', tol, window, age);
  }
  if (iat !== undefined && iat > now + tol) {
    const ahead = iat - now;
    findings.push(makeFinding('iat_in_future', { claim: 'iat', expected: `iat <= now + ${tol}s`, actual: iat, detail: { secondsAhead: round(ahead), toleranceSeconds: tol } }));
    if (clock.suspectedSkewSeconds === undefined && ahead - tol <= window) pushSkew(findings, clock, ahead, 'iat', 'iat in the future: the signer clock runs ahead', tol, window, age);
  }
  if (exp.maxTokenAgeSeconds !== undefined) {
    if (iat === undefined) {
      findings.push(makeFinding('missing_claim', { claim: 'iat', actual: null, detail: { because: 'maxTokenAgeSeconds' } }));
    } else if (now - iat > exp.maxTokenAgeSeconds + tol) {
      const over = now - iat - exp.maxTokenAgeSeconds;
      findings.push(makeFinding('token_too_old', { claim: 'iat', expected: exp.maxTokenAgeSeconds, actual: round(now - iat), detail: { tokenAgeSeconds: round(now - iat), maxTokenAgeSeconds: exp.maxTokenAgeSeconds, secondsOver: round(over), toleranceSeconds: tol } }));
    }
  }
  return clock;
}
