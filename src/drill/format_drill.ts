import { REASONS } from '../reasons.ts';
import type { DrillReport, DrillResult, DrillStep } from './types.ts';

const KEY: Record<DrillResult['scenario'], string> = {
  rotation: 'rotation',
  skew: 'skew',
  'header-strip': 'header_strip',
  attacks: 'attacks',
};

// Shown elsewhere on the line (step name, observed) or in the drill's summary line.
const SHOWN = new Set(['attack', 'verdict', 'claim', 'toleranceSeconds', 'measuredToleranceSeconds']);
const CRITICAL = new Set(['verifier_accepts_forged_token', 'verifier_fetches_token_url']);

function evidenceText(e: Record<string, unknown>, skip: ReadonlySet<string> = SHOWN): string {
  return Object.entries(e)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

function stepLine(s: DrillStep): string {
  const where = s.route ? ` ${s.route}` : '';
  const critical = s.code !== undefined && CRITICAL.has(s.code) ? ' [critical]' : '';
  return `  ${s.name}${where} = ${s.code ?? 'fail'}${critical} (expected ${s.expected}, observed ${s.observed}; ${evidenceText(s.evidence)})`;
}

function summaryLine(d: DrillResult): string {
  if (d.scenario === 'skew' && d.summary.measured) {
    const m = d.summary.measured as Record<string, number | null>;
    const shown = Object.entries(m)
      .map(([c, v]) => `${c} ${v === null ? 'unbounded' : `${v} s`}`)
      .join(', ');
    return `skew_boundary = ${shown} (tolerance ${String(d.summary.toleranceSeconds)} s)\n`;
  }
  if (d.scenario === 'attacks')
    return `attacks_sent = ${String(d.summary.attacks)} per route, ${(d.summary.routes as string[]).length} routes\n`;
  return '';
}

/**
 * The drill report as `key = value` lines: per drill its readiness, the
 * failing steps with their reason code and evidence, then `status`.
 *
 * @example process.stdout.write(formatDrillText(report))
 */
export function formatDrillText(r: DrillReport): string {
  let out = `env = ${r.env}\ntarget = ${r.target}\n`;
  for (const d of r.drills) {
    out += summaryLine(d);
    out += `${KEY[d.scenario]} = ${d.ready ? 'pass' : 'fail'} (${d.steps.filter((s) => s.pass).length}/${d.steps.length} steps)\n`;
    for (const s of d.steps.filter((x) => !x.pass)) out += stepLine(s) + '\n';
  }
  out += `status = ${r.ready ? 'ready' : 'not_ready'}\n`;
  return out;
}

const cell = (v: unknown): string =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/**
 * The drill report for incident notes and the runbook: one table per drill
 * with every step, then the findings with owner and fix.
 *
 * @example writeFileSync('drill.md', formatDrillMarkdown(report))
 */
export function formatDrillMarkdown(r: DrillReport): string {
  const out: string[] = [
    `# Auth drill: ${r.env}: ${r.ready ? 'ready' : 'not ready'}`,
    '',
    `Target ${r.target}, started ${r.startedAt} by jwt-doctor drill.`,
    '',
  ];
  for (const d of r.drills) {
    out.push(`## ${d.scenario}: ${d.ready ? 'pass' : 'fail'}`, '');
    const facts = summaryLine(d).trim();
    if (facts) out.push(facts, '');
    out.push('| step | route | expected | observed | result | evidence |', '|---|---|---|---|---|---|');
    for (const s of d.steps)
      out.push(
        `| ${cell(s.name)} | ${cell(s.route)} | ${cell(s.expected)} | ${cell(s.observed)} | ${s.pass ? 'pass' : `**${s.code ?? 'fail'}**`} | ${cell(evidenceText(s.evidence))} |`,
      );
    out.push('');
  }
  if (r.findings.length > 0) {
    out.push('## Findings', '', '| code | owner | detail | fix |', '|---|---|---|---|');
    for (const f of r.findings)
      out.push(
        `| \`${f.code}\`${f.detail?.critical === true ? ' (critical)' : ''} | ${f.owner ?? ''} | ${cell(evidenceText(f.detail ?? {}, new Set(['critical'])))} | ${cell(REASONS[f.code].hint)} |`,
      );
    out.push('');
  }
  out.push(`**Status:** ${r.ready ? 'ready' : 'not ready'}`, '');
  return out.join('\n');
}
