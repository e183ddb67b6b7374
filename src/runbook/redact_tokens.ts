/**
 * Output embedded in a runbook never carries a token (BRIEF: "a full token
 * never in a report"): every token the runbook knows is replaced, and so is
 * anything shaped like a compact JWS or JWE (RFC 7515 section 7.1, RFC 7516
 * section 7.1: base64url segments whose first is a JSON header, "eyJ"), a
 * refreshed or minted token the runbook did not see coming. The
 * replacement keeps the length and a short SHA-256, as `probe` shows a token.
 */
import { createHash } from 'node:crypto';

const COMPACT = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2}(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g;
// Colour codes: a terminal's, not the runbook's.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** How a redacted token is shown: `[token 812 chars, sha256 3f2a9c1e]`. */
export function tokenMark(token: string): string {
  return `[token ${token.length} chars, sha256 ${createHash('sha256').update(token).digest('hex').slice(0, 8)}]`;
}

/**
 * @example redactTokens(`${token}\n`, [token]) // '[token 812 chars, sha256 3f2a9c1e]\n'
 */
export function redactTokens(text: string, known: readonly string[] = []): string {
  let out = text.replace(ANSI, '');
  // Longest first, so a token inside another is not half replaced.
  for (const t of [...known].filter((k) => k.length >= 8).sort((a, b) => b.length - a.length)) out = out.split(t).join(tokenMark(t));
  return out.replace(COMPACT, tokenMark);
}
