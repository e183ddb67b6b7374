import type { Diagnosis } from '../diagnose.ts';
import { REASONS } from '../reasons.ts';
import { describeInstant } from './format_time.ts';
import { formatValue } from './text.ts';

const cell = (v: unknown) => formatValue(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** An incident-notes artifact: the claim delta, findings with owners, clock and key evidence. */
export function formatDiagnosisMarkdown(d: Diagnosis): string {
  const claims = d.claims ?? {};
  const failing = new Map(d.findings.filter((f) => f.severity === 'error').map((f) => [f.claim ?? '', f.code]));
  const status = (claim: string) => (failing.has(claim) ? `fail (${failing.get(claim)})` : 'pass');
  const out: string[] = [];
  out.push(`# JWT diagnosis${d.env ? `: ${d.env}` : ''}: \`${d.result}\``, '');
  out.push(
    `Checked at ${d.clock.nowIso} by jwt-doctor. Claims are as decoded from the token; the signature status says whether they can be trusted.`,
    '',
  );
  out.push('## Claim delta', '', '| check | token | expected | status |', '|---|---|---|---|');
  out.push(`| iss | ${cell(claims.iss)} | ${cell(d.expected.issuer ?? '(not checked)')} | ${d.expected.issuer ? status('iss') : '-'} |`);
  out.push(
    `| aud | ${cell(claims.aud)} | ${cell(d.expected.audience ?? '(not checked)')} | ${d.expected.audience ? status('aud') : '-'} |`,
  );
  out.push(`| alg | ${cell(d.header?.alg)} | ${cell(d.expected.algorithms)} | ${status('header.alg')} |`);
  if (d.expected.typ !== undefined) out.push(`| typ | ${cell(d.header?.typ)} | ${cell(d.expected.typ)} | ${status('header.typ')} |`);
  out.push(
    `| signature | ${d.signature.kid !== undefined ? `kid ${cell(d.signature.kid)}` : cell(d.header?.kid ?? '')} | trusted key | ${d.signature.status} |`,
  );
  for (const t of ['exp', 'nbf', 'iat'] as const) {
    if (typeof claims[t] === 'number')
      out.push(
        `| ${t} | ${cell(describeInstant(t, claims[t] as number, d.clock.now))} | tolerance ${d.clock.toleranceSeconds} s | ${status(t)} |`,
      );
  }
  out.push('', `**Result:** \`${d.result}\``, '');
  if (d.findings.length > 0) {
    out.push('## Findings', '', '| code | severity | claim | expected | actual | owner | fix |', '|---|---|---|---|---|---|---|');
    for (const f of d.findings) {
      const team = f.owner && d.owners?.[f.owner] ? ` (${d.owners[f.owner]})` : '';
      out.push(
        `| \`${f.code}\` | ${f.severity} | ${cell(f.claim ?? '')} | ${cell(f.expected ?? '')} | ${cell(f.actual ?? '')} | ${f.owner ?? ''}${cell(team)} | ${cell(f.hint)} |`,
      );
    }
    out.push('');
  }
  out.push('## Clock', '');
  out.push(`- now: ${d.clock.nowIso}`);
  if (d.clock.tokenAgeSeconds !== undefined) out.push(`- token age: ${d.clock.tokenAgeSeconds} s`);
  if (d.clock.lifetimeSeconds !== undefined) out.push(`- token lifetime: ${d.clock.lifetimeSeconds} s`);
  out.push(`- clock tolerance: ${d.clock.toleranceSeconds} s`);
  if (d.clock.suspectedSkewSeconds !== undefined) out.push(`- suspected clock skew: ${d.clock.suspectedSkewSeconds} s`);
  out.push('', '## Key', '');
  out.push(`- signature: ${d.signature.status}${d.signature.alg ? ` (${d.signature.alg})` : ''}`);
  if (d.signature.thumbprint) out.push(`- key thumbprint (RFC 7638): \`${d.signature.thumbprint}\``);
  if (d.signature.fingerprint) out.push(`- secret fingerprint: \`${d.signature.fingerprint}\``);
  for (const s of d.keySources ?? [])
    out.push(`- key source: ${s.kind} ${s.location ?? ''} (${s.ok ? `${s.keyCount} keys` : `failed: ${s.error}`})`);
  const codes = [...new Set(d.findings.map((f) => f.code))];
  if (codes.length) {
    out.push('', '## Reason codes', '');
    for (const code of codes) out.push(`- \`${code}\`: ${REASONS[code].title}`);
  }
  return out.join('\n') + '\n';
}
