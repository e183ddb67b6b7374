import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateMessage } from '../../src/explain/translate.ts';
import { createMessageCodes, MAX_CACHED_MESSAGE_CHARS, MAX_CACHED_MESSAGES } from '../../src/triage/message_codes.ts';

const MESSAGES = [
  'Jwt is expired',
  'request',
  'IDX10501: Signature validation failed. Unable to match key: kid: abc',
  'jwt audience invalid. expected: web-prod',
];

test('remembered translations are the ones translateMessage gives, on first sight and after', () => {
  const codes = createMessageCodes();
  for (let round = 0; round < 3; round++)
    for (const m of MESSAGES) assert.deepEqual(codes.translate(m), translateMessage(m), `${m} (round ${round})`);
});

test('past MAX_CACHED_MESSAGES distinct messages, and for long ones, answers stay right', () => {
  const codes = createMessageCodes();
  for (let i = 0; i < MAX_CACHED_MESSAGES + 50; i++) assert.equal(codes.translate(`request ${i}`), undefined);
  assert.equal(codes.translate('Jwt is expired')?.code, 'token_expired');
  const long = `${'x'.repeat(MAX_CACHED_MESSAGE_CHARS)} Jwt is expired`;
  assert.equal(codes.translate(long)?.code, translateMessage(long)?.code);
  assert.equal(codes.translate(long)?.code, 'token_expired');
});
