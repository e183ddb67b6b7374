/**
 * What one log line says, NDJSON or plain text: its time, route, client,
 * environment, kid, the token it carries and the verifier message it
 * holds. Untrusted input: nothing here throws, and no field is kept longer
 * than MAX_FIELD_CHARS.
 */

export interface LineFacts {
  time?: number;
  route?: string;
  client?: string;
  env?: string;
  kid?: string;
  token?: string;
  /** A verifier's message (JSON message fields, or the plain-text line) for translateMessage. */
  message?: string;
}

export const MAX_FIELD_CHARS = 200;

/** A compact JWS (three segments) or JWE (five); the first segment is a JSON object, hence "eyJ" (RFC 7515 section 7.1). */
export const TOKEN_PATTERN = /eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/;
const TOKEN_AT = /eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/y;

/**
 * The first JWT-shaped string of `line`. indexOf finds each "yJ" at
 * memchr speed (not "eyJ": "e" is the commonest letter of a log line, and
 * each one would be a false start); the sticky pattern is tried only where
 * an "e" precedes it (a regex scan of a whole 600-byte line costs more
 * than the rest of the line's work).
 */
export function findToken(line: string): string | undefined {
  for (let at = line.indexOf('yJ', 1); at >= 0; at = line.indexOf('yJ', at + 2)) {
    if (line.charCodeAt(at - 1) !== 101 /* e */) continue;
    TOKEN_AT.lastIndex = at - 1;
    if (TOKEN_AT.test(line)) return line.slice(at - 1, TOKEN_AT.lastIndex);
  }
  return undefined;
}

/** The fields read from an NDJSON line, per fact, the first present winning. */
const TIME_FIELDS = ['time', 'timestamp', 'ts', '@timestamp'];
const ROUTE_FIELDS = ['route', 'path', 'url', 'uri', 'request_path'];
const CLIENT_FIELDS = ['client', 'client_id', 'azp'];
const ENV_FIELDS = ['env', 'environment'];
/** Every one present (a string) is part of the message, in this order. */
const MESSAGE_FIELDS = [
  'msg',
  'message',
  'error',
  'error_description',
  'err',
  'reason',
  'detail',
  'response_code_details',
  'www_authenticate',
];

/** A leading ISO 8601 time, optionally in brackets: `2026-11-30T20:05:00Z ...`, `[2026-11-30 20:05:00.123+01:00] ...`. */
const LEADING_TIME = /^\[?(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)/;
/** key=value pairs of plain-text logs (logfmt). */
const PAIRS = /\b(route|path|client|client_id|env|environment|kid|time|ts)=("[^"]*"|[^\s,;]+)/g;
const REQUEST = /\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^\s?"]*)/;

/**
 * Time as UNIX seconds from a number (seconds, or milliseconds when it is
 * past the year 33658) or a string (ISO 8601; a time without an offset is
 * read as UTC, as log shippers write it).
 */
export function readLogTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? (v > 1e12 ? v / 1000 : v) : undefined;
  if (typeof v !== 'string' || v.length > 40) return undefined;
  const fast = readUtcIso(v);
  if (fast !== undefined) return fast;
  if (/^\d+(\.\d+)?$/.test(v)) return readLogTime(Number(v));
  const iso = v.replace(' ', 'T').replace(',', '.');
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : iso + 'Z');
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

const digits = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/** The minute of the last time read (its first 16 characters) and its start in ms: a log's times share their minute. */
let lastMinute = '';
let lastMinuteMs = NaN;

/**
 * The common shape `2026-11-30T20:05:00Z` / `2026-11-30T20:05:00.123Z`
 * without Date.parse (which costs more than the rest of a line's work);
 * undefined for any other shape, which Date.parse then reads.
 */
function readUtcIso(v: string): number | undefined {
  const n = v.length;
  if ((n !== 20 && n !== 24) || v.charCodeAt(n - 1) !== 90 /* Z */ || v.charCodeAt(10) !== 84 /* T */) return undefined;
  if (n === 24 && v.charCodeAt(19) !== 46 /* . */) return undefined;
  const sec = digits(v, 17, 2);
  const frac = n === 24 ? digits(v, 20, 3) : 0;
  if (!(sec <= 59 && frac >= 0 && v.charCodeAt(16) === 58) /* : */) return undefined;
  if (!v.startsWith(lastMinute) || lastMinute === '') {
    const ms = minuteMs(v);
    if (ms === undefined) return undefined;
    lastMinute = v.slice(0, 16);
    lastMinuteMs = ms;
  }
  return (lastMinuteMs + sec * 1000 + frac) / 1000;
}

/** The start of the minute `YYYY-MM-DDTHH:MM` of `v`, in ms; undefined when a field is out of range. */
function minuteMs(v: string): number | undefined {
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(13) !== 58) return undefined;
  const [mo, d, h, mi] = [digits(v, 5, 2), digits(v, 8, 2), digits(v, 11, 2), digits(v, 14, 2)];
  // Out of range (Date.UTC would roll 13/45 over into next year): left to Date.parse, which refuses it.
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59)) return undefined;
  const ms = Date.UTC(digits(v, 0, 4), mo - 1, d, h, mi);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A route without query string, scheme or host: `https://api/v1/me?x=1` -> `/v1/me`. */
