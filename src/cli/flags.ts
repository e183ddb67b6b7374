/**
 * The CLI's flag kit, written once for every command:
 *
 * - option factories (`contractOption`, `envOption`, `formatOption`,
 *   `timeoutOption`, `nowOption`, the token input options, ...): the same
 *   spelling, default and choices everywhere; a command may word the
 *   description for what the flag means to it;
 * - parsers: one rule per kind of value, each raising a UsageError (exit 2)
 *   that names the flag, what it expects and what it got.
 *
 * Flag values reach the command functions as the strings typed (parsed
 * there, so a bad value is our one-line usage error, not commander's), and
 * formats are documented in docs/cli-input.md.
 */
import { Argument, Option } from 'commander';
import { UsageError } from '../errors.ts';
import { parseInstant } from '../report/format_time.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';

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
  if (n === undefined)
    throw new UsageError(`${flag} expects ISO 8601 with an offset or Z (2026-11-30T20:05:00Z) or UNIX seconds, got "${v}"`);
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

/** Collects a repeatable flag's values: `--aud a --aud b` -> ['a', 'b']. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The forms every instant flag accepts (parseInstantFlag), for help texts. */
export const INSTANT_FORMS = 'ISO 8601 with Z or an offset, or UNIX seconds';

/** The --timeout range, for help texts. */
export const TIMEOUT_RANGE = `1 to ${MAX_TIMEOUT_MS}`;

/**
 * `-c, --contract FILE`: the environment contract (loadContractFlag reads
 * it). The default file is spelled out, not imported: this module is loaded
 * by `decode`, which never loads the contract code.
 */
export function contractOption(description = 'environment contract (default ./auth-contract.yaml when present)'): Option {
  return new Option('-c, --contract <file>', description);
}

/** `-e, --env NAME`: one environment of the contract. */
export function envOption(description = 'environment of the contract'): Option {
  return new Option('-e, --env <name>', description);
}

/**
 * `-f, --format FORMAT` with the formats this command can write; the first
 * is the default. With `json`, errors are JSON too (main.ts).
 *
 * @example cmd.addOption(formatOption(['text', 'json']))
 */
export function formatOption(choices: readonly string[]): Option {
  return new Option('-f, --format <format>', 'output format').choices(choices).default(choices[0]);
}

/** `--timeout MS` for every network call, default 5000 (parseTimeout reads it). */
export function timeoutOption(description = `timeout for every fetch in ms (${TIMEOUT_RANGE})`): Option {
  return new Option('--timeout <ms>', description).default(String(DEFAULT_TIMEOUT_MS));
}

/** `--now INSTANT`: the injected clock (parseNowFlag / parseOptionalNow read it). */
export function nowOption(description = `evaluate at this instant (${INSTANT_FORMS})`): Option {
  return new Option('--now <instant>', description);
}

/** `[token]`: the token, a pasted line, a file holding it, or - (readTokenInput). */
export function tokenArgument(description = 'the token, a pasted header line, a file holding it, or - for stdin'): Argument {
  return new Argument('[token]', description);
}

/** `--token-file FILE`: the token from a file, - for stdin (readTokenInput). */
export function tokenFileOption(): Option {
  return new Option('--token-file <file>', 'read the token from a file (- for stdin)');
}

/** `-t, --token TOKEN`: the token as a flag (probe and clock, for older scripts). */
export function tokenOption(): Option {
  return new Option('-t, --token <token>', 'the token, as the argument (kept for scripts)');
}

/** `--sanitize`: keep what an incident note needs (report/sanitize.ts). */
export function sanitizeOption(
  description = 'keep only what an incident note needs: identifying claims hashed, no token, no secret',
): Option {
  return new Option('--sanitize', description);
}

/** `--max-token-bytes N`: the size cap checked before decoding. */
export function maxTokenBytesOption(description: string, defaultValue?: string): Option {
  const o = new Option('--max-token-bytes <n>', description);
  return defaultValue === undefined ? o : o.default(defaultValue);
}

/** `--clock-tolerance SECONDS` (parseNumberFlag with unit seconds reads it). */
export function clockToleranceOption(description: string): Option {
  return new Option('--clock-tolerance <seconds>', description);
}

/** `--jwks-url URL`: a JWKS URL (parseUrlFlag reads it). */
export function jwksUrlOption(description: string): Option {
  return new Option('--jwks-url <url>', description);
}

/** A secret encoding flag (`--secret-encoding`, `--signer-secret-encoding`): utf8 by default. */
export function secretEncodingOption(flag: string, description: string): Option {
  return new Option(`${flag} <enc>`, description).choices(['utf8', 'base64', 'base64url', 'hex']).default('utf8');
}
