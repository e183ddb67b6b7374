import { isUtf8 } from 'node:buffer';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/;
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * Why a segment is not canonical base64url, or null when it is.
 * RFC 7515 section 2 / RFC 4648 section 5: the URL-safe alphabet, no
 * padding, no whitespace; RFC 4648 section 3.5: the unused trailing bits of
 * the last character must be zero, otherwise two strings decode to the same
 * bytes (a canonicalization hole).
 */
export function base64urlProblem(segment: string): string | null {
  const n = segment.length;
  // Native regex first (the hot path); the loop below only names the problem.
  if (!ALPHABET_ONLY.test(segment)) {
    for (let i = 0; i < n; i++) {
      const c = segment.charCodeAt(i);
      if (c > 127 || VALUE[c]! < 0) {
        if (c === 61) return 'padding "=" is not allowed';
        if (c === 43 || c === 47) return 'standard base64 "+" or "/" instead of base64url';
        if (c === 32 || c === 9 || c === 10 || c === 13) return 'whitespace inside the segment';
        return `invalid character at offset ${i}`;
      }
    }
  }
  return trailingProblem(segment);
}

/**
 * The checks left once the alphabet is known to be right: length and
 * RFC 4648 section 3.5 zero trailing bits.
 */
export function trailingProblem(segment: string): string | null {
  const n = segment.length;
  const rem = n % 4;
  if (rem === 1) return 'impossible length (one character left over)';
  if (rem === 2 && (VALUE[segment.charCodeAt(n - 1)]! & 0x0f) !== 0) return 'non-zero trailing bits (not canonical)';
  if (rem === 3 && (VALUE[segment.charCodeAt(n - 1)]! & 0x03) !== 0) return 'non-zero trailing bits (not canonical)';
  return null;
}

/** Decodes a segment already checked by base64urlProblem. */
export function decodeBase64url(segment: string): Buffer {
  return Buffer.from(segment, 'base64url');
}

export function encodeBase64url(data: Buffer | Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Scratch space for decoding segments that never escape as bytes (the
 * payload becomes a string). Synchronous use only: the prepared
 * diagnoser's hot path would otherwise allocate a pooled Buffer per token.
 */
const SCRATCH = Buffer.allocUnsafe(48 * 1024);

/**
 * Decodes a base64url segment to text when, and only when, it is canonical
 * (re-encoding the bytes gives the same segment back) and valid UTF-8;
 * undefined otherwise (the full decode then names the problem).
 */
export function decodeCanonicalSegmentText(segment: string): string | undefined {
  const maxBytes = Math.ceil((segment.length * 3) / 4);
  const buf = maxBytes <= SCRATCH.length ? SCRATCH : Buffer.allocUnsafe(maxBytes);
  const n = buf.write(segment, 'base64url');
  if (buf.toString('base64url', 0, n) !== segment) return undefined;
  const text = buf.toString('utf8', 0, n);
  // Node's decoder replaces every invalid sequence with U+FFFD, so text
  // without one came from valid UTF-8 (the hot path: one native search);
  // with one, the bytes are validated (a real U+FFFD is legal).
  if (text.indexOf('\uFFFD') !== -1 && !isUtf8(buf === SCRATCH ? scratchView(TEXT_VIEWS, SCRATCH, n) : buf.subarray(0, n)))
    return undefined;
  return text;
}

const TEXT_VIEWS = new Map<number, Buffer>();

/**
 * RFC 7515 section 2 / RFC 7519 section 7.2 step 5 and RFC 8259 section
 * 8.1: header and claims are UTF-8. Node's decoder would silently replace
 * invalid bytes (an overlong form, an encoded surrogate, 0xFF) with U+FFFD,
 * so the claims read would differ from the bytes signed: refuse instead.
 * Why `bytes` are not valid UTF-8, or null when they are.
 */
export function utf8Problem(bytes: Buffer): string | null {
  return isUtf8(bytes) ? null : 'not valid UTF-8';
}

const SIGNATURE_SCRATCH = Buffer.allocUnsafe(4096);

/**
 * The signature segment (from `start` to the end of `token`) decoded into a
 * reused buffer when canonical; undefined otherwise. The returned view is
 * valid until the next call: the prepared diagnoser verifies with it
 * synchronously and never hands it out.
 */
export function decodeCanonicalSignature(token: string, start: number): Buffer | undefined {
  const seg = token.slice(start);
  const maxBytes = Math.ceil((seg.length * 3) / 4);
  const buf = maxBytes <= SIGNATURE_SCRATCH.length ? SIGNATURE_SCRATCH : Buffer.allocUnsafe(maxBytes);
  const n = buf.write(seg, 'base64url');
  if (buf.toString('base64url', 0, n) !== seg) return undefined;
  return buf === SIGNATURE_SCRATCH ? scratchView(SIGNATURE_VIEWS, SIGNATURE_SCRATCH, n) : buf.subarray(0, n);
}

const SIGNATURE_VIEWS = new Map<number, Buffer>();

/**
 * A view of the first n bytes of a scratch buffer, kept per length: tokens
 * of one key have one signature length (and few signing-input lengths), so
 * the hot path reuses a handful of views instead of allocating one per call.
 */
export function scratchView(views: Map<number, Buffer>, scratch: Buffer, n: number): Buffer {
  let v = views.get(n);
  if (!v) {
    if (views.size >= 256) views.clear();
    views.set(n, (v = scratch.subarray(0, n)));
  }
  return v;
}
