/**
 * The triage report as a terminal table: totals, then one table per
 * dimension (top rows), spikes, residual kids, bad input, errors and the
 * sanitized examples. Pure.
 */
import { isoSecond } from '../checks/time.ts';
import { formatDuration } from '../report/format_time.ts';
import { DIMENSIONS, type Counts, type TriageReport } from './report.ts';

/** Rows shown per dimension table (the JSON report has them all). */
export const TOP_ROWS = 10;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

function sorted(counts: Counts): [string, number][] {
  return Object.entries(counts).sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
}

function countTable(title: string, counts: Counts, total: number): string {
  const rows = sorted(counts);
  if (rows.length === 0) return '';
  const shown = rows.slice(0, TOP_ROWS).map(([k, n]) => [k, String(n), total > 0 ? `${((n * 100) / total).toFixed(1)}%` : '-']);
  const more = rows.length > TOP_ROWS ? `(${rows.length - TOP_ROWS} more in --format json)\n` : '';
  return '\n' + table([[title, 'count', 'share'], ...shown]) + more;
}

function timeSpan(r: TriageReport): string | undefined {
  const starts = Object.keys(r.reasonsOverTime).map(Number);
  if (starts.length === 0) return undefined;
  return `${isoSecond(Math.min(...starts))} .. ${isoSecond(Math.max(...starts) + r.bucketSeconds)}`;
}

function header(r: TriageReport): string {
  const span = timeSpan(r);
  const l = r.lines;
  return (
    [
      `lines = ${l.read} (${l.events} with an event, ${l.unmatched} unmatched, ${l.skipped} skipped)`,
      `events = ${r.events}${r.untimed > 0 ? ` (${r.untimed} without a time)` : ''}`,
      `bucket = ${formatDuration(r.bucketSeconds)}`,
      ...(span ? [`time = ${span}`] : []),
      ...(r.analysis.mark !== undefined ? [`mark = ${isoSecond(r.analysis.mark)}`] : []),
    ].join('\n') + '\n'
  );
}

function spikes(r: TriageReport): string {
  if (r.analysis.mark === undefined) return '';
  if (r.spikes.length === 0) return '\nspikes = none\n';
  const rows = r.spikes.map((s) => [
    s.reason,
    String(s.ratePerMinuteBefore),
    String(s.ratePerMinuteAfter),
    s.factor === null ? 'new' : `x${s.factor}`,
  ]);
  return '\n' + table([['spike after mark', 'per_min_before', 'per_min_after', 'factor'], ...rows]);
}

function residual(r: TriageReport): string {
  if (r.residualKids.length === 0) return '';
  const rows = r.residualKids.map((k) => [
    k.kid,
    k.why,
    String(k.total),
    k.afterMark === undefined ? '-' : String(k.afterMark),
    k.lastSeen === undefined ? '-' : isoSecond(k.lastSeen),
  ]);
  return '\n' + table([['residual kid', 'why', 'total', 'after_mark', 'last_seen'], ...rows]);
}

function problems(r: TriageReport): string {
  let out = '';
  const bad = sorted(r.badInput);
  if (bad.length > 0) out += '\n' + table([['bad input', 'count'], ...bad.map(([k, n]) => [k, String(n)])]);
  for (const e of r.errors) out += `error = ${e.code}${e.source ? ` ${e.source}` : ''}: ${e.message}\n`;
  return out;
}

function examples(r: TriageReport): string {
  const codes = Object.keys(r.examples).sort();
  if (codes.length === 0) return '';
  let out = '\nexamples (sanitized: tokens and credentials replaced by hashes)\n';
  for (const code of codes) for (const ex of r.examples[code]!) out += `  ${code}: ${ex}\n`;
  return out;
}

/** @example process.stdout.write(formatTriageText(report)) */
export function formatTriageText(r: TriageReport): string {
  let out = header(r);
  for (const d of DIMENSIONS) out += countTable(d, r.by[d], r.events);
  return out + spikes(r) + residual(r) + problems(r) + examples(r);
}
