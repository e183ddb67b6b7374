/**
 * The triage report as one self-contained HTML file: inline CSS and inline
 * SVG charts (reasons over time, kids over time, routes), no script, no
 * external resource (no src, href, url() or font), so it opens offline and
 * can be attached to an incident. Every string from the logs is escaped.
 * Pure.
 */
import { isoSecond } from '../checks/time.ts';
import { formatTriageText } from './format_triage_text.ts';
import type { Counts, TriageReport } from './report.ts';

/** Series drawn per time chart; the rest is summed as "other". */
const MAX_SERIES = 8;
/** Points per time chart: more buckets are summed into wider ones. */
const MAX_POINTS = 400;
const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
const W = 860;
const H = 240;
const PAD = 40;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Series {
  name: string;
  points: number[];
}

/** Bucket starts from the first to the last (gaps as zeros), widened to at most MAX_POINTS. */
function timeAxis(series: Record<string, Counts>, bucketSeconds: number): { starts: number[]; step: number } {
  const present = Object.keys(series).map(Number);
  if (present.length === 0) return { starts: [], step: bucketSeconds };
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  const n = Math.floor((hi - lo) / bucketSeconds) + 1;
  const step = bucketSeconds * Math.max(1, Math.ceil(n / MAX_POINTS));
  const starts: number[] = [];
  for (let t = lo; t <= hi; t += step) starts.push(t);
  return { starts, step };
}

function seriesOf(over: Record<string, Counts>, totals: Counts, bucketSeconds: number): { starts: number[]; series: Series[] } {
  const { starts, step } = timeAxis(over, bucketSeconds);
  const names = Object.entries(totals)
    .sort(([, a], [, b]) => b - a)
    .map(([k]) => k);
  const top = names.slice(0, MAX_SERIES);
  const index = new Map(top.map((k, i) => [k, i]));
  const series: Series[] = [...top, ...(names.length > MAX_SERIES ? ['other'] : [])].map((name) => ({ name, points: starts.map(() => 0) }));
  const lo = starts[0] ?? 0;
  for (const [bucket, counts] of Object.entries(over)) {
    const x = Math.floor((Number(bucket) - lo) / step);
    for (const [k, n] of Object.entries(counts)) {
      const s = series[index.get(k) ?? MAX_SERIES];
      if (s && x >= 0 && x < s.points.length) s.points[x]! += n;
    }
  }
  return { starts, series };
}

function lineChart(title: string, over: Record<string, Counts>, totals: Counts, bucketSeconds: number): string {
  const { starts, series } = seriesOf(over, totals, bucketSeconds);
  if (starts.length === 0) return `<h2>${escapeHtml(title)}</h2><p>No timed events.</p>`;
  const max = Math.max(1, ...series.flatMap((s) => s.points));
  const x = (i: number) => PAD + (starts.length === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (starts.length - 1));
  const y = (v: number) => H - PAD - (v * (H - 2 * PAD)) / max;
  const lines = series
    .map((s, i) => {
      const pts = s.points.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${pts}"><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join('');
  const axis =
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#999"/>` +
    `<text x="${PAD}" y="${H - PAD + 16}" font-size="11">${isoSecond(starts[0]!)}</text>` +
    `<text x="${W - PAD}" y="${H - PAD + 16}" font-size="11" text-anchor="end">${isoSecond(starts[starts.length - 1]!)}</text>` +
    `<text x="4" y="${PAD}" font-size="11">${max}</text>`;
  const legend = series
    .map((s, i) => `<span class="key"><i style="background:${COLORS[i % COLORS.length]}"></i>${escapeHtml(s.name)}</span>`)
    .join(' ');
  return `<h2>${escapeHtml(title)}</h2><svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${axis}${lines}</svg><p>${legend}</p>`;
}

function barChart(title: string, counts: Counts): string {
  const rows = Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 15);
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>No route in the events.</p>`;
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const h = rows.length * 22 + 10;
  const bars = rows
    .map(([k, n], i) => {
      const w = (n * (W - 320)) / max;
      return `<text x="0" y="${i * 22 + 16}" font-size="12">${escapeHtml(k.slice(0, 40))}</text><rect x="260" y="${i * 22 + 4}" width="${w.toFixed(1)}" height="16" fill="${COLORS[1]}"/><text x="${(266 + w).toFixed(1)}" y="${i * 22 + 16}" font-size="12">${n}</text>`;
    })
    .join('');
  return `<h2>${escapeHtml(title)}</h2><svg width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img">${bars}</svg>`;
}

const STYLE =
  'body{font:14px system-ui,sans-serif;margin:2em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}' +
  '.key{margin-right:1em;white-space:nowrap}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}';

/** @example writeFileSync('triage.html', formatTriageHtml(report)) */
export function formatTriageHtml(r: TriageReport): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<title>jwt-doctor triage</title>',
    `<style>${STYLE}</style></head><body><h1>jwt-doctor triage</h1>`,
    lineChart('Reasons over time', r.reasonsOverTime, r.by.reason, r.bucketSeconds),
    lineChart('Kids over time', r.kidsOverTime, r.by.kid, r.bucketSeconds),
    barChart('Routes', r.by.route),
    `<h2>Report</h2><pre>${escapeHtml(formatTriageText(r))}</pre>`,
    '</body></html>\n',
  ].join('\n');
}
