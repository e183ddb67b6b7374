/**
 * Prints README's reason-code table from the registry (src/reasons.ts).
 * test/readme.test.ts checks that README carries exactly this table.
 *   node --import tsx scripts/reason-table.ts
 */
import { REASONS } from '../src/reasons.ts';

export function reasonTable(): string {
  const rows = ['| code | category | severity | owner | HTTP | RFC 6750 error | meaning | fix direction |', '|---|---|---|---|---|---|---|---|'];
  for (const [code, r] of Object.entries(REASONS)) {
    rows.push(`| \`${code}\` | ${r.category} | ${r.severity} | ${r.owner} | ${r.status} | ${r.rfc6750 ?? '-'} | ${r.title.replace(/\|/g, '\\|')} | ${r.hint.replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n') + '\n';
}

if (process.argv[1] && /reason-table\.ts$/.test(process.argv[1])) process.stdout.write(reasonTable());