export function readRoute(v: string): string {
  if (v.charCodeAt(0) === 47 /* / */ && v.length <= MAX_FIELD_CHARS && v.indexOf('?') < 0 && v.indexOf('#') < 0) return v;
  const noQuery = v.split(/[?#]/, 1)[0]!;
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(noQuery);
  return (path ? (path[1] ?? '/') : noQuery).slice(0, MAX_FIELD_CHARS);
}

function shortString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > 0 ? v.slice(0, MAX_FIELD_CHARS) : undefined;
  return typeof v === 'number' ? String(v) : undefined;
}

/** A field by dotted path (`request.headers.authorization`), Bearer prefix removed. */
function tokenAt(obj: Record<string, unknown>, path: string): string | undefined {
  let v: unknown = obj;
  for (const part of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.replace(/^\s*bearer\s+/i, '').trim();
  return t.length > 0 ? t : undefined;
}

/** The facts, in FIELD_CODES order. */
const TIME = 0,
  ROUTE = 1,
  CLIENT = 2,
  ENV = 3,
  KID = 4,
  MESSAGE = 5;

/** Field name -> fact * 16 + its rank among that fact's fields. */
const FIELD_CODES = new Map<string, number>();
[TIME_FIELDS, ROUTE_FIELDS, CLIENT_FIELDS, ENV_FIELDS, ['kid'], MESSAGE_FIELDS].forEach((fields, fact) =>
  fields.forEach((name, rank) => FIELD_CODES.set(name, fact * 16 + rank)),
);

/**
 * Facts of a parsed NDJSON object; `line` is the raw text, searched for a
 * token when no --token-field is set. One pass over the object's keys (a
 * lookup of each of the 24 field names per line costs twice as much).
 */
export function readJsonFacts(obj: Record<string, unknown>, line: string, tokenField: string | undefined): LineFacts {
  const best: unknown[] = [undefined, undefined, undefined, undefined, undefined];
  const rank = [99, 99, 99, 99, 99];
  let messages: [number, string][] | undefined;
  for (const name in obj) {
    const code = FIELD_CODES.get(name);
    if (code === undefined) continue;
    const fact = code >> 4,
      r = code & 15,
      v = obj[name];
    if (fact !== MESSAGE) {
      if (r < rank[fact]! && v !== undefined) {
        rank[fact] = r;
        best[fact] = v;
      }
    } else if (typeof v === 'string' && v.length > 0) (messages ??= []).push([r, v]);
  }
  const f: LineFacts = {};
  const time = readLogTime(best[TIME]);
  if (time !== undefined) f.time = time;
  const route = shortString(best[ROUTE]);
  if (route !== undefined) f.route = readRoute(route);
  const client = shortString(best[CLIENT]);
  if (client !== undefined) f.client = client;
  const env = shortString(best[ENV]);
  if (env !== undefined) f.env = env;
  const kid = shortString(best[KID]);
  if (kid !== undefined) f.kid = kid;
  const token = tokenField !== undefined ? tokenAt(obj, tokenField) : findToken(line);
  if (token !== undefined) f.token = token;
  if (messages) f.message = messageOf(messages);
  return f;
}

/** The message fields' values in MESSAGE_FIELDS order, joined by spaces. */
function messageOf(found: [number, string][]): string {
  if (found.length === 1) return found[0]![1];
  return found
    .sort((a, b) => a[0] - b[0])
    .map((m) => m[1])
    .join(' ');
}

/** Facts of a plain-text line: leading ISO time, logfmt pairs, `METHOD /path`, a JWT-shaped token, the line as the message. */
export function readTextFacts(line: string): LineFacts {
  const f: LineFacts = {};
  const lead = LEADING_TIME.exec(line);
  if (lead) {
    const t = readLogTime(lead[1]);
    if (t !== undefined) f.time = t;
  }
  for (const [, key, raw] of line.matchAll(PAIRS)) {
    const v = raw!.startsWith('"') ? raw!.slice(1, -1) : raw!;
    if (v.length === 0) continue;
    readPair(f, key!, v.slice(0, MAX_FIELD_CHARS));
  }
  if (f.route === undefined) {
    const req = REQUEST.exec(line);
    if (req) f.route = readRoute(req[1]!);
  }
  const token = findToken(line);
  if (token !== undefined) f.token = token;
  f.message = token !== undefined ? line.replace(token, '') : line;
  return f;
}

function readPair(f: LineFacts, key: string, v: string): void {
  if (key === 'route' || key === 'path') f.route = readRoute(v);
  else if (key === 'client' || key === 'client_id') f.client = v;
  else if (key === 'env' || key === 'environment') f.env = v;
  else if (key === 'kid') f.kid = v;
  else if (f.time === undefined) {
    const t = readLogTime(v);
    if (t !== undefined) f.time = t;
  }
}
