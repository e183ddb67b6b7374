/**
 * Verdicts per distinct token: a log repeats the same token on every
 * request of a session, so each token is diagnosed once per "time state"
 * (which side of exp, nbf, iat and the maximum age the line's instant falls
 * on, RFC 7519 sections 4.1.4-4.1.6), not once per line. The cache is
 * bounded (cleared when full): memory stays constant on any log.
 */
import type { Diagnoser } from '../diagnose.ts';
import type { Expectations } from '../expectations.ts';
import { createDoorkeeper, sampleHash } from './doorkeeper.ts';
import { ownCopy } from './own_copy.ts';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_SKEW_WINDOW_SECONDS } from '../defaults.ts';

/** Distinct tokens remembered before the cache starts over. */
export const MAX_CACHED_TOKENS = 20_000;
/** Tokens kept under one sampleHash; past that the newest replaces the last (crafted collisions cost re-diagnoses, never a long scan). */
const MAX_SAME_HASH = 4;

/** Every field always present (undefined when unknown): one object shape, read on every line. */
export interface TokenVerdict {
  /** The diagnosis result: 'valid' or a reason code. */
  reason: string;
  kid: string | undefined;
  /** azp or client_id from the (unverified) claims. */
  client: string | undefined;
}

interface Entry extends TokenVerdict {
  state: number;
}

interface Times {
  /** The token (its own copy). */
  token: string;
  exp: number | undefined;
  nbf: number | undefined;
  iat: number | undefined;
  entries: Entry[];
}

export interface TokenVerdicts {
  verdict(token: string, now: number): TokenVerdict;
  /** Distinct diagnoses run (for tests and the benchmark). */
  readonly diagnosed: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined);

/**
 * Diagnoses each distinct token with `diagnoser` at the line's instant,
 * reusing the verdict while the instant stays on the same side of every
 * time boundary the diagnoser checks.
 *
 * @example createTokenVerdicts(diagnoser, expectations).verdict(token, 1795874700).reason
 */
export function createTokenVerdicts(diagnoser: Diagnoser, expectations: Expectations): TokenVerdicts {
  const tol = expectations.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const windowSeconds = expectations.skewWindowSeconds ?? DEFAULT_SKEW_WINDOW_SECONDS;
  const maxAge = expectations.maxTokenAgeSeconds;
  /** sampleHash -> the tokens cached under it (at most MAX_SAME_HASH). */
  const cache = new Map<number, Times[]>();
  let cached = 0;
  const seenBefore = createDoorkeeper(MAX_CACHED_TOKENS);
  let diagnosed = 0;
  /** One bit per boundary of src/checks/time.ts, for `now`. */
  const stateAt = (t: Times, now: number): number =>
    (t.exp !== undefined && now >= t.exp + tol ? 1 : 0) |
    (t.nbf !== undefined && now < t.nbf - tol ? 2 : 0) |
    (t.nbf !== undefined && t.nbf - now - tol <= windowSeconds ? 4 : 0) |
    (t.iat !== undefined && t.iat > now + tol ? 8 : 0) |
    (t.iat !== undefined && t.iat - now - tol <= windowSeconds ? 16 : 0) |
    (t.iat !== undefined && maxAge !== undefined && now - t.iat > maxAge + tol ? 32 : 0);
  const remember = (t: Times, hash: number): void => {
    if (cached >= MAX_CACHED_TOKENS) {
      cache.clear();
      cached = 0;
    }
    const same = cache.get(hash);
    if (!same) cache.set(hash, [t]);
    else if (same.length < MAX_SAME_HASH) same.push(t);
    else same[same.length - 1] = t;
    cached++;
  };
  const diagnoseAt = (token: string, hash: number, now: number, times: Times | undefined): Entry => {
    diagnosed++;
    const d = diagnoser.diagnose(token, { now });
    const t: Times = times ?? {
      token: ownCopy(token),
      exp: num(d.claims?.exp),
      nbf: num(d.claims?.nbf),
      iat: num(d.claims?.iat),
      entries: [],
    };
    if (!times && seenBefore(hash)) remember(t, hash);
    const client = str(d.claims?.azp) ?? str(d.claims?.client_id);
    const entry: Entry = { reason: d.result, kid: str(d.header?.kid), client, state: stateAt(t, now) };
    t.entries.push(entry);
    return entry;
  };
  return {
    verdict(token, now) {
      const hash = sampleHash(token);
      const same = cache.get(hash);
      let times: Times | undefined;
      if (same) for (const t of same) if (t.token === token) times = t;
      if (times) {
        const state = stateAt(times, now);
        for (const e of times.entries) if (e.state === state) return e;
      }
      return diagnoseAt(token, hash, now, times);
    },
    get diagnosed() {
      return diagnosed;
    },
  };
}
