/**
 * One log line into the report: bad input counted with its code, a token
 * diagnosed (once per distinct token, token_verdicts.ts), a verifier's
 * message translated (translateMessage), or the line counted as unmatched.
 * Runs on the main thread or in a worker: the same code either way.
 */
import { translateMessage } from '../explain/translate.ts';
import type { TriageEvent } from './event.ts';
import { readJsonFacts, readTextFacts, type LineFacts } from './read_line.ts';
import { addBadInput, addEvent, addExample, wantsExample, type TriageReport } from './report.ts';
import { sanitizeLogLine } from './sanitize_line.ts';
import type { TokenVerdicts } from './token_verdicts.ts';

export interface LineContext {
  report: TriageReport;
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
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

/** Counts one line (without its newline) into `ctx.report`. */
export function classifyLine(ctx: LineContext, line: string): void {
  const r = ctx.report;
  r.lines.read++;
  if (line.length > ctx.maxLineChars) return skip(r, 'line_too_long', line);
  if (BINARY.test(line)) return skip(r, 'binary_line', line);
  const facts = readFacts(ctx, line);
  const event = facts && eventOf(ctx, facts);
  if (!event) {
    r.lines.unmatched++;
    return;
  }
  r.lines.events++;
  addEvent(r, event);
  if (event.reason !== 'valid' && wantsExample(r, event.reason)) addExample(r, event.reason, sanitizeLogLine(line));
}

function skip(r: TriageReport, code: string, line: string): void {
  r.lines.skipped++;
  addBadInput(r, code, line, sanitizeLogLine);
}

/** NDJSON when the line starts with `{` and parses; a line that starts like JSON and does not parse is json_invalid, then read as text. */
function readFacts(ctx: LineContext, line: string): LineFacts | undefined {
  const start = line.charCodeAt(0) === 0x7b ? 0 : line.trimStart().startsWith('{') ? 1 : -1;
  if (start < 0) return readTextFacts(line);
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    addBadInput(ctx.report, 'json_invalid', line, sanitizeLogLine);
    return readTextFacts(line);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return readTextFacts(line);
  return readJsonFacts(obj as Record<string, unknown>, line, ctx.tokenField);
}

function eventOf(ctx: LineContext, f: LineFacts): TriageEvent | undefined {
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
    const t = translateMessage(f.message);
    if (t) {
      reason = t.code;
      kid ??= t.kid;
    }
  }
  if (reason === undefined) return undefined;
  const env = f.env ?? ctx.env;
  return {
    reason,
    count: 1,
    ...(env !== undefined ? { env } : {}),
    ...(kid !== undefined ? { kid } : {}),
    ...(f.route !== undefined ? { route: f.route } : {}),
    ...(client !== undefined ? { client } : {}),
    ...(f.time !== undefined ? { time: f.time } : {}),
  };
}
