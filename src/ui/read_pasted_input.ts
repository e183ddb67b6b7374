import { checkHeaderDump, parseHeaderDump, type DumpFormat, type HeaderHygiene, type HeaderSettings } from '../probe/headers.ts';

/** What was pasted: a token (bare, `Bearer ...`, one `Authorization:` line), or a request (curl command, curl -v, HAR, ...). */
export type PastedInput = { kind: 'token'; text: string } | { kind: 'headers'; format: DumpFormat; hygiene: HeaderHygiene };

/**
 * Tells a token from a request: one header line or a bare (even wrapped)
 * token is read as the token, as `diagnose "$TOKEN"` reads it; a copied
 * command or a request dump is read as `diagnose --headers` reads it,
 * header hygiene included.
 *
 * @example readPastedInput("curl -H 'Authorization: Bearer eyJ...' https://api/x", settings).kind // 'headers'
 */
export function readPastedInput(text: string, settings: HeaderSettings): PastedInput {
  const dump = parseHeaderDump(text);
  const oneLine = !/\n/.test(text.trim());
  if (dump.format === 'unreadable' || (dump.format === 'raw' && oneLine)) return { kind: 'token', text };
  return { kind: 'headers', format: dump.format, hygiene: checkHeaderDump(dump, settings) };
}
