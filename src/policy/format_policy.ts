import type { Finding } from '../reasons.ts';
import { formatDuration } from '../report/format_time.ts';
import type { PolicyKeyRow, PolicyReport, PolicyTokenRow } from './build_policy_report.ts';

const DAY = 86400;

/** "code, code" of the findings matching `pick`, or "pass". */
function verdict(findings: readonly Finding[], pick: (f: Finding) => boolean): string {
  const codes = [...new Set(findings.filter((f) => pick(f) && f.severity !== 'info').map((f) => f.code))];
  return codes.length ? codes.join(', ') : 'pass';
}

const days = (d: number | undefined) => (d === undefined ? '-' : formatDuration(d * DAY));
const secs = (s: number | undefined) => (s === undefined ? '-' : formatDuration(s));
const keyName = (k: { kid?: string; thumbprint?: string }) => k.kid ?? k.thumbprint ?? '(no kid)';
const sameKey = (k: PolicyKeyRow) => (f: Finding) => f.detail?.kid === k.kid && f.detail?.thumbprint === k.thumbprint;

function policyLine(r: PolicyReport): string {
  const p = r.policy;
  const parts: string[] = [];
  if (p.tokenLifetimeSeconds !== undefined) parts.push(`lifetime <= ${secs(p.tokenLifetimeSeconds)}`);
  if (p.refreshWindowSeconds !== undefined) parts.push(`refresh ${secs(p.refreshWindowSeconds)} before exp`);
  if (p.maxClockToleranceSeconds !== undefined) parts.push(`tolerance <= ${secs(p.maxClockToleranceSeconds)}`);
  if (p.keyMaxAgeDays !== undefined) parts.push(`key age <= ${days(p.keyMaxAgeDays)}`);
  if (p.keyRolloverDays !== undefined) parts.push(`new key every ${days(p.keyRolloverDays)}`);
  if (p.revocationSource !== undefined || p.revocation !== undefined) parts.push(`revocation ${p.revocationSource ?? p.revocation}`);
  return parts.length ? parts.join(', ') : '(no policy rules)';
}

function keyLine(k: PolicyKeyRow, r: PolicyReport): string {
  const age = k.ageDays === undefined ? 'age unknown' : `${days(k.ageDays)} old (${k.ageSource}), max ${days(r.policy.keyMaxAgeDays)}`;
  return `key ${keyName(k)} = ${age}: ${verdict(r.findings, (f) => f.code === 'key_too_old' && sameKey(k)(f))}`;
}

function rolloverFacts(r: PolicyReport): string {
  const ages = r.keys.flatMap((k) => (k.ageDays === undefined ? [] : [k.ageDays]));
  const cadence = `cadence ${days(r.policy.keyRolloverDays)}`;
  return ages.length ? `newest key ${days(Math.min(...ages))} old, ${cadence}` : `no key age known, ${cadence}`;
}

function tokenLines(t: PolicyTokenRow): string[] {
  const facts = [t.jti !== undefined ? `jti ${t.jti}` : 'no jti', `signature ${t.signature}`];
  if (t.lifetimeSeconds !== undefined) facts.push(`lifetime ${secs(t.lifetimeSeconds)}`);
  if (t.remainingSeconds !== undefined)
    facts.push(t.remainingSeconds > 0 ? `expires in ${secs(t.remainingSeconds)}` : `expired ${secs(-t.remainingSeconds)} ago`);
  const out = [
    `token ${t.index} = ${facts.join(', ')}: ${verdict(t.findings, (f) => f.code !== 'token_revoked' && f.code !== 'revocation_unavailable')}`,
  ];
  const source = t.findings.find((f) => f.code === 'token_revoked' || f.code === 'revocation_unavailable')?.detail?.source;
  out.push(`token ${t.index} revocation = ${t.revocation}${typeof source === 'string' ? ` (${source})` : ''}`);
  return out;
}

function findingLine(f: Finding): string {
  const d = f.detail ?? {};
  const where = ['token', 'kid', 'source', 'error']
    .filter((k) => d[k] !== undefined)
    .map((k) => `${k}=${String(d[k])}`)
    .join(' ');
  return `${f.severity.padEnd(7)} ${f.code}${where ? ` (${where})` : ''}: ${f.hint}`;
}

/**
 * The policy report as `key = value` lines (the house text format), then
 * one line per finding with its fix direction, then `result`.
 */
export function formatPolicyText(r: PolicyReport): string {
  const lines = [`env = ${r.env}`, `now = ${r.now}`, `policy = ${policyLine(r)}`];
  if (r.policy.maxClockToleranceSeconds !== undefined)
    lines.push(
      `clock_tolerance = ${secs(r.clockToleranceSeconds)} (max ${secs(r.policy.maxClockToleranceSeconds)}): ${verdict(r.findings, (f) => f.code === 'clock_tolerance_exceeds_policy')}`,
    );
  for (const k of r.keys) lines.push(keyLine(k, r));
  if (r.policy.keyRolloverDays !== undefined)
    lines.push(`key_rollover = ${rolloverFacts(r)}: ${verdict(r.findings, (f) => f.code === 'key_rotation_overdue')}`);
  for (const t of r.tokens) lines.push(...tokenLines(t));
  const shown = r.findings.filter((f) => f.severity !== 'info' || f.code === 'key_age_unknown');
  const notes = shown.length ? ['', ...shown.map(findingLine), ''] : [];
  return [...lines, ...notes, `result = ${r.result}`].join('\n') + '\n';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The policy report as Markdown for incident notes and rollout reviews. */
export function formatPolicyMarkdown(r: PolicyReport): string {
  const out = [`## Lifecycle policy: ${r.env}`, '', `Checked at ${r.now}. Policy: ${policyLine(r)}. **Result: ${r.result}.**`, ''];
  if (r.keys.length) {
    out.push('| key | age | source | verdict |', '|---|---|---|---|');
    for (const k of r.keys)
      out.push(
        `| ${cell(keyName(k))} | ${k.ageDays === undefined ? 'unknown' : days(k.ageDays)} | ${k.ageSource ?? '-'} | ${verdict(r.findings, (f) => f.code === 'key_too_old' && sameKey(k)(f))} |`,
      );
    out.push('');
  }
  if (r.policy.keyRolloverDays !== undefined)
    out.push(`Key rollover: ${rolloverFacts(r)}: ${verdict(r.findings, (f) => f.code === 'key_rotation_overdue')}.`, '');
  if (r.tokens.length) {
    out.push('| token | jti | lifetime | remaining | revocation | verdict |', '|---|---|---|---|---|---|');
    for (const t of r.tokens)
      out.push(
        `| ${t.index} | ${cell(t.jti ?? '-')} | ${secs(t.lifetimeSeconds)} | ${t.remainingSeconds !== undefined && t.remainingSeconds <= 0 ? 'expired' : secs(t.remainingSeconds)} | ${t.revocation} | ${verdict(t.findings, () => true)} |`,
      );
    out.push('');
  }
  const errors = r.findings.filter((f) => f.severity !== 'info');
  if (errors.length)
    out.push('| severity | code | fix |', '|---|---|---|', ...errors.map((f) => `| ${f.severity} | \`${f.code}\` | ${cell(f.hint)} |`), '');
  return out.join('\n');
}
