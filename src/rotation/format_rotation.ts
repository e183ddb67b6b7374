import type { RotationCheckReport } from './check_rotation.ts';
import type { OverlapReport } from './check_overlap.ts';
import type { RetirementReport } from './check_retirement.ts';
import { formatFindingLine, formatTable } from './format_text.ts';

function findingsBlock(findings: RotationCheckReport['findings']): string {
  return findings.length ? '\n' + findings.map(formatFindingLine).join('\n') + '\n' : '';
}

/**
 * `rotation check` as `key = value` lines, a key table and findings.
 *
 * @example process.stdout.write(formatRotationCheckText(report))
 */
export function formatRotationCheckText(r: RotationCheckReport): string {
  let out = '';
  if (r.env) out += `env = ${r.env}\n`;
  for (const s of r.live.sources)
    out += `live_source = ${s.kind} ${s.location ?? ''}`.trimEnd() + (s.ok ? '' : ` (failed: ${s.error ?? 'error'})`) + '\n';
  out += `live_kids = ${r.live.kids.join(', ') || '-'}\n`;
  if (r.verifier) {
    out += `verifier = ${r.verifier.from.kind} ${r.verifier.from.location}\n`;
    out += `verifier_kids = ${r.verifier.kids.join(', ') || '-'}\n`;
    if (r.verifier.fetchedAt) out += `verifier_fetched_at = ${r.verifier.fetchedAt}\n`;
  }
  if (r.cache)
    out += `jwks_cache_control = ${r.cache.cacheControl ?? '-'}\njwks_max_age_seconds = ${r.cache.noCache ? 0 : (r.cache.maxAgeSeconds ?? '-')}\n`;
  if (r.window) {
    const w = r.window;
    out += `verifier_ttl_seconds = ${w.ttlSeconds} (${w.ttlFrom})\n`;
    out += `verifier_cache_age_seconds = ${w.cacheAgeSeconds ?? 'unknown'}\n`;
    out += `refetch_cooldown_seconds = ${w.cooldownSeconds}\n`;
    out += `rejection_window_now_seconds = ${w.currentWindowSeconds}  (ttl remaining ${w.ttlRemainingSeconds} + cooldown ${w.cooldownSeconds})\n`;
    out += `rejection_window_worst_seconds = ${w.generalWindowSeconds}  (ttl ${w.ttlSeconds} + cooldown ${w.cooldownSeconds})\n`;
    out += `publish_lead_seconds = ${w.publishLeadSeconds}  (publish a new key this long before signing with it)\n`;
  }
  if (r.keys.length) {
    out += '\n' + formatTable([['kid', 'thumbprint', 'status'], ...r.keys.map((k) => [k.kid ?? '-', k.thumbprint ?? '-', k.status])]);
  }
  out += findingsBlock(r.findings);
  out += `\nresult = ${r.result}\n`;
  return out;
}

/**
 * `rotation overlap` as `key = value` lines and findings.
 *
 * @example process.stdout.write(formatOverlapText(report))
 */
export function formatOverlapText(r: OverlapReport): string {
  const names = (ks: OverlapReport['retiring']) => ks.map((k) => k.kid ?? k.thumbprint ?? '?').join(', ') || '-';
  let out = `now = ${r.now}\nmode = ${r.mode}\nretiring = ${names(r.retiring)}\nkept = ${names(r.kept)}\nadded = ${names(r.added)}\n`;
  if (r.lifetimeSeconds !== undefined) out += `token_lifetime_seconds = ${r.lifetimeSeconds}\nswitched_at = ${r.switchedAt}\n`;
  out += `clock_tolerance_seconds = ${r.clockToleranceSeconds}\n`;
  if (r.tokens) {
    out += `tokens = ${r.tokens.total} (live ${r.tokens.live}, expired ${r.tokens.expired}, unreadable ${r.tokens.unreadable})\n`;
    const rows = Object.entries(r.tokens.byKid).map(([kid, v]) => [kid, v.set, String(v.live), v.latestExp ?? '-']);
    if (rows.length) out += formatTable([['kid', 'set', 'live_tokens', 'latest_exp'], ...rows]);
  }
  out += `earliest_safe_retirement = ${r.earliestSafeRetirement}\n`;
  if (r.retireAt) out += `retire_at = ${r.retireAt}\nmargin_seconds = ${r.marginSeconds}\n`;
  out += `overlap = ${r.safe ? 'pass' : 'fail'}\n`;
  out += findingsBlock(r.findings);
  out += `\nresult = ${r.result}\n`;
  return out;
}

/**
 * `rotation retire`: one line per checklist item with its evidence.
 *
 * @example process.stdout.write(formatRetirementText(report))
 */
export function formatRetirementText(r: RetirementReport): string {
  let out = `${r.env ? `env = ${r.env}\n` : ''}kid = ${r.kid}\nnow = ${r.now}\n\n`;
  for (const i of r.items) {
    out += `[${i.status === 'pass' ? 'pass' : i.status === 'fail' ? 'FAIL' : '????'}] ${i.id}: ${i.title}${i.code ? ` (${i.code})` : ''}\n`;
    for (const [k, v] of Object.entries(i.evidence)) out += `       ${k} = ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`;
  }
  out += findingsBlock(r.findings);
  out += `\nretirement = ${r.passed ? 'pass' : 'fail'}\n`;
  return out;
}
