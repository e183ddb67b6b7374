import type { Diagnosis } from '../diagnose.ts';
import { REASONS, type Finding } from '../reasons.ts';
import { describeInstant, formatDuration } from './format_time.ts';

export interface TextOptions {
  color?: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '(absent)';
  if (Array.isArray(v)) return v.map(formatValue).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * `key = value` lines: first the claim delta in the seed's shape
 * (iss_token, iss_expected, aud_token, aud_expected, signature, result),
 * then context lines, then a readable findings section.
 */
export function formatDiagnosisText(d: Diagnosis, options: TextOptions = {}): string {
  const c = options.color ?? false;
  const lines: string[] = [];
  const kv = (k: string, v: unknown) => lines.push(`${k} = ${formatValue(v)}`);
  const claims = d.claims ?? {};
  kv('iss_token', claims.iss);
  kv('iss_expected', d.expected.issuer ?? '(not checked)');
  kv('aud_token', claims.aud);
  kv('aud_expected', d.expected.audience ?? '(not checked)');
  const sig = d.signature.status;
  lines.push(`signature = ${paint(c, sig === 'pass' ? '32' : sig === 'fail' ? '31' : '33', sig)}`);
  lines.push(`result = ${paint(c, d.result === 'valid' ? '32;1' : '31;1', d.result)}`);
  if (d.env !== undefined) kv('env', d.env);
  if (d.provider) kv('provider', `${d.provider.name} (${d.provider.source})`);
  if (d.header) {
    kv('alg', d.header.alg);
    if (d.header.kid !== undefined) kv('kid', d.header.kid);
    if (d.header.typ !== undefined) kv('typ', d.header.typ);
  }
  if (d.signature.status === 'pass') {
    const id = d.signature.thumbprint ?? d.signature.fingerprint;
    kv(
      'verified_by',
      `${d.signature.kid !== undefined ? `kid ${d.signature.kid}, ` : ''}${id ?? ''}${d.signature.source ? ` (${String(d.signature.source.kind)}${d.signature.source.location ? ` ${String(d.signature.source.location)}` : ''})` : ''}`,
    );
  }
  for (const t of ['exp', 'nbf', 'iat'] as const) {
    if (typeof claims[t] === 'number') kv(t, describeInstant(t, claims[t] as number, d.clock.now));
  }
  kv('now', d.clock.nowIso);
  if (d.clock.tokenAgeSeconds !== undefined) kv('token_age_seconds', d.clock.tokenAgeSeconds);
  if (d.clock.lifetimeSeconds !== undefined) kv('token_lifetime_seconds', d.clock.lifetimeSeconds);
  kv('clock_tolerance_seconds', d.clock.toleranceSeconds);
  if (d.clock.suspectedSkewSeconds !== undefined) kv('clock_skew_seconds', d.clock.suspectedSkewSeconds);
  if (d.input.stripped.length > 0) kv('input_normalized', d.input.stripped);

  if (d.findings.length > 0) {
    lines.push('', 'findings:');
    for (const f of d.findings) lines.push(...formatFinding(f, d, c));
  }
  return lines.join('\n') + '\n';
}

function formatFinding(f: Finding, d: Diagnosis, c: boolean): string[] {
  const sev =
    f.severity === 'error' ? paint(c, '31', 'error') : f.severity === 'warning' ? paint(c, '33', 'warn ') : paint(c, '36', 'info ');
  const head = `  [${sev}] ${f.code}${f.claim ? ` (${f.claim})` : ''}: ${REASONS[f.code].title}`;
  const out = [head];
  if (f.expected !== undefined || f.actual !== undefined)
    out.push(`          expected ${formatValue(f.expected ?? '(any)')}, found ${formatValue(f.actual)}`);
  const det = describeDetail(f);
  if (det) out.push(`          ${det}`);
  const team = f.owner && d.owners?.[f.owner] ? ` (${d.owners[f.owner]})` : '';
  out.push(`          fix${f.owner ? ` [${f.owner}${team}]` : ''}: ${f.hint}`);
  return out;
}

function describeDetail(f: Finding): string | undefined {
  const d = f.detail;
  if (!d) return undefined;
  switch (f.code) {
    case 'clock_skew_suspected':
      return `offset ${String(d.offsetSeconds)} s (${String(d.direction)})${d.tokenAgeSeconds !== undefined ? `, token age ${formatDuration(Number(d.tokenAgeSeconds))}` : ''}`;
    case 'token_expired':
      return `expired ${formatDuration(Number(d.secondsPastExp))} ago${d.tokenAgeSeconds !== undefined ? `, token age ${formatDuration(Number(d.tokenAgeSeconds))}` : ''}${d.lifetimeSeconds !== undefined ? `, lifetime ${formatDuration(Number(d.lifetimeSeconds))}` : ''}`;
    case 'key_from_other_environment': {
      const k = d.key as Record<string, unknown>;
      return `verifies with environment ${String(d.env)}'s key${k.kid !== undefined ? ` kid ${String(k.kid)}` : ''} ${String(k.thumbprint ?? k.fingerprint)}${d.encoding ? ` (secret read as ${String(d.encoding)})` : ''}`;
    }
    case 'secret_encoding_mismatch':
      if (d.cause === 'secret_trailing_whitespace')
        return `the stored secret ends with ${formatValue(d.trailing)}: this token verifies only with the ${String(d.verifiesWith)} reading`;
      return `verifies when the secret is read as ${String(d.verifiesAs)} (configured: ${String(d.configuredEncoding)})`;
    case 'malformed_token':
      return `${String(d.segment)}: ${String(d.problem)}${d.member !== undefined ? ` "${String(d.member)}"` : ''}`;
    case 'jwks_unreachable':
      return `${String(d.source)} ${String(d.location ?? '')}: ${String(d.message ?? d.error)}${d.status ? ` (HTTP ${String(d.status)})` : ''}`;
    default: {
      const parts = Object.entries(d)
        .filter(([, v]) => v !== undefined && (typeof v !== 'object' || Array.isArray(v)))
        .map(([k, v]) => `${k}=${formatValue(v)}`);
      return parts.length ? parts.join(', ') : undefined;
    }
  }
}
