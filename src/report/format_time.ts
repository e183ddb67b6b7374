/** "3m 12s", "2h 5m", "4d 1h": the two largest units. */
export function formatDuration(seconds: number): string {
  let s = Math.round(Math.abs(seconds));
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  for (const [u, n] of units) {
    if (s >= n || (u === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(s / n)}${u}`);
      s %= n;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A NumericDate as ISO 8601 plus where it stands relative to `now`. */
export function describeInstant(claim: 'exp' | 'nbf' | 'iat' | string, value: number, now: number): string {
  const iso = Number.isFinite(value) && Math.abs(value) < 8.64e12 ? new Date(value * 1000).toISOString() : String(value);
  const delta = value - now;
  const d = formatDuration(delta);
  let rel: string;
  if (claim === 'exp') rel = delta > 0 ? `expires in ${d}` : `expired ${d} ago`;
  else if (claim === 'nbf') rel = delta > 0 ? `valid in ${d}` : `valid since ${d} ago`;
  else rel = delta > 0 ? `${d} in the future` : `${d} ago`;
  return `${iso} (${rel})`;
}

/** UNIX seconds: digits, optionally a decimal fraction (RFC 7519 NumericDate). */
const UNIX_SECONDS = /^\d{1,12}(\.\d+)?$/;
/** ISO 8601 / RFC 3339 date-time with a mandatory offset (Z or +hh:mm). */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An instant given on the command line (--now, --retire-at): UNIX seconds
 * (integer or decimal) or ISO 8601 with Z or a UTC offset. A local time
 * without an offset, a date alone, out-of-range fields (month 13, Feb 30,
 * 25:00) and free text ('yesterday') are refused: undefined.
 *
 * @example parseInstant('2026-11-30T21:05:00+01:00') // 1796069100
 */
export function parseInstant(text: string): number | undefined {
  if (UNIX_SECONDS.test(text)) return Number(text);
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const fraction = m[7] ? Number(m[7]) : 0;
  const offH = m[10] !== undefined ? Number(m[10]) : 0;
  const offM = m[11] !== undefined ? Number(m[11]) : 0;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || offH > 23 || offM > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls Feb 30 over to March 2: a day that does not exist is refused.
  if (new Date(utc).getUTCDate() !== d) return undefined;
  const offset = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60;
  return utc / 1000 + fraction - offset;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * A duration of the contract or the command line, the inverse of
 * formatDuration: a number (in `unitSeconds`: 1 for seconds fields, 86400
 * for days fields) or a string of one number and one unit (`90s`, `15m`,
 * `1h`, `90d`, `2w`). Negative, non-finite, unitless strings and compound
 * forms (`1h30m`) are refused: undefined.
 *
 * @example parseDuration('15m') // 900
 * @example parseDuration(90, 86400) // 7776000
 */
export function parseDuration(value: unknown, unitSeconds = 1): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * unitSeconds : undefined;
  if (typeof value !== 'string') return undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return Number.isFinite(n) ? n : undefined;
}
