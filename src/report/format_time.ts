/** "3m 12s", "2h 5m", "4d 1h": the two largest units. */
export function formatDuration(seconds: number): string {
  let s = Math.round(Math.abs(seconds));
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
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

/** --now accepts UNIX seconds or ISO 8601. */
export function parseInstant(text: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t / 1000;
}
