import { REASONS, type Finding } from '../reasons.ts';
import type { HeaderFate } from './classify_echo.ts';
import type { ClockMeasurement, TokenTimeComparison } from './clock_offset.ts';
import type { ProbeReport } from './probe_api.ts';

/** One word for a route's header fate, for the table. */
export function describeFate(f: HeaderFate): string {
  switch (f.status) {
    case 'intact':
      return 'intact';
    case 'missing':
      return 'stripped';
    case 'modified':
      return f.kind === 'moved' ? `moved:${f.header}` : f.kind;
    default:
      return `unknown (${f.why}${f.httpStatus !== undefined ? ` ${f.httpStatus}` : ''})`;
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function detailText(f: Finding): string {
  const d = f.detail ?? {};
  if (f.code === 'route_drift') {
    const rejected = (d.rejected as { route: string; reason?: string }[]).map((r) => `${r.route} (${r.reason ?? 'rejected'})`);
    return `accepted: ${(d.accepted as string[]).join(', ')}; rejected: ${rejected.join(', ')}`;
  }
  return Object.entries(d)
    .filter(([k, v]) => v !== undefined && k !== 'route')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

function findingLines(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    const route =
      f.detail?.route !== undefined
        ? ` ${String(f.detail.route)}`
        : f.detail?.clock !== undefined
          ? ` (${String(f.detail.clock)} clock)`
          : '';
    out.push(
      `  [${f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warn ' : 'info '}] ${f.code}${route}: ${REASONS[f.code].title}`,
    );
    const det = detailText(f);
    if (det) out.push(`          ${det}`);
    out.push(`          fix${f.owner ? ` [${f.owner}]` : ''}: ${f.hint}`);
  }
  return out;
}

/**
 * The probe report as `key = value` lines, a route table, then findings.
 *
 * @example process.stdout.write(formatProbeText(await probeApi(api, token)));
 */
export function formatProbeText(r: ProbeReport): string {
  const lines: string[] = [];
  if (r.env !== undefined) lines.push(`env = ${r.env}`);
  lines.push(`base_url = ${r.baseUrl}`);
  lines.push(`sent = ${r.header}: ${r.scheme ?? '(no scheme)'} <token length ${r.token.length}, sha256 ${r.token.sha256.slice(0, 16)}...>`);
  lines.push('');
  const rows = [['ROUTE', 'EXPECT', 'STATUS', 'OUTCOME', 'HEADER', 'CODE', 'LATENCY']];
  for (const x of r.routes) {
    const status = x.status !== undefined ? String(x.status) : x.transport ? x.transport.error : '-';
    rows.push([
      x.route,
      String(x.expectStatus),
      status,
      x.outcome,
      describeFate(x.header),
      x.code ?? '-',
      x.latencyMs !== undefined ? `${Math.round(x.latencyMs)} ms` : '-',
    ]);
  }
  lines.push(...table(rows));
  if (r.findings.length > 0) lines.push('', 'findings:', ...findingLines(r.findings));
  const bad = r.routes.filter((x) => !x.ok).length;
  lines.push('', `result = ${r.ok ? 'pass' : `fail (${bad} of ${r.routes.length} routes differ from the contract)`}`);
  return lines.join('\n') + '\n';
}

/**
 * The `clock` command's report: the measured offsets of the API's and the
 * issuer's clocks (not the diagnosis's `clock`, which is `ClockReport` in
 * src/checks/time.ts: one name per shape).
 */
export interface ClockProbeReport {
  schema: 'jwt-doctor/clock/v1';
  env?: string;
  toleranceSeconds: number;
  localNow: string;
  clocks: ClockMeasurement[];
  token?: { times: TokenTimeComparison[] };
  findings: Finding[];
  ok: boolean;
}

const LABEL: Record<string, string> = { api: 'API', issuer: 'issuer' };
const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/** "iat is 14 s ahead of the API's clock (± 1 s)" */
const CLAIM_SENTENCE = (t: TokenTimeComparison) => {
  const d = Math.abs(oneDecimal(t.deltaSeconds));
  const where = d === 0 ? 'on' : t.relation === 'ahead' ? `${d} s ahead of` : `${d} s behind`;
  return `${t.claim} is ${where} the ${LABEL[t.clock] ?? t.clock}'s clock (± ${t.uncertaintySeconds} s)`;
};

/** The clock report as `key = value` lines and findings. */
export function formatClockText(r: ClockProbeReport): string {
  const lines: string[] = [];
  if (r.env !== undefined) lines.push(`env = ${r.env}`);
  lines.push(`local_now = ${r.localNow}`, `clock_tolerance_seconds = ${r.toleranceSeconds}`);
  for (const c of r.clocks) {
    if (c.ok) {
      lines.push(`${c.target}_url = ${c.url}`);
      lines.push(
        `${c.target}_offset_seconds = ${c.offsetSeconds} (± ${c.uncertaintySeconds}, ${c.method} of ${c.samples.length} samples; median ${c.medianOffsetSeconds})`,
      );
    } else {
      lines.push(
        `${c.target}_url = ${c.url}`,
        `${c.target}_offset_seconds = unknown (${c.error?.error}${c.error?.code ? ` ${c.error.code}` : ''})`,
      );
    }
  }
  for (const t of r.token?.times ?? [])
    lines.push(
      `token_${t.claim}_vs_${t.clock}_seconds = ${t.deltaSeconds > 0 ? '+' : ''}${oneDecimal(t.deltaSeconds)}: ${CLAIM_SENTENCE(t)}`,
    );
  if (r.findings.length > 0) lines.push('', 'findings:', ...findingLines(r.findings));
  lines.push('', `result = ${r.ok ? 'pass' : 'fail'}`);
  return lines.join('\n') + '\n';
}
