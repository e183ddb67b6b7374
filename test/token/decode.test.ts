import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken } from '../../src/token/decode.ts';

const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');

test('decodes a well-formed token', () => {
  const r = decodeToken(`${b64({ alg: 'HS256' })}.${b64({ sub: 'a' })}.c2ln`);
  assert.equal(r.ok, true);
});

test('rejects duplicate member names', () => {
  const r = decodeToken(`${b64({ alg: 'HS256' })}.${b64('{"sub":"a","sub":"b"}')}.c2ln`);
  assert.equal(r.ok, false);
  assert.equal(r.findings[0]!.code, 'malformed_token');
  assert.equal(r.findings[0]!.detail!.member, 'sub');
});
