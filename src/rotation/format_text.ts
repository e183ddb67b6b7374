import type { Finding } from '../reasons.ts';

/**
 * Left-aligned columns for terminal tables; cells are already strings.
 *
 * @example formatTable([['kid', 'kty'], ['k1', 'RSA']])
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/**
 * One finding per line: severity, code, where, hint. Only identity fields
 * (kid, thumbprint, env) are shown, never key material.
 *
 * @example formatFindingLine(makeFinding('duplicate_kid', { detail: { kid: 'k1' } }))
 */
export function formatFindingLine(f: Finding): string {
  const d = f.detail ?? {};
  const where = ['env', 'kid', 'index', 'location']
    .filter((k) => d[k] !== undefined && d[k] !== null)
    .map((k) => `${k}=${String(d[k])}`)
    .join(' ');
  return `${f.severity.padEnd(7)} ${f.code}${where ? ` (${where})` : ''}: ${f.hint}`;
}

/** 'error' when any finding is an error, else 'warning' when any is, else 'ok'. */
export function worstSeverity(findings: readonly Finding[]): 'ok' | 'warning' | 'error' {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'ok';
}

/** Parses a --now style instant (UNIX seconds or ISO 8601) or returns undefined. */
export function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
