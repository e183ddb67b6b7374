/**
 * docs/explain.md's table, generated from the translation table
 * (src/explain/translations.ts) by scripts/docs.ts; test/docs/generated.test.ts
 * fails when it is stale.
 *   node --import tsx scripts/explain-table.ts
 */
import { TRANSLATIONS, type TranslationEntry } from '../src/explain/translations.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The source as a link when it is one, else `repo: path` in code. */
function sourceCell(e: TranslationEntry): string {
  return e.source
    .split('; ')
    .map((s) => (s.startsWith('https://') ? `<${s.split(' ')[0]!}>` : `\`${cell(s)}\``))
    .join('<br>');
}

export function explainTable(): string {
  const rows = ['| verifier | message | our code | source |', '|---|---|---|---|'];
  for (const e of TRANSLATIONS) {
    const code =
      e.byClaim === true
        ? `\`${e.code}\` (\`iss\`: \`issuer_mismatch\`, \`aud\`: \`audience_mismatch\`, \`typ\`: \`typ_mismatch\`)`
        : `\`${e.code}\``;
    rows.push(`| ${cell(e.verifier)} | \`${cell(e.message).replace(/`/g, "'")}\` | ${code} | ${sourceCell(e)} |`);
  }
  return rows.join('\n') + '\n';
}

if (process.argv[1] && /explain-table\.ts$/.test(process.argv[1])) process.stdout.write(explainTable());
