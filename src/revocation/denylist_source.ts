import { readFile, stat } from 'node:fs/promises';
import { parseInstant } from '../report/format_time.ts';
import { MAX_DENYLIST_BYTES } from '../defaults.ts';
import { notRevoked, revokedBy, unavailable, type RevocationAnswer, type RevocationSource } from './revocation_source.ts';

/** A parsed deny list: revoked jti values, and subjects whose tokens issued before an instant are revoked. */
export interface Denylist {
  jtis: Set<string>;
  /** sub -> NumericDate: tokens of this subject with iat before it are revoked ("log out everywhere"). */
  subjectsBefore: Map<string, number>;
}

/**
 * Parses a deny-list file: one entry per line, `#` starts a comment.
 *   VALUE                       a revoked jti
 *   jti VALUE                   the same, explicit
 *   sub SUBJECT before DATE     every token of SUBJECT issued before DATE
 *                               (ISO 8601 with offset, or UNIX seconds)
 * A line it cannot read is an error naming the line number: a deny list
 * that silently drops entries lets revoked tokens through.
 *
 * @example parseDenylist('# revoked\nabc-123\nsub alice before 2026-11-30T00:00:00Z').jtis.has('abc-123') // true
 */
export function parseDenylist(text: string): Denylist | { error: string } {
  const out: Denylist = { jtis: new Set(), subjectsBefore: new Map() };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const words = line.split(/\s+/);
    if (words.length === 1) out.jtis.add(words[0]!);
    else if (words.length === 2 && words[0] === 'jti') out.jtis.add(words[1]!);
    else if (words.length === 4 && words[0] === 'sub' && words[2] === 'before') {
      const at = parseInstant(words[3]!);
      if (at === undefined) return { error: `line ${i + 1}: "${words[3]}" is not a date (ISO 8601 with offset, or UNIX seconds)` };
      out.subjectsBefore.set(words[1]!, Math.max(at, out.subjectsBefore.get(words[1]!) ?? -Infinity));
    } else return { error: `line ${i + 1}: expected "JTI", "jti JTI" or "sub SUBJECT before DATE"` };
  }
  return out;
}

/** Looks one token's claims up in a parsed deny list. */
export function denylistAnswer(list: Denylist, claims: Readonly<Record<string, unknown>>, source: string): RevocationAnswer {
  if (typeof claims.jti === 'string' && list.jtis.has(claims.jti)) return revokedBy(source, 'jti');
  const before = typeof claims.sub === 'string' ? list.subjectsBefore.get(claims.sub) : undefined;
  // A token without iat cannot prove it was issued after the cut-off: revoked.
  if (before !== undefined && !(typeof claims.iat === 'number' && claims.iat >= before)) return revokedBy(source, 'subject');
  return notRevoked(source);
}

/**
 * A deny-list file as a revocation source. The file is re-read when its
 * modification time or size changes (one stat per lookup; the middleware's
 * cache in front keeps lookups rare), so operators append a line and every
 * verifier reading the file sees it. A missing, oversized or unreadable
 * file is `unreadable`: never an empty list.
 *
 * @example const source = createDenylistSource('/etc/api/revoked.txt');
 */
export function createDenylistSource(file: string, label = file): RevocationSource {
  const name = `denylist:${label}`;
  let loaded: { mtimeMs: number; size: number; list: Denylist } | undefined;
  return {
    name,
    async isRevoked({ claims }) {
      try {
        const st = await stat(file);
        if (st.size > MAX_DENYLIST_BYTES) return unavailable(name, 'unreadable', `deny list larger than ${MAX_DENYLIST_BYTES} bytes`);
        if (!loaded || loaded.mtimeMs !== st.mtimeMs || loaded.size !== st.size) {
          const parsed = parseDenylist(await readFile(file, 'utf8'));
          if ('error' in parsed) return unavailable(name, 'unreadable', parsed.error);
          loaded = { mtimeMs: st.mtimeMs, size: st.size, list: parsed };
        }
        return denylistAnswer(loaded.list, claims, name);
      } catch (e) {
        return unavailable(name, 'unreadable', (e as NodeJS.ErrnoException).code ?? 'cannot read the deny list');
      }
    },
  };
}
