import { UsageError } from '../cli/common.ts';
import { parseInstant } from '../report/format_time.ts';

/** --now: UNIX seconds or ISO 8601; default the wall clock (read only at the CLI edge). */
export function parseNowFlag(v: string | undefined): number {
  if (v === undefined) return Date.now() / 1000;
  const n = parseInstant(v);
  if (n === undefined) throw new UsageError(`--now expects UNIX seconds or ISO 8601, got "${v}"`);
  return n;
}

/** An instant flag (--retire-at, --unpublished-at, --switched-at). */
export function parseInstantFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = parseInstant(v);
  if (n === undefined) throw new UsageError(`${flag} expects UNIX seconds or ISO 8601, got "${v}"`);
  return n;
}

/** A number flag with a lower bound. */
export function parseNumberFlag(flag: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} expects a number >= ${min}, got "${v}"`);
  return n;
}

/** A URL flag: http or https only. */
export function parseUrlFlag(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/i.test(v)) throw new UsageError(`${flag} expects an http(s) URL, got "${v}"`);
  return v;
}
