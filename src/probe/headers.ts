import { makeFinding, rankResult, type Finding } from '../reasons.ts';
import { normalizeTokenInput } from '../token/normalize.ts';
import type { Diagnosis } from '../diagnose.ts';
import { DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, MAX_DUMP_CHARS } from '../defaults.ts';
import { findCompactToken } from './fingerprint.ts';
import {
  cmdWords,
  readCurlWords,
  readFetchCall,
  readHttpieWords,
  readPowerShell,
  shellWords,
  type CommandRequest,
} from './read_command_dump.ts';

/** How the dump was read; `unreadable` when nothing in it looks like a request. */
export type DumpFormat =
  'curl_verbose' | 'curl_command' | 'curl_cmd' | 'httpie' | 'powershell' | 'fetch' | 'har' | 'json' | 'raw' | 'unreadable';

export interface HeaderDump {
  format: DumpFormat;
  /** Request headers in order, names lower-cased. */
  headers: { name: string; value: string }[];
  /** Query parameter names of the request line (RFC 6750 section 2.3 access_token). */
  queryParams: string[];
  /** Set when the text was over the size cap and not parsed (format `unreadable`). */
  tooLarge?: true;
}

/** A HAR with response bodies can be tens of MB; past this the dump is not parsed at all. */
export { MAX_DUMP_CHARS };

const FIELD = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+|:[a-z]+)\s*:\s?(.*)$/;
const REQUEST_LINE = /^([A-Z]+)\s+(\S+)\s+HTTP\/[0-9.]+$/;

function queryNames(target: string): string[] {
  const q = target.indexOf('?');
  if (q < 0) return [];
  return target
    .slice(q + 1)
    .split('&')
    .map((p) => decodeURIComponent(p.split('=')[0]!.replace(/\+/g, ' ')))
    .filter(Boolean);
}

function fromJson(doc: unknown): HeaderDump | undefined {
  const pairs = (list: unknown) =>
    Array.isArray(list)
      ? list
          .filter((h) => h && typeof h.name === 'string' && typeof h.value === 'string')
          .map((h) => ({ name: String(h.name).toLowerCase(), value: String(h.value) }))
      : undefined;
  const d = doc as {
    log?: { entries?: { request?: { headers?: unknown; url?: string } }[] };
    request?: { headers?: unknown; url?: string };
    headers?: unknown;
  };
  // A HAR holds every request of the page: read the first one that carries a token.
  const entries = Array.isArray(d?.log?.entries) ? d.log.entries : [];
  const carries = (r: { headers?: unknown } | undefined) =>
    Array.isArray(r?.headers) &&
    r.headers.some(
      (h: { name?: unknown; value?: unknown }) =>
        typeof h?.value === 'string' && (String(h.name).toLowerCase() === 'authorization' || findCompactToken(h.value) !== undefined),
    );
  const req = entries.find((e) => carries(e?.request))?.request ?? entries[0]?.request ?? d?.request;
  if (req) {
    const h = pairs(req.headers);
    if (h) return { format: 'har', headers: h, queryParams: typeof req.url === 'string' ? queryNames(req.url) : [] };
  }
  const list = pairs(Array.isArray(doc) ? doc : d?.headers);
  if (list) return { format: 'json', headers: list, queryParams: [] };
  const obj = (d?.headers ?? doc) as Record<string, unknown>;
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    const headers: HeaderDump['headers'] = [];
    for (const [k, v] of Object.entries(obj)) {
      for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') headers.push({ name: k.toLowerCase(), value: x });
    }
    // A JSON document with no string member is not a header dump.
    return headers.length > 0 ? { format: 'json', headers, queryParams: [] } : undefined;
  }
  return undefined;
}

const CURL = /^(?:.*[\\/])?curl(?:\.exe)?$/i;
const HTTPIE = /^(?:http|https|xh|xhs)$/;

function fromCommand(r: CommandRequest): HeaderDump {
  return { format: r.format, headers: r.headers, queryParams: [...(r.url ? queryNames(r.url) : []), ...r.queryParams] };
}

/**
 * The command forms, each tokenized as its own shell would: Windows cmd
 * (`^"` quoting, `^` continuations), POSIX shells (shell-quote),
 * PowerShell and JavaScript (their string literals).
 */
