/**
 * A log line as an example in a report: every token, bearer credential and
 * long opaque string replaced by a short keyed hash (report/sanitize.ts),
 * identifying JSON fields hashed, control bytes escaped, and cut to
 * MAX_EXAMPLE_CHARS. Never a full token, never a fragment long enough to
 * be one.
 */
import { shortHash } from '../report/sanitize.ts';

export const MAX_EXAMPLE_CHARS = 240;

const JWT_LIKE = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*/g;
const BEARER = /(?<!<)\b(bearer|basic|token)(\s+|=|:\s*)("?)(?!<)[^\s",;]+/gi;
/** A run of 24+ base64/base64url/hex characters with a letter and a digit: an opaque token, a secret, a signature (not a snake_case name). */
const OPAQUE = /[A-Za-z0-9_+/=.-]{24,}/g;
const IDENTIFYING = /("(?:sub|email|user|username|user_id|uid|ip|client_ip|remote_addr|name)"\s*:\s*)("(?:[^"\\]|\\.)*"|\d+)/gi;
// eslint-disable-next-line no-control-regex -- control characters are what this pattern escapes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g;

/**
 * @example sanitizeLogLine('{"msg":"jwt expired","token":"eyJhbGciOi..."}') // '{"msg":"jwt expired","token":"<token hash:1a2b3c4d5e>"}'
 */
export function sanitizeLogLine(line: string): string {
  // Bounded work on untrusted input: only the start of a long line is shown.
  const head = line.length > 4 * MAX_EXAMPLE_CHARS ? line.slice(0, 4 * MAX_EXAMPLE_CHARS) : line;
  const s = head
    .replace(JWT_LIKE, (t) => `<token ${shortHash(t)}>`)
    .replace(BEARER, (_m, scheme: string, sep: string, q: string) => `${scheme}${sep}${q}<credential>`)
    .replace(OPAQUE, (t) => (t.startsWith('hash:') || !/\d/.test(t) || !/[A-Za-z]/.test(t) ? t : `<opaque ${shortHash(t)}>`))
    .replace(IDENTIFYING, (_m, key: string, v: string) => `${key}"${shortHash(v)}"`)
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return cutExample(s, head.length < line.length);
}

/** Cuts at MAX_EXAMPLE_CHARS, never inside a `<...>` placeholder. */
function cutExample(s: string, cut: boolean): string {
  if (s.length <= MAX_EXAMPLE_CHARS && !cut) return s;
  let end = Math.min(s.length, MAX_EXAMPLE_CHARS);
  const open = s.lastIndexOf('<', end);
  if (open >= 0 && s.indexOf('>', open) >= end) end = open;
  return s.slice(0, end) + '…';
}
