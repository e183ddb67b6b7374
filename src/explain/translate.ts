/**
 * Translates another verifier's message (a log line, a response body, a
 * WWW-Authenticate header) into our reason code with the values it carries,
 * through the one table of src/explain/translations.ts.
 *
 * Built for `triage`, which calls it on every log line: the table is
 * compiled once at load; the input is capped (MAX_MESSAGE_CHARS) before
 * anything scans it, so a hostile multi-megabyte line costs what a 16 KiB
 * one does; one native pass of all the table's keywords tells which entries
 * can match (most log lines: none, done); every pattern is bounded (see
 * translations.ts) and runs only when its keyword is present.
 */
import { isReasonCode, type ReasonCode } from '../reasons.ts';
import { CLAIM_CODES, TRANSLATIONS, type TranslationEntry } from './translations.ts';
import { parseWwwAuthenticate } from './www_authenticate.ts';

export interface Translation {
  code: ReasonCode;
  verifier: string;
  claim?: string;
  expected?: string;
  actual?: string;
  kid?: string;
  source: string;
  /** The id of the table entry that matched (translations.ts). */
  rule?: string;
  /** Further values the message carries: instants (`exp`, `nbf`), a reason. */
  detail?: Record<string, string>;
  /** Set when the message was the error_description of a Bearer challenge or an OAuth error body. */
  via?: 'error_description';
}

/** Only this many characters of a text are read: a verifier's message sits well inside. */
export const MAX_MESSAGE_CHARS = 16 * 1024;
/** Extracted values are cut to this length. */
const MAX_VALUE_CHARS = 256;
/** A compact JWS or JWE: redacted from every extracted value (a pasted token is never echoed). */
const TOKEN_SHAPE = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){1,4}/g;
const OWN_SOURCE = 'jwt-doctor: src/reasons.ts (the middleware writes its reason code as error_description)';

interface CompiledEntry {
  entry: TranslationEntry;
  keywords: readonly string[];
}

const keywordsOf = (e: TranslationEntry): readonly string[] => (typeof e.keyword === 'string' ? [e.keyword] : e.keyword);

/** Specific entries first, then the catch-alls, each group in table order. */
const COMPILED: readonly CompiledEntry[] = [
  ...TRANSLATIONS.filter((e) => e.generic !== true),
  ...TRANSLATIONS.filter((e) => e.generic === true),
].map((entry) => ({ entry, keywords: keywordsOf(entry) }));

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const KEYWORDS = [...new Set(COMPILED.flatMap((c) => c.keywords))].sort((a, b) => b.length - a.length);
/**
 * Every keyword of the table in one case-insensitive alternation, longest
 * first: one native pass over the text finds which are present (the
 * prefilter), instead of one search per keyword.
 */
const KEYWORD_SCAN = new RegExp(KEYWORDS.map(escapeRegExp).join('|'), 'gi');

/** keyword -> the positions in COMPILED of the entries it admits. */
const ENTRIES_BY_KEYWORD = new Map<string, number[]>(KEYWORDS.map((k) => [k, []]));
COMPILED.forEach((c, i) => c.keywords.forEach((k) => ENTRIES_BY_KEYWORD.get(k)!.push(i)));
/** A matched keyword admits the entries of every keyword it contains (a shorter one at the same place is not reported). */
const ADMITS = new Map(
  KEYWORDS.map((k) => [k, [...new Set(KEYWORDS.filter((o) => k.includes(o)).flatMap((o) => ENTRIES_BY_KEYWORD.get(o)!))]]),
);

/** The entries whose keyword occurs in `text`, in table order; empty for most log lines. */
function candidateEntries(text: string): number[] {
  const found = new Set<number>();
  KEYWORD_SCAN.lastIndex = 0;
  for (let m = KEYWORD_SCAN.exec(text); m !== null; m = KEYWORD_SCAN.exec(text)) {
    for (const i of ADMITS.get(m[0].toLowerCase()) ?? []) found.add(i);
    // Overlapping keywords: the next one may start inside this match.
    KEYWORD_SCAN.lastIndex = m.index + 1;
  }
  return found.size === 0 ? [] : [...found].sort((a, b) => a - b);
}

/**
 * The reason code another verifier's message means, with the claim and the
 * values it names (expected, actual, kid); undefined when no entry of the
 * table matches (never a guess). A Bearer challenge's (or OAuth error
 * body's) error_description is translated first; our own reason codes are
 * recognised as such.
 *
 * @example translateMessage('JsonWebTokenError: jwt audience invalid. expected: web-prod')
 * // { code: 'audience_mismatch', verifier: 'jsonwebtoken', claim: 'aud', expected: 'web-prod', source: 'auth0/node-jsonwebtoken: verify.js', rule: 'jsonwebtoken.audience' }
 */
export function translateMessage(text: string): Translation | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const bounded = text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
  return ownCode(bounded) ?? fromErrorDescription(bounded) ?? matchTable(unescapeJson(bounded));
}

