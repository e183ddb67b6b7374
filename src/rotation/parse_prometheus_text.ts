/** One sample of the Prometheus text exposition format. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?\s*$/;

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') return undefined;
    let j = eq + 2;
    let value = '';
    // Label values escape \\, \" and \n (exposition format, "Text format details").
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\' && j + 1 < text.length) {
        const n = text[j + 1];
        value += n === 'n' ? '\n' : n;
        j += 2;
      } else value += text[j++];
    }
    if (j >= text.length) return undefined;
    labels[name] = value;
    i = j + 1;
  }
  return labels;
}

/**
 * Parses Prometheus text exposition (version 0.0.4): `name{a="b"} value
 * [timestamp]` lines; comments and unparsable lines are skipped.
 *
 * @example parsePrometheusText('jwt_auth_verified_total{env="staging",kid="old"} 42')[0].value // 42
 */
export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels = m[3] !== undefined ? parseLabels(m[3]) : {};
    if (!labels) continue;
    const v = m[4]!;
    const value = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v);
    if (Number.isNaN(value) && v !== 'NaN') continue;
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/**
 * Sums the samples of one metric whose labels match every given label.
 *
 * @example sumSamples(samples, 'jwt_auth_verified_total', { kid: 'old' })
 */
export function sumSamples(samples: readonly PromSample[], name: string, match: Record<string, string>): { total: number; series: number } {
  let total = 0;
  let series = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(match).some(([k, v]) => s.labels[k] !== v)) continue;
    total += s.value;
    series++;
  }
  return { total, series };
}
