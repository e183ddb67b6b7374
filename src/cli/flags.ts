/**
 * Flag parsers shared by every command: one rule per kind of value, each
 * raising a UsageError (exit 2) that names the flag, what it expects and
 * what it got. Formats are documented in docs/cli-input.md.
 */
import { parseInstant } from '../report/format_time.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import { UsageError } from './usage_error.ts';

/**
 * The largest --timeout: 10 minutes. Node's timers hold at most 2^31-1 ms
 * and silently turn a larger delay into 1 ms, and no key fetch or probe
 * worth waiting for takes longer.
 */
export const MAX_TIMEOUT_MS = 600_000;

/** Default --timeout for every network call. */
export { DEFAULT_TIMEOUT_MS };

export interface NumberRule {
  /** Smallest accepted value (default 0). */
  min?: number;
  /** Largest accepted value (default: any finite number). */
  max?: number;
  /** Only whole numbers (digits only, no exponent, no decimals). */
  integer?: boolean;
  /** What the number counts, for the message ("seconds", "milliseconds"). */
  unit?: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

/**
 * A number flag: plain decimal digits only ("1e3", "0x10", "", " 5" and
 * negative numbers are refused, unlike Number()), within [min, max].
 *
 * @example parseNumberFlag('--max-age', '600', { unit: 'seconds' }) // 600
 */
export function parseNumberFlag(flag: string, v: string | undefined, rule: NumberRule | number = {}): number | undefined {
  if (v === undefined) return undefined;
  const r: NumberRule = typeof rule === 'number' ? { min: rule } : rule;
  const min = r.min ?? 0;
  const n = Number(v);
  const shapeOk = (r.integer ? INTEGER : DECIMAL).test(v);
  if (!shapeOk || !Number.isFinite(n) || n < min || (r.max !== undefined && n > r.max)) {
    const kind = r.integer ? 'an integer' : 'a number';
    const range = r.max !== undefined ? `from ${min} to ${r.max}` : `>= ${min}`;
    throw new UsageError(`${flag} expects ${kind} ${range}${r.unit ? ` (${r.unit})` : ''}, got "${v}"`);
  }
  return n;
}

/** A whole number >= min (1 by default): --samples, --concurrency, --max-token-bytes. */
export function parsePositiveInt(flag: string, v: string, min = 1, max?: number): number {
  return parseNumberFlag(flag, v, { min, integer: true, ...(max !== undefined ? { max } : {}) })!;
}

/**
 * --timeout: whole milliseconds from 1 to MAX_TIMEOUT_MS. Anything else is
 * a usage error, never a silently different deadline.
 */
export function parseTimeout(v: string | undefined, flag = '--timeout'): number {
  if (v === undefined) return DEFAULT_TIMEOUT_MS;
  return parseNumberFlag(flag, v, { min: 1, max: MAX_TIMEOUT_MS, integer: true, unit: 'milliseconds' })!;
}

/**
 * An instant flag (--now, --retire-at, ...): ISO 8601 with a UTC offset
 * or Z (2026-11-30T20:05:00Z, 2026-11-30T21:05:00+01:00), or UNIX seconds
 * (integer or decimal). A time without an offset would be read in this
 * machine's zone, so it is refused, as is anything Date.parse guesses at.
 */
export function parseInstantFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseInstant(v);
  if (n === undefined) throw new UsageError(`${flag} expects ISO 8601 with an offset or Z (2026-11-30T20:05:00Z) or UNIX seconds, got "${v}"`);
  return n;
}

/** --now: an instant (parseInstantFlag); default the wall clock, read only here at the CLI edge. */
export function parseNowFlag(v: string | undefined): number {
  return parseInstantFlag('--now', v) ?? Date.now() / 1000;
}

/** --now when absent means "let the library read the clock". */
export function parseOptionalNow(v: string | undefined): number | undefined {
  return parseInstantFlag('--now', v);
}

/**
 * A URL flag: an absolute http: or https: URL that the WHATWG URL parser
 * accepts (so "notaurl", "localhost:8080/jwks" and "ftp://..." are usage
 * errors, not unreachable key sources).
 */
export function parseUrlFlag(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  let u: URL | undefined;
  try {
    u = new URL(v);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '' || /\s/.test(v)) {
    throw new UsageError(`${flag} expects an absolute http(s) URL such as https://auth.example.com/.well-known/jwks.json, got "${v}"`);
  }
  return v;
}
