/** base64url (RFC 4648 section 5, no padding: RFC 7515 section 2) of a JSON value: a JWS segment. */
export function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
