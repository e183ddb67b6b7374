import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXAMPLE_CHARS, sanitizeLogLine } from '../../src/triage/sanitize_line.ts';
import { leaksToken, TOKENS } from './fixtures.ts';

test('tokens, bearer and basic credentials, long opaque strings and identifying fields become hashes', () => {
  const line = JSON.stringify({
    authorization: `Bearer ${TOKENS.valid}`,
    cookie: `session=${TOKENS.expired}`,
    basic: 'Basic dXNlcjpwYXNzd29yZA==',
    api: 'Bearer opaque-access-token-value',
    secret: 'c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tbWF0dGVy',
    sub: 'alice@example.com',
    msg: 'jwt expired',
  });
  const s = sanitizeLogLine(line);
  assert.ok(!leaksToken(s), s);
  for (const secret of [
    'dXNlcjpwYXNzd29yZA',
    'opaque-access-token-value',
    'c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tbWF0dGVy',
    'alice@example.com',
  ])
    assert.ok(!s.includes(secret), secret);
  assert.match(s, /<token hash:[0-9a-f]{10}>/);
  assert.ok(s.includes('jwt expired'));
  // The same token gives the same hash: examples of one session can be told apart from another's.
  assert.equal(sanitizeLogLine(TOKENS.valid), sanitizeLogLine(TOKENS.valid));
  assert.notEqual(sanitizeLogLine(TOKENS.valid), sanitizeLogLine(TOKENS.expired));
});

test('control bytes are escaped and long lines cut, never inside a placeholder and never leaving a token fragment', () => {
  assert.equal(sanitizeLogLine('\u0000a\u001b'), '\\x00a\\x1b');
  const long = 'x '.repeat(100) + `token=${TOKENS.valid} ` + 'y'.repeat(5000);
  const s = sanitizeLogLine(long);
  assert.ok(s.length <= MAX_EXAMPLE_CHARS + 1);
  assert.ok(s.endsWith('…'));
  assert.ok(!leaksToken(s));
  // A token cut by the end of the visible part is still replaced whole.
  const cut = sanitizeLogLine('z'.repeat(4 * MAX_EXAMPLE_CHARS - 20) + TOKENS.valid);
  assert.ok(!leaksToken(cut) && !cut.includes('eyJ'));
});
