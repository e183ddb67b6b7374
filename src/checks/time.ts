import { makeFinding, type Finding } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import type { JsonObject } from '../token/decode.ts';

import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_SKEW_WINDOW_SECONDS } from '../defaults.ts';

export { DEFAULT_SKEW_WINDOW_SECONDS };

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
function pushSkew(
  findings: Finding[],
  clock: ClockReport,
  offset: number,
  claim: string,
  because: string,
  tol: number,
  window: number,
  age: number | undefined,
): void {
  clock.suspectedSkewSeconds = round(offset);
  findings.push(
    makeFinding('clock_skew_suspected', {
      claim,
      actual: round(offset),
      detail: {
        offsetSeconds: round(offset),
        direction: offset > 0 ? 'signer_ahead' : 'verifier_ahead',
        toleranceSeconds: tol,
        windowSeconds: window,
        because,
        ...(age !== undefined ? { tokenAgeSeconds: age } : {}),
      },
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
 * the maximum token age. `clock_skew_suspected` is added only when the
 * evidence points at a clock, never for plain expiry:
 * - iat ahead of now by more than the tolerance (a token cannot be issued in
 *   the future: the signer's clock runs ahead), within the skew window;
 * - nbf ahead of now by more than the tolerance, within the skew window;
 * - a measured clock offset (`Expectations.clockOffsetSeconds`, e.g. from
 *   `jwt-doctor clock`) beyond the tolerance that explains the failure: the
 *   token passes once now is read on the signer's clock.
 * An expired token is `token_expired` with its age and lifetime in `detail`:
 * 25 s past exp on a 900 s token is ordinary expiry. Appends to the caller's
 * findings and returns the clock report (the hot path: no intermediate objects).
 *
 * @example const clock = checkTimesInto(findings, payload, { clockToleranceSeconds: 10 }, 1795874700);
 */
export function checkTimesInto(findings: Finding[], payload: JsonObject, exp: Expectations, now: number): ClockReport {
  const tol = exp.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const window = exp.skewWindowSeconds ?? DEFAULT_SKEW_WINDOW_SECONDS;
  const measured =
    typeof exp.clockOffsetSeconds === 'number' && Number.isFinite(exp.clockOffsetSeconds) ? exp.clockOffsetSeconds : undefined;
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
    findings.push(
      makeFinding('token_expired', {
        claim: 'exp',
        expected: `now < exp + ${tol}s`,
        actual: e,
        detail: {
          secondsPastExp: round(over),
          toleranceSeconds: tol,
          ...(age !== undefined ? { tokenAgeSeconds: age } : {}),
          ...(clock.lifetimeSeconds !== undefined ? { lifetimeSeconds: clock.lifetimeSeconds } : {}),
        },
      }),
    );
    // Only a measured offset can blame a clock for an expiry: read on the signer's clock
    // (now + offset), the token would still be valid.
    if (measured !== undefined && Math.abs(measured) > tol && now + measured < e + tol)
      pushSkew(findings, clock, measured, 'exp', 'measured clock offset explains the expiry', tol, window, age);
  }
  if (nbf !== undefined && now < nbf - tol) {
    const ahead = nbf - now;
    findings.push(
      makeFinding('token_not_yet_valid', {
        claim: 'nbf',
        expected: `nbf <= now + ${tol}s`,
        actual: nbf,
        detail: { secondsUntilValid: round(ahead), toleranceSeconds: tol },
      }),
    );
    if (ahead - tol <= window) pushSkew(findings, clock, ahead, 'nbf', 'nbf in the future: the signer clock runs ahead', tol, window, age);
  }
  if (iat !== undefined && iat > now + tol) {
    const ahead = iat - now;
    findings.push(
      makeFinding('iat_in_future', {
        claim: 'iat',
        expected: `iat <= now + ${tol}s`,
        actual: iat,
        detail: { secondsAhead: round(ahead), toleranceSeconds: tol },
      }),
    );
    if (clock.suspectedSkewSeconds === undefined && ahead - tol <= window)
      pushSkew(findings, clock, ahead, 'iat', 'iat in the future: the signer clock runs ahead', tol, window, age);
  }
  checkMaxAge(findings, exp.maxTokenAgeSeconds, iat, tol, now);
  return clock;
}

function checkMaxAge(findings: Finding[], max: number | undefined, iat: number | undefined, tol: number, now: number): void {
  if (max === undefined) return;
  if (iat === undefined) {
    findings.push(makeFinding('missing_claim', { claim: 'iat', actual: null, detail: { because: 'maxTokenAgeSeconds' } }));
  } else if (now - iat > max + tol) {
    const over = now - iat - max;
    findings.push(
      makeFinding('token_too_old', {
        claim: 'iat',
        expected: max,
        actual: round(now - iat),
        detail: { tokenAgeSeconds: round(now - iat), maxTokenAgeSeconds: max, secondsOver: round(over), toleranceSeconds: tol },
      }),
    );
  }
}