function fromCommandText(t: string): HeaderDump | undefined {
  if (/(?:^|[\s;(=])(?:await\s+)?fetch\s*\(/m.test(t)) {
    const f = readFetchCall(t);
    if (f) return fromCommand(f);
  }
  // PowerShell comments (# to the end of the line) may mention -Headers: drop them first.
  if (/\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b/i.test(t)) return fromCommand(readPowerShell(t.replace(/^\s*#.*$/gm, '')));
  if (/(?:^|\s)(?:\S*[\\/])?curl(?:\.exe)?\s/im.test(t)) {
    const windows = /\^"|\s\^\r?\n/.test(t);
    const words = windows ? cmdWords(t, CURL) : shellWords(t, CURL);
    if (words) return fromCommand(readCurlWords(words, windows ? 'curl_cmd' : 'curl_command'));
  }
  if (/^\s*(?:\$\s+)?(?:http|https|xh|xhs)\s+\S/m.test(t)) {
    const words = shellWords(t, HTTPIE);
    if (words) return fromCommand(readHttpieWords(words));
  }
  return undefined;
}

/**
 * Reads the request headers out of whatever was copied: `curl -v` output
 * (`> Name: value` lines), a curl command (bash or Windows cmd quoting,
 * `-H`, `-HV`, `--header=`, `--oauth2-bearer`), DevTools "Copy as fetch"
 * (Chrome and Firefox) and "Copy as PowerShell", an HTTPie command, a
 * HAR file, a JSON header list or object, or plain `Name: value` lines
 * with an optional request line (docs/headers.md). Never throws; a text
 * with nothing recognisable as a request gives format `unreadable`.
 *
 * @example parseHeaderDump('> GET /v1/me HTTP/1.1\n> Authorization: Bearer eyJ...').headers[0].name // 'authorization'
 */
export function parseHeaderDump(text: string): HeaderDump {
  if (text.length > MAX_DUMP_CHARS) return { format: 'unreadable', headers: [], queryParams: [], tooLarge: true };
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const j = fromJson(JSON.parse(t));
      if (j) return j;
    } catch {
      // not JSON after all: read it as lines
    }
  }
  const command = fromCommandText(t);
  if (command) return command;
  const lines = t.split(/\r?\n/);
  const verbose = lines.some((l) => /^> /.test(l));
  const headers: HeaderDump['headers'] = [];
  let queryParams: string[] = [];
  let sawRequestLine = false;
  for (let line of lines) {
    if (verbose) {
      if (!line.startsWith('> ')) continue;
      line = line.slice(2);
    }
    if (line.trim() === '') {
      if (sawRequestLine || headers.length > 0) {
        if (!verbose) break; // the body follows a raw request's empty line
      }
      continue;
    }
    const rl = REQUEST_LINE.exec(line.trim());
    if (rl) {
      sawRequestLine = true;
      queryParams = queryNames(rl[2]!);
      continue;
    }
    // obs-fold (RFC 9112 section 5.2): a continuation line joins the previous field.
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]!.value += ' ' + line.trim();
      continue;
    }
    const f = FIELD.exec(line);
    if (f) headers.push({ name: f[1]!.toLowerCase(), value: f[2]!.replace(/\s+$/, '') });
  }
  // Nothing recognised as a request: say so rather than report a missing header.
  if (headers.length === 0 && !sawRequestLine) return { format: 'unreadable', headers, queryParams };
  return { format: verbose ? 'curl_verbose' : 'raw', headers, queryParams };
}

export interface HeaderSettings {
  /** Header the API reads, lower case. */
  header: string;
  /** Expected scheme, or null for a bare token. */
  scheme: string | null;
}

/** The header and scheme an environment's API reads: `api`, else `tokenSource`, else Authorization: Bearer. */
export function headerSettingsFor(env: Record<string, unknown> | undefined): HeaderSettings {
  const api = env?.api as { header?: unknown; scheme?: unknown } | undefined;
  const src = env?.tokenSource as { header?: unknown; scheme?: unknown } | undefined;
  const names = (o: { header?: unknown; scheme?: unknown } | undefined) =>
    o !== undefined && o !== null && (o.header !== undefined || 'scheme' in o);
  const pick = names(api) ? api : names(src) ? src : undefined;
  const header = typeof pick?.header === 'string' ? pick.header.toLowerCase() : DEFAULT_AUTH_HEADER;
  const scheme =
    pick && 'scheme' in pick
      ? pick.scheme === null
        ? null
        : typeof pick.scheme === 'string'
          ? pick.scheme
          : DEFAULT_AUTH_SCHEME
      : DEFAULT_AUTH_SCHEME;
  return { header, scheme };
}

export interface HeaderHygiene {
  /** The bare token to diagnose ('' when none was found). */
  token: string;
  /** Where the token came from. */
  source?: { kind: 'header' | 'query'; name: string };
  findings: Finding[];
  format: DumpFormat;
}

/** Problems of one header value against "<scheme> <token>" (RFC 6750 section 2.1). */
function valueProblems(
  value: string,
  scheme: string | null,
): { problem: string; severity: Finding['severity']; detail?: Record<string, unknown> }[] {
  const out: { problem: string; severity: Finding['severity']; detail?: Record<string, unknown> }[] = [];
  const v = value.trim();
  if (/[\r\n]/.test(v)) out.push({ problem: 'line_break', severity: 'error' });
  if (scheme === null) {
    if (/\s/.test(v)) out.push({ problem: 'unexpected_scheme', severity: 'error', detail: { scheme: v.split(/\s+/)[0]!.slice(0, 32) } });
    if (/^["']/.test(v)) out.push({ problem: 'quotes', severity: 'error' });
    return out;
  }
  const m = /^(\S+)(\s+)([\s\S]*)$/.exec(v);
  if (!m) {
    out.push(
      findCompactToken(v) === v
        ? { problem: 'missing_scheme', severity: 'error', detail: { expected: scheme } }
        : { problem: 'no_credentials', severity: 'error', detail: { expected: scheme } },
    );
    return out;
  }
  // The three groups are not optional: they always match (the defaults only satisfy the type).
  const [, word = '', space = '', rest = ''] = m;
  if (word.toLowerCase() !== scheme.toLowerCase())
    out.push({ problem: 'wrong_scheme', severity: 'error', detail: { expected: scheme, found: word.slice(0, 32) } });
  // RFC 9110 section 11.1: the scheme is case-insensitive; some verifiers compare bytes anyway.
  else if (word !== scheme) out.push({ problem: 'scheme_case', severity: 'info', detail: { expected: scheme, found: word } });
  if (space !== ' ') out.push({ problem: 'extra_whitespace', severity: 'warning' });
  if (new RegExp(`^${scheme}\\s`, 'i').test(rest)) out.push({ problem: 'doubled_scheme', severity: 'error' });
  if (/^["'`]/.test(rest)) out.push({ problem: 'quotes', severity: 'error' });
  if (/,/.test(rest)) out.push({ problem: 'comma', severity: 'error' });
  if (rest.trim() === '') out.push({ problem: 'no_credentials', severity: 'error' });
  return out;
}

/**
 * Header hygiene of a request dump: the token the API would read, plus
 * `header_missing` (not in the header the API reads; where it was found
 * instead), `header_malformed` (scheme, quotes, doubled prefix, line
 * breaks, commas) and `multiple_tokens` (the header repeated, or a
 * second token in the query: RFC 6750 section 2 allows one method).
 *
 * @example checkHeaderDump(parseHeaderDump('Authorization: Token eyJ...')).findings[0].detail.problem // 'wrong_scheme'
 */
export function checkHeaderDump(
  dump: HeaderDump,
  settings: HeaderSettings = { header: DEFAULT_AUTH_HEADER, scheme: DEFAULT_AUTH_SCHEME },
): HeaderHygiene {
  const findings: Finding[] = [];
  const claim = settings.header;
  const own = dump.headers.filter((h) => h.name === settings.header);
  const elsewhere = dump.headers
    .filter((h) => h.name !== settings.header && h.name !== 'cookie' && findCompactToken(h.value) !== undefined)
    .map((h) => h.name);
  const inQuery = dump.queryParams.includes('access_token');
  const base = { header: settings.header, format: dump.format };
  if (dump.format === 'unreadable') {
    // Not the gateway's fault: the dump itself could not be read (docs/headers.md lists the formats).
    findings.push(
      makeFinding('headers_unreadable', {
        claim,
        detail: { ...base, ...(dump.tooLarge ? { tooLarge: true, maxChars: MAX_DUMP_CHARS } : {}) },
      }),
    );
    return { token: '', findings, format: dump.format };
  }
  if (own.length === 0) {
    findings.push(
      makeFinding('header_missing', {
        claim,
        detail: {
          ...base,
          headersSeen: dump.headers.length,
          ...(elsewhere.length ? { foundIn: elsewhere } : {}),
          ...(inQuery ? { foundInQuery: 'access_token' } : {}),
        },
      }),
    );
    const other = dump.headers.find((h) => elsewhere[0] === h.name);
    if (other)
      return {
        token: normalizeTokenInput(findCompactToken(other.value) ?? '').token,
        source: { kind: 'header', name: other.name },
        findings,
        format: dump.format,
      };
    return { token: '', findings, format: dump.format };
  }
  if (own.length > 1)
    findings.push(makeFinding('multiple_tokens', { claim, detail: { ...base, count: own.length, where: 'repeated_header' } }));
  if (inQuery)
    findings.push(makeFinding('multiple_tokens', { claim, detail: { ...base, where: 'header_and_query', query: 'access_token' } }));
  const value = own[0]!.value;
  for (const p of valueProblems(value, settings.scheme)) {
    findings.push(
      makeFinding('header_malformed', { claim, severity: p.severity, detail: { ...base, problem: p.problem, ...(p.detail ?? {}) } }),
    );
  }
  const n = normalizeTokenInput(value);
  // normalize's own header_malformed / multiple_tokens findings repeat the ones above.
  return { token: n.token, source: { kind: 'header', name: settings.header }, findings, format: dump.format };
}

/**
 * Merges header-hygiene findings into a diagnosis of the token the dump
 * carried, and re-ranks the result (transport problems rank first).
 *
 * @example mergeHeaderFindings(diagnoser.diagnose(h.token), h).result
 */
export function mergeHeaderFindings(d: Diagnosis, hygiene: HeaderHygiene): Diagnosis {
  const ownMissing = hygiene.findings.some((f) => f.code === 'header_missing' || f.code === 'headers_unreadable');
  // The core reports an empty input as header_missing too: keep the one that says where to look.
  const core = d.findings.filter(
    (f) =>
      !(ownMissing && f.code === 'header_missing') &&
      !(f.code === 'header_malformed' && f.severity !== 'error' && hygiene.findings.some((h) => h.code === 'header_malformed')),
  );
  const findings = [...hygiene.findings, ...core];
  return { ...d, findings, result: rankResult(findings) };
}
