/**
 * JSON parsing that rejects duplicate member names.
 *
 * RFC 7515 section 5.2 step 4 / RFC 7519 section 7.2 step 4: a JOSE header
 * or claims set with duplicate member names MUST be rejected (or the last
 * one used); JSON.parse silently keeps the last, and two verifiers that pick
 * different ones disagree about the token. We reject.
 *
 * Fast path: JSON.parse, then compare the number of object members it kept
 * with the number of member names in the text. Only when they differ (a
 * duplicate exists) do we walk the text again to name it.
 */
export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: string; member?: string; maxDepth?: number };

import { MAX_JSON_DEPTH } from '../defaults.ts';

/** The nesting bound (its reasons: src/defaults.ts). */
export { MAX_JSON_DEPTH };

/** Returned by parseStrictJsonFast for anything parseStrictJson would reject. */
export const NOT_STRICT_JSON: unique symbol = Symbol('not strict JSON');

/** parseStrictJson without the result object (the hot path): the value, or NOT_STRICT_JSON. */
export function parseStrictJsonFast(text: string): unknown {
  if (mayNestDeeper(text, MAX_JSON_DEPTH) && nestingDepth(text) > MAX_JSON_DEPTH) return NOT_STRICT_JSON;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_STRICT_JSON;
  }
  return countMembers(value) === countNamesInText(text) ? value : NOT_STRICT_JSON;
}

export function parseStrictJson(text: string): JsonParse {
  // Depth first: the member count below (and every later walk) recurses.
  if (mayNestDeeper(text, MAX_JSON_DEPTH) && nestingDepth(text) > MAX_JSON_DEPTH) {
    return { ok: false, problem: `nested deeper than ${MAX_JSON_DEPTH} levels`, maxDepth: MAX_JSON_DEPTH };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // RFC 8259 section 8.1: senders MUST NOT add a byte order mark; a
    // parser MAY ignore one. We refuse it, as JSON.parse (and so jose)
    // does, and say so: a BOM means the signer's JSON writer is misconfigured.
    if (text.charCodeAt(0) === 0xfeff) return { ok: false, problem: 'starts with a byte order mark (RFC 8259 section 8.1)' };
    return { ok: false, problem: `not valid JSON (${(e as Error).message.split('\n')[0]})` };
  }
  if (countMembers(value) !== countNamesInText(text)) {
    const member = findDuplicate(text);
    return { ok: false, problem: 'duplicate member name', ...(member !== undefined ? { member } : {}) };
  }
  return { ok: true, value };
}

/**
 * A necessary condition for nesting deeper than `limit`: more than `limit`
 * opening brackets anywhere in the text. Counted with native indexOf and
 * stopped at limit + 1, so an ordinary header or claims set (a few
 * brackets) pays a handful of calls and never the scan below.
 */
function mayNestDeeper(text: string, limit: number): boolean {
  let n = 0;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > limit) return true;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > limit) return true;
  return false;
}

/**
 * The maximum nesting depth of arrays and objects, in one linear pass
 * outside string literals, without recursion: safe on any input. Unbalanced
 * text gets some number; JSON.parse rejects it afterwards anyway.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 34) {
      let j = text.indexOf('"', i + 1);
      while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
      if (j === -1) break;
      i = j;
    }
  }
  return max;
}

function countMembers(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (item !== null && typeof item === 'object') n += countMembers(item);
    }
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    n++;
    const item = o[k];
    if (item !== null && typeof item === 'object') n += countMembers(item);
  }
  return n;
}

/**
 * Counts strings followed by ':' outside string literals: the member names.
 * Jumps from quote to quote with indexOf (native) instead of walking every
 * character: this runs for every token on the hot path.
 */
function countNamesInText(text: string): number {
  let n = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    let j = text.indexOf('"', i + 1);
    while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
    if (j === -1) break;
    let k = j + 1;
    let c = text.charCodeAt(k);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++k);
    if (c === 58) n++;
    i = text.indexOf('"', k);
  }
  return n;
}

/** A quote is escaped when an odd number of backslashes precede it. */
function isEscaped(text: string, quote: number): boolean {
  let b = 0;
  for (let p = quote - 1; p >= 0 && text.charCodeAt(p) === 92; p--) b++;
  return (b & 1) === 1;
}

/** Slow path, only for the report: the first duplicated name in any object. */
function findDuplicate(text: string): string | undefined {
  const stack: Set<string>[] = [];
  const len = text.length;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) stack.push(new Set());
    else if (c === 125) stack.pop();
    else if (c === 91) stack.push(new Set());
    else if (c === 93) stack.pop();
    else if (c === 34) {
      const start = i;
      i++;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      let j = i + 1;
      while (j < len && /\s/.test(text[j]!)) j++;
      if (text[j] === ':') {
        const name = JSON.parse(text.slice(start, i + 1)) as string;
        const top = stack[stack.length - 1];
        if (top?.has(name)) return name;
        top?.add(name);
      }
    }
  }
  return undefined;
}
