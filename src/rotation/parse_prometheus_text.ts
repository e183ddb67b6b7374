/** An OpenMetrics exemplar: ` # {trace_id="..."} value [timestamp]` after a sample. */
export interface PromExemplar {
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** One sample of the Prometheus text exposition format or OpenMetrics. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch (0.0.4 writes milliseconds, OpenMetrics seconds). */
  timestampMs?: number;
  exemplar?: PromExemplar;
}

/** A whole exposition: the samples, the declared family types, and what was not read. */
export interface PromExposition {
  format: 'prometheus' | 'openmetrics';
  samples: PromSample[];
  /** `# TYPE family type`, by family name. */
  types: Record<string, string>;
  /** Sample lines that could not be read (bad escape, bad number, unbalanced braces). */
  skippedLines: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * A float as Go's strconv.ParseFloat reads it for both formats: NaN, +Inf,
 * -Inf in any case (prom-client writes `Nan`), decimal and exponent forms.
 */
function parseFloatToken(s: string): number | undefined {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === '+inf' || l === 'inf' || l === '+infinity' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return NUMBER.test(s) ? Number(s) : undefined;
}

/** A double-quoted string at `i` with the exposition escapes (\\, \", \n); any other escape is an error. */
function readQuoted(line: string, i: number): { value: string; end: number } | undefined {
  if (line[i] !== '"') return undefined;
  let value = '';
  for (let j = i + 1; j < line.length; j++) {
    const c = line[j]!;
    if (c === '"') return { value, end: j + 1 };
    if (c === '\\') {
      const e = ESCAPES[line[j + 1] ?? ''];
      if (e === undefined) return undefined;
      value += e;
      j++;
    } else value += c;
  }
  return undefined;
}

/**
 * `{a="1",b="2",}` at `i`. Label names may be quoted and a bare quoted
 * string is the metric name (the UTF-8 names of Prometheus 3 and
 * OpenMetrics 2: `{"my.metric","a"="1"}`).
 */
function readLabelSet(line: string, i: number): { labels: Record<string, string>; name?: string; end: number } | undefined {
  const labels: Record<string, string> = {};
  let name: string | undefined;
  let j = i + 1;
  for (;;) {
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] === '}') return { labels, ...(name !== undefined ? { name } : {}), end: j + 1 };
    const quoted = readQuoted(line, j);
    const bare = quoted ? undefined : LABEL_NAME.exec(line.slice(j))?.[0];
    if (!quoted && bare === undefined) return undefined;
    const key = quoted ? quoted.value : bare!;
    j = quoted ? quoted.end : j + bare!.length;
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] === '=') {
      j++;
      while (line[j] === ' ' || line[j] === '\t') j++;
      const v = readQuoted(line, j);
      if (!v) return undefined;
      labels[key] = v.value;
      j = v.end;
    } else if (quoted && name === undefined) name = key;
    else return undefined;
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] === ',') j++;
    else if (line[j] !== '}') return undefined;
  }
}

/** `value [timestamp]`; timestamps in milliseconds (OpenMetrics gives seconds). */
function readValueAndTime(text: string, openMetrics: boolean): { value: number; timestampMs?: number } | undefined {
  const parts = text.trim().split(/[ \t]+/);
  if (parts.length < 1 || parts.length > 2 || parts[0] === '') return undefined;
  const value = parseFloatToken(parts[0]!);
  if (value === undefined) return undefined;
  if (parts.length === 1) return { value };
  const t = parseFloatToken(parts[1]!);
  if (t === undefined || !Number.isFinite(t)) return undefined;
  return { value, timestampMs: openMetrics ? t * 1000 : t };
}

function readSampleLine(line: string, openMetrics: boolean): PromSample | undefined {
  const bareName = NAME.exec(line)?.[0];
  let i = bareName?.length ?? 0;
  let labels: Record<string, string> = {};
  let name = bareName;
  if (line[i] === '{') {
    const set = readLabelSet(line, i);
    if (!set || (set.name !== undefined && name !== undefined)) return undefined;
    labels = set.labels;
    name ??= set.name;
    i = set.end;
  }
  if (name === undefined || (line[i] !== ' ' && line[i] !== '\t')) return undefined;
  // Nothing in a value or timestamp contains '#': the first one opens the exemplar.
  const hash = line.indexOf('#', i);
  const vt = readValueAndTime(hash < 0 ? line.slice(i) : line.slice(i, hash), openMetrics);
  if (!vt) return undefined;
  const sample: PromSample = { name, labels, ...vt };
  if (hash >= 0) {
    let j = hash + 1;
    while (line[j] === ' ') j++;
    const set = line[j] === '{' ? readLabelSet(line, j) : undefined;
    // An exemplar always carries timestamps in seconds (OpenMetrics 1.0, "Exemplars").
    const ev = set && !set.name ? readValueAndTime(line.slice(set.end), true) : undefined;
    if (!set || !ev) return undefined;
    sample.exemplar = { labels: set.labels, ...ev };
  }
  return sample;
}

/**
 * Parses a Prometheus text exposition (format 0.0.4) or OpenMetrics 1.0
 * text: `# TYPE`/`# HELP`/`# UNIT` metadata, label values with the `\\`,
 * `\"` and `\n` escapes, NaN and ±Inf, optional timestamps (0.0.4
 * milliseconds, OpenMetrics seconds), exemplars after ` # `, and `# EOF`
 * (nothing after it is read). `_total`, `_created`, `_bucket` ... samples
 * keep their own names. A line that cannot be read is counted, never
 * guessed at.
 *
 * @example parseExposition('jwt_auth_verified_total{kid="old"} 3 # {trace_id="a"} 1 1.6e9\n# EOF\n').samples[0].exemplar.labels.trace_id // 'a'
 */
export function parseExposition(text: string): PromExposition {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const openMetrics = lines.some((l) => l === '# EOF');
  const out: PromExposition = { format: openMetrics ? 'openmetrics' : 'prometheus', samples: [], types: {}, skippedLines: 0 };
  for (const raw of lines) {
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '# EOF') break;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^#[ \t]+TYPE[ \t]+(\S+)[ \t]+(\S+)/.exec(line);
      if (type) out.types[type[1]!] = type[2]!;
      continue;
    }
    const s = readSampleLine(line, openMetrics);
    if (s) out.samples.push(s);
    else out.skippedLines++;
  }
  return out;
}

/**
 * The samples of a Prometheus text or OpenMetrics exposition (see
 * parseExposition).
 *
 * @example parsePrometheusText('jwt_auth_verified_total{env="staging",kid="old"} 42')[0].value // 42
 */
export function parsePrometheusText(text: string): PromSample[] {
  return parseExposition(text).samples;
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
