/**
 * docs/reason-codes.md's tables, generated from the registries (src/reasons.ts, src/forensics/causes.ts)
 * by scripts/docs.ts; test/docs/generated.test.ts fails when they are stale.
 *   node --import tsx scripts/reason-table.ts
 */
import { CATEGORY_ORDER, REASONS } from '../src/reasons.ts';
import { FORENSIC_CAUSES } from '../src/forensics/causes.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function reasonTable(): string {
  const rows = [
    '| code | category | severity | owner | HTTP | RFC 6750 error | meaning | fix direction |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [code, r] of Object.entries(REASONS)) {
    rows.push(
      `| \`${code}\` | ${r.category} | ${r.severity} | ${r.owner} | ${r.status} | ${r.rfc6750 ?? '-'} | ${cell(r.title)} | ${cell(r.hint)} |`,
    );
  }
  return rows.join('\n') + '\n';
}

/** The result ranking: categories from the most fundamental failure down, with their codes. */
export function categoryOrder(): string {
  const rows = ['| rank | category | codes |', '|---|---|---|'];
  CATEGORY_ORDER.forEach((category, i) => {
    const codes = Object.entries(REASONS)
      .filter(([, r]) => r.category === category)
      .map(([code]) => `\`${code}\``);
    rows.push(`| ${i + 1} | ${category} | ${codes.join(', ') || '-'} |`);
  });
  return rows.join('\n') + '\n';
}

/** The forensic causes (src/forensics/causes.ts): the values of `detail.cause`, with owner and fix. */
export function forensicCauseTable(): string {
  const rows = ['| cause | owner | explains | what was found | fix direction |', '|---|---|---|---|---|'];
  for (const [cause, c] of Object.entries(FORENSIC_CAUSES)) {
    rows.push(`| \`${cause}\` | ${c.owner} | ${c.explains.map((code) => `\`${code}\``).join(', ')} | ${cell(c.title)} | ${cell(c.hint)} |`);
  }
  return rows.join('\n') + '\n';
}

if (process.argv[1] && /reason-table\.ts$/.test(process.argv[1])) process.stdout.write(reasonTable());
