import { createHash } from 'node:crypto';

/**
 * SHA-256 of a token (hex): lets two ends compare what was sent with what
 * arrived without either one printing the token.
 *
 * @example fingerprintToken('eyJ...') // '3f1c...'
 */
export function fingerprintToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The first compact-JWS/JWE-shaped run in a header value: 3 or 5
 * dot-separated base64url segments whose first one starts with "ey" (a
 * JOSE header is a JSON object, RFC 7515 section 7.1: base64url of "{").
 * Without that anchor "curl/7.88.1" would look like a token.
 */
export function findCompactToken(value: string): string | undefined {
  const m = /(?<![A-Za-z0-9_-])ey[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){2,4}/.exec(value);
  if (!m) return undefined;
  const segs = m[0].split('.');
  return segs.length === 3 || segs.length === 5 ? m[0] : undefined;
}
