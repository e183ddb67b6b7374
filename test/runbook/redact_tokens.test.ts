import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactTokens, tokenMark } from '../../src/runbook/redact_tokens.ts';
import { makeKey, signToken, claimsAt, NOW } from '../helpers/index.ts';

const token = signToken(makeKey('ES256', { kid: 'k1' }), claimsAt(NOW));

test('a known token becomes its mark (length and short SHA-256), the rest of the text stays', () => {
  const out = redactTokens(`token = ${token}\nresult = valid\n`, [token]);
  assert.ok(!out.includes(token));
  assert.equal(out, `token = ${tokenMark(token)}\nresult = valid\n`);
  assert.match(tokenMark(token), new RegExp(`^\\[token ${token.length} chars, sha256 [0-9a-f]{8}\\]$`));
});

test('an opaque known token is replaced too; a JWS or JWE the runbook did not know is replaced by its shape', () => {
  const opaque = 'mF_9.B5f-4.1JqM-opaque';
  const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
  const out = redactTokens(`a ${opaque} b ${token} c ${jwe} d`, [opaque]);
  for (const t of [opaque, token, jwe]) assert.ok(!out.includes(t), t);
  assert.equal(out, `a ${tokenMark(opaque)} b ${tokenMark(token)} c ${tokenMark(jwe)} d`);
});

test('terminal colour codes are dropped; text without tokens is unchanged', () => {
  const esc = String.fromCharCode(27);
  assert.equal(
    redactTokens(`${esc}[31merror${esc}[0m kid=k1 eyJhbGciOiJIUzI1NiJ9 only-a-header\n`),
    'error kid=k1 eyJhbGciOiJIUzI1NiJ9 only-a-header\n',
  );
});
