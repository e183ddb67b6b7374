/**
 * The three renderings of a check report (pure). Text is the guide's
 * post-fix validation report, line for line when everything passes:
 *
 *   signature = pass
 *   issuer = pass
 *   audience = pass
 *   clock_skew_seconds = 10
 *   refresh_flow = pass
 *   status = stable
 *
 * Those five checks always print (`= skip` when they could not run). The
 * other lines print only when they ran: lifetime (a client or policy
 * lifetime is set, or the token's times fail), header_propagation (the
 * environment has an api section), environment_isolation (production:
 * true); discovery (the keys come from OIDC discovery: the issuer's
 * metadata against the contract) and token only when they fail;
 * with `compact` (the demo's last step) they print only when they fail. A
 * failing line carries its reason code; clock_skew_seconds carries the
 * tolerance too. With several clients each gets a `# client NAME` section
 * ending in its own status, and the last line is the environment's status.
 * An unstable report lists its findings after the status, one a line.
 */
import { REASONS, type Finding } from '../reasons.ts';
import type { CheckLine, CheckReport, ClientCheck } from './types.ts';

const ALWAYS = new Set(['signature', 'issuer', 'audience', 'clock_skew_seconds', 'refresh_flow']);

/** formatCheckText's options. */
export interface CheckTextOptions {
  /** Only the guide's five lines and status, plus any other line that fails (a passing lifetime or header_propagation is left out). */
  compact?: boolean;
}

function shown(line: CheckLine, o: CheckTextOptions): boolean {
  if (ALWAYS.has(line.name)) return true;
  // discovery agrees with the contract in the normal case: it prints when it fails, keeping the guide's six lines.
  if (line.name === 'token' || line.name === 'discovery' || o.compact === true) return line.status === 'fail';
  return line.status !== 'skip';
}

function lineText(l: CheckLine): string {
  if (l.name === 'clock_skew_seconds') {
    if (l.status === 'skip') return `${l.name} = skip`;
    const value = l.value ?? 'unknown';
    return l.status === 'pass'
      ? `${l.name} = ${value}`
      : `${l.name} = ${value} fail ${l.code ?? ''} tolerance=${l.tolerance ?? 0}`.replace('  ', ' ');
  }
  return l.status === 'fail' ? `${l.name} = fail${l.code ? ` ${l.code}` : ''}` : `${l.name} = ${l.status}`;
}

function findingText(f: Finding): string {
  const client = typeof f.detail?.client === 'string' ? ` [client ${f.detail.client}]` : '';
  return `${f.severity.padEnd(7)} ${f.code}${client}: ${f.hint}`;
}

/**
 * `key = value` lines: the guide's six when every check passes (and,
 * with `compact`, whatever else passed too).
 *
 * @example formatCheckText(report).endsWith('status = stable\n')
 */
export function formatCheckText(report: CheckReport, options: CheckTextOptions = {}): string {
  const several = report.clients.length > 1;
  const sections = report.clients.map((c) => {
    const lines = c.lines.filter((l) => shown(l, options)).map(lineText);
    return several
      ? [`# client ${c.client ?? '(environment)'}`, ...lines, `status = ${c.status}`].join('\n') + '\n\n'
      : lines.join('\n') + '\n';
  });
  let out = sections.join('') + `status = ${report.status}\n`;
  const errors = report.findings.filter((f) => f.severity !== 'info');
  if (report.status === 'unstable' && errors.length > 0) out += '\n' + errors.map(findingText).join('\n') + '\n';
  return out;
}

// XML 1.0 section 2.2: control characters other than tab, LF and CR may not appear, not even escaped.
const allowedInXml = (ch: string) => ch >= ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const xml = (s: string) =>
  Array.from(s)
    .filter(allowedInXml)
    .join('')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function testcase(report: CheckReport, c: ClientCheck, l: CheckLine): string {
  const classname = xml(`jwt-doctor.check.${report.env}${c.client !== null ? `.${c.client}` : ''}`);
  const open = `    <testcase name="${xml(l.name)}" classname="${classname}" time="0">`;
  const evidence = xml(
    JSON.stringify(
      {
        ...(l.value !== undefined ? { value: l.value } : {}),
        ...(l.tolerance !== undefined ? { tolerance: l.tolerance } : {}),
        evidence: l.evidence,
      },
      null,
      2,
    ),
  );
  if (l.status === 'pass') return `${open}\n      <system-out>${evidence}</system-out>\n    </testcase>`;
  if (l.status === 'skip') return `${open}\n      <skipped message="${xml(String(l.evidence.reason ?? 'not run'))}"/>\n    </testcase>`;
  const code = l.code ?? 'unknown';
  const title = l.code ? `${l.code}: ${REASONS[l.code].title}` : 'failed';
  return `${open}\n      <failure type="${xml(code)}" message="${xml(title)}">${evidence}</failure>\n    </testcase>`;
}

/**
 * JUnit XML: one testsuite per client, one testcase per check; a failure
 * carries the reason code (type) and the evidence (body), a skipped check
 * why it did not run.
 *
 * @example writeFileSync('check.xml', formatCheckJunit(report))
 */
export function formatCheckJunit(report: CheckReport): string {
  const count = (c: ClientCheck, s: CheckLine['status']) => c.lines.filter((l) => l.status === s).length;
  const suites = report.clients.map((c) => {
    const name = xml(c.client !== null ? `${report.env}/${c.client}` : report.env);
    const head = `  <testsuite name="${name}" tests="${c.lines.length}" failures="${count(c, 'fail')}" errors="0" skipped="${count(c, 'skip')}"${report.checkedAt ? ` timestamp="${xml(report.checkedAt)}"` : ''}>`;
    return [head, ...c.lines.map((l) => testcase(report, c, l)), '  </testsuite>'].join('\n');
  });
  const total = (s: CheckLine['status']) => report.clients.reduce((n, c) => n + count(c, s), 0);
  const tests = report.clients.reduce((n, c) => n + c.lines.length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="jwt-doctor check ${xml(report.env)}" tests="${tests}" failures="${total('fail')}" errors="0" skipped="${total('skip')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * Markdown for an incident note: one table per client (check, status,
 * value, code), then the findings with their owner and fix.
 *
 * @example formatCheckMarkdown(report).startsWith('## jwt-doctor check')
 */
export function formatCheckMarkdown(report: CheckReport): string {
  const out = [`## jwt-doctor check: ${cell(report.env)}: ${report.status}`, ''];
  for (const c of report.clients) {
    if (c.client !== null) out.push(`### client ${cell(c.client)}: ${c.status}`, '');
    out.push('| check | status | value | code |', '|---|---|---|---|');
    for (const l of c.lines) {
      const value = l.value !== undefined ? `${l.value}${l.tolerance !== undefined ? ` (tolerance ${l.tolerance})` : ''}` : '';
      out.push(`| ${l.name} | ${l.status} | ${cell(value)} | ${l.code ? `\`${l.code}\`` : ''} |`);
    }
    out.push('');
  }
  if (report.findings.length > 0) {
    out.push('### Findings', '');
    for (const f of report.findings)
      out.push(
        `- \`${f.code}\` (${f.severity}, owner ${f.owner ?? REASONS[f.code].owner}): ${cell(f.hint)}${typeof f.detail?.client === 'string' ? ` (client ${cell(f.detail.client)})` : ''}`,
      );
    out.push('');
  }
  return out.join('\n');
}