/** Our own reason code, alone (pasted from a middleware answer or log). */
function ownCode(text: string, via?: 'error_description'): Translation | undefined {
  if (text.length > 64) return undefined;
  const t = text.trim();
  if (!isReasonCode(t)) return undefined;
  return { code: t, verifier: 'jwt-doctor', source: OWN_SOURCE, rule: 'jwt-doctor.reason_code', ...(via ? { via } : {}) };
}

/**
 * The error_description of a Bearer challenge (RFC 6750 section 3) or of
 * an OAuth error body (`"error_description": "..."`), translated on its
 * own; undefined when there is none or the table does not know it (the
 * whole text is then scanned, down to the bare RFC 6750 error code).
 */
function fromErrorDescription(text: string): Translation | undefined {
  if (!text.includes('error_description')) return undefined;
  const description = challengeDescription(text) ?? jsonDescription(text);
  if (description === undefined || description.trim() === '') return undefined;
  const own = ownCode(description, 'error_description');
  if (own) return own;
  const t = matchTable(unescapeJson(description));
  return t ? { ...t, via: 'error_description' } : undefined;
}

const BEARER = /\bBearer\s/i;

function challengeDescription(text: string): string | undefined {
  const at = BEARER.exec(text);
  if (!at) return undefined;
  const end = text.indexOf('\n', at.index);
  const header = text.slice(at.index, end < 0 ? undefined : end);
  const bearer = parseWwwAuthenticate(header).find((c) => c.scheme.toLowerCase() === 'bearer');
  return bearer?.params.error_description;
}

const JSON_DESCRIPTION = /"error_description"\s{0,8}:\s{0,8}"((?:[^"\\\n]|\\.){0,2048})"/;

function jsonDescription(text: string): string | undefined {
  const m = JSON_DESCRIPTION.exec(text);
  if (!m) return undefined;
  try {
    return JSON.parse(`"${m[1]!}"`) as string;
  } catch {
    return m[1]!;
  }
}

const JSON_ESCAPES: Record<string, string> = {
  '\\"': '"',
  '\\n': '\n',
  '\\r': '\r',
  '\\t': '\t',
  '\\/': '/',
  '\\u0027': "'",
  '\\u0022': '"',
};

/** A message inside a JSON log line keeps its escapes: undo the ones the patterns care about. */
function unescapeJson(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(?:u0027|u0022|["nrt/])/g, (m) => JSON_ESCAPES[m] ?? m);
}

/** The first entry whose keyword is present and whose pattern matches. */
function matchTable(text: string): Translation | undefined {
  for (const i of candidateEntries(text)) {
    const entry = COMPILED[i]!.entry;
    const m = entry.pattern.exec(text);
    if (m) return buildTranslation(entry, m.groups ?? {});
  }
  return undefined;
}

function buildTranslation(entry: TranslationEntry, groups: Record<string, string | undefined>): Translation {
  const claim = cleanValue(groups.claim) ?? cleanValue(groups.claim2) ?? entry.claim;
  const code = entry.byClaim === true && claim !== undefined ? (CLAIM_CODES[claim] ?? entry.code) : entry.code;
  const t: Translation = { code, verifier: entry.verifier, source: entry.source, rule: entry.id };
  if (claim !== undefined) t.claim = claim;
  const expected = cleanValue(groups.expected) ?? cleanValue(groups.expected2);
  if (expected !== undefined) t.expected = expected;
  const actual = cleanValue(groups.actual);
  if (actual !== undefined) t.actual = actual;
  const kid = cleanValue(groups.kid);
  if (kid !== undefined) t.kid = kid;
  const detail: Record<string, string> = {};
  for (const [name, raw] of Object.entries(groups)) {
    const v = name.startsWith('d_') ? cleanValue(raw) : undefined;
    if (v !== undefined) detail[name.slice(2)] = v;
  }
  if (Object.keys(detail).length > 0) t.detail = detail;
  return t;
}

/**
 * A value as people read it: no hidden-PII placeholder or "null", no list
 * brackets or Go %q quotes (`["a" "b"]` -> `a, b`), no Go map noise
 * (`map[a:{}]` -> `a`), never a token, never longer than MAX_VALUE_CHARS.
 */
export function cleanValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let v = raw.trim();
  if (v === '' || v === 'null' || v === '(null)' || v.startsWith('[PII')) return undefined;
  v = v.replace(/^map\[/, '[');
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1).trim();
  if (v.includes('"')) {
    const quoted = [...v.matchAll(/"([^"]*)"/g)].map((q) => q[1]!);
    if (quoted.length > 0) v = quoted.join(', ');
  }
  v = v.replace(/:\{\}/g, '').replace(TOKEN_SHAPE, '[token redacted]');
  if (v === '') return undefined;
  return v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}...` : v;
}
