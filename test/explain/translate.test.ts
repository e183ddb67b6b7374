/**
 * translateMessage beyond the table's own samples: RFC 6750 challenges and
 * OAuth error bodies (the error_description is translated first, our own
 * codes recognised), JSON-escaped log lines, hidden PII, tokens never
 * echoed in extracted values, and bounded work on hostile input: only the
 * first MAX_MESSAGE_CHARS are read, by construction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanValue, MAX_MESSAGE_CHARS, translateMessage } from '../../src/explain/translate.ts';
import { signToken, makeKey, claimsAt, NOW } from '../helpers/index.ts';

test('a Bearer challenge: its error_description is translated through the table, our own codes are ours', () => {
  const spring = translateMessage(
    'WWW-Authenticate: Bearer error="invalid_token", error_description="The iss claim is not valid", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"',
  );
  assert.equal(spring?.code, 'issuer_mismatch');
  assert.equal(spring?.via, 'error_description');
  assert.equal(spring?.rule, 'spring.claim_not_valid');
  const own = translateMessage('Bearer realm="orders", error="invalid_token", error_description="jwks_stale"');
  assert.deepEqual([own?.code, own?.verifier, own?.via], ['jwks_stale', 'jwt-doctor', 'error_description']);
  assert.equal(translateMessage('audience_mismatch')?.code, 'audience_mismatch');
  // A description nobody in the table wrote: the RFC 6750 error code decides.
  const bare = translateMessage('Bearer error="invalid_token", error_description="computer says no"');
  assert.deepEqual([bare?.code, bare?.rule, bare?.via], ['token_rejected', 'rfc6750.invalid_token', undefined]);
  assert.equal(translateMessage('Bearer realm="api"')?.code, 'header_missing');
});

test('an OAuth error body and a JSON log line with escaped quotes translate like the plain message', () => {
  const body = translateMessage(
    '{"error":"invalid_token","error_description":"Signed JWT rejected: Another algorithm expected, or no matching key(s) found"}',
  );
  assert.deepEqual([body?.code, body?.rule, body?.via], ['key_not_found', 'nimbus.no_matching_key', 'error_description']);
  const log = translateMessage(
    '{"level":"error","msg":"IDX10214: Audience validation failed. Audiences: \\u0027web-staging\\u0027. Did not match: validationParameters.ValidAudience: \\u0027web-prod\\u0027 or validationParameters.ValidAudiences: \\u0027null\\u0027."}',
  );
  assert.deepEqual([log?.code, log?.actual, log?.expected], ['audience_mismatch', 'web-staging', 'web-prod']);
});

test('values hidden as PII are left out, never shown as the placeholder', () => {
  const t = translateMessage(
    "IDX10214: Audience validation failed. Audiences: '[PII of type 'System.String' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]'. Did not match: validationParameters.ValidAudience: 'web-prod' or validationParameters.ValidAudiences: 'null'.",
  );
  assert.equal(t?.code, 'audience_mismatch');
  assert.equal(t?.actual, undefined);
  assert.equal(t?.expected, 'web-prod');
});

test('a token inside a message is never part of an extracted value', () => {
  const token = signToken(makeKey('HS256'), claimsAt(NOW));
  const t = translateMessage(`JsonWebTokenError: jwt audience invalid. expected: ${token}`);
  assert.equal(t?.code, 'audience_mismatch');
  assert.ok(!JSON.stringify(t).includes(token.split('.')[1]!), 'the token is echoed');
  assert.equal(t?.expected, '[token redacted]');
  assert.equal(cleanValue(`kid-${token}`), 'kid-[token redacted]');
});

test('hostile input: only the first MAX_MESSAGE_CHARS are read, so a 1 MB line is bounded work by construction', () => {
  const padding = 'x'.repeat(MAX_MESSAGE_CHARS);
  // The message just past the cap is not seen; just inside, it is.
  assert.equal(translateMessage(`${padding} jwt expired`), undefined);
  assert.equal(translateMessage(`${padding.slice(20)} jwt expired`)?.code, 'token_expired');
  const hostile = [
    `IDX10214: Audience validation failed. Audiences: '${'a'.repeat(1 << 20)}`,
    `ERR_JWT_CLAIM_VALIDATION_FAILED ${'claim '.repeat(200_000)}`,
    `jwt audience invalid. expected: ${'w'.repeat(1 << 20)}`,
    `Bearer error_description="${'\\"'.repeat(300_000)}`,
    `{"error_description":"${'\\\\'.repeat(300_000)}`,
    'Jwt_'.repeat(300_000),
  ];
  for (const text of hostile) {
    const t = translateMessage(text);
    if (t?.expected !== undefined) assert.ok(t.expected.length <= 260, 'extracted values are cut');
  }
  assert.equal(translateMessage(`jwt audience invalid. expected: ${'w'.repeat(1 << 20)}`)?.expected?.length, 259);
});

test('not a string, or empty: undefined, never a throw', () => {
  assert.equal(translateMessage(''), undefined);
  assert.equal(translateMessage(undefined as unknown as string), undefined);
  assert.equal(translateMessage(42 as unknown as string), undefined);
});
