/**
 * One log line into the report: bad input counted with its code, a token
 * diagnosed (once per distinct token, token_verdicts.ts), a verifier's
 * message translated (translateMessage), or the line counted as unmatched.
 * Runs on the main thread or in a worker: the same code either way.
 */
import { readJsonFacts, readTextFacts, type LineFacts } from './read_line.ts';
import { addBadInput, addExample, wantsExample, type TriageReport } from './report.ts';
import { sanitizeLogLine } from './sanitize_line.ts';
import { tallyEvent, type Tally } from './tally.ts';
import type { TokenVerdicts } from './token_verdicts.ts';
import type { MessageCodes } from './message_codes.ts';

export interface LineContext {
  report: TriageReport;
  /** This chunk's counts, added to `report` at its end (classifyChunk). */
  tally: Tally;
  /** Verifier messages translated so far (logs repeat a handful of messages). */
  messages: MessageCodes;
  /** Absent: tokens are not diagnosed (only verifier messages count). */
  verdicts?: TokenVerdicts;
  /** The environment events are attributed to when the line names none. */
  env?: string;
  tokenField?: string;
  /** The instant for lines without a time (--now, else the wall clock read at the edge). */
  now: number;
  /** Lines longer than this (in UTF-16 units) are line_too_long. */
  maxLineChars: number;
}

/** NUL, other C0 controls but tab/CR/LF/FF, or U+FFFD (bytes that are not UTF-8): not a log line. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern detects
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

/**
 * Counts one line (without its newline) into `ctx.report`. `maybeBinary`
 * is false when the chunk holds no U+FFFD (bytes that were not UTF-8): a
 * line that parses as JSON then holds no control character either (JSON
 * forbids them raw, RFC 8259 section 7), so only text lines are scanned.
 */
export function classifyLine(ctx: LineContext, line: string, maybeBinary = true): void {
  const r = ctx.report;
  r.lines.read++;
  if (line.length > ctx.maxLineChars) return skip(r, 'line_too_long', line);
  const facts = readFacts(ctx, line, maybeBinary);
  if (facts === BINARY_LINE) return skip(r, 'binary_line', line);
  const reason = countEvent(ctx, facts);
  if (reason === undefined) {
    r.lines.unmatched++;
    return;
  }
  r.lines.events++;
  if (reason !== 'valid' && wantsExample(r, reason)) addExample(r, reason, sanitizeLogLine(line));
}

function skip(r: TriageReport, code: string, line: string): void {
  r.lines.skipped++;
  addBadInput(r, code, line, sanitizeLogLine);
}

/** NDJSON when the line starts with `{` and parses; a line that starts like JSON and does not parse is json_invalid, then read as text. */
const BINARY_LINE: LineFacts = {};

function readFacts(ctx: LineContext, line: string, maybeBinary: boolean): LineFacts {
  if (line.charCodeAt(0) === 0x7b || line.trimStart().startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      obj = undefined;
    }
    if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
      if (maybeBinary && line.includes('\ufffd')) return BINARY_LINE;
      return readJsonFacts(obj as Record<string, unknown>, line, ctx.tokenField);
    }
    if (BINARY.test(line)) return BINARY_LINE;
    if (obj === undefined) addBadInput(ctx.report, 'json_invalid', line, sanitizeLogLine);
    return readTextFacts(line);
  }
  return BINARY.test(line) ? BINARY_LINE : readTextFacts(line);
}

/** Tallies the line's event and returns its reason; undefined when the line has none (no token, no known message). */
function countEvent(ctx: LineContext, f: LineFacts): string | undefined {
  const now = f.time ?? ctx.now;
  let reason: string | undefined;
  let kid = f.kid;
  let client = f.client;
  if (f.token !== undefined && ctx.verdicts) {
    const v = ctx.verdicts.verdict(f.token, now);
    reason = v.reason;
    kid ??= v.kid;
    client ??= v.client;
  }
  // A verifier's own words win over a token we find valid: that verifier rejected it.
  if ((reason === undefined || reason === 'valid') && f.message !== undefined) {
    const t = ctx.messages.translate(f.message);
    if (t) {
      reason = t.code;
      kid ??= t.kid;
    }
  }
  if (reason === undefined) return undefined;
  tallyEvent(ctx.tally, ctx.report.bucketSeconds, reason, f.env ?? ctx.env, kid, f.route, client, f.time);
  return reason;
}
