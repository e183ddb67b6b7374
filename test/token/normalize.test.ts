import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTokenInput } from '../../src/token/normalize.ts';
import { makeKey, signJws } from '../helpers/mint.ts';
import { codes } from '../helpers/index.ts';

const key = makeKey('HS256');
const T = signJws(key, { sub: 'a' });
const T2 = signJws(key, { sub: 'b' });
const strippedDetails = (r: ReturnType<typeof normalizeTokenInput>) =>
  r.findings.filter((f) => f.code === 'header_malformed' && f.severity === 'warning').map((f) => f.detail!.stripped);

test('a bare token passes through without findings', () => {
  const r = normalizeTokenInput(T);
  assert.equal(r.token, T);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.stripped, []);
});

test('"Authorization: Bearer <t>" and "Bearer <t>" yield the bare token without warnings', () => {
  for (const input of [`Authorization: Bearer ${T}`, `authorization:Bearer ${T}`, `Bearer ${T}`, `  Bearer ${T}\n`]) {
    const r = normalizeTokenInput(input);
    assert.equal(r.token, T, input);
    assert.deepEqual(codes(r), [], input);
    assert.ok(r.stripped.includes('bearer_prefix'), input);
  }
});

test('a lower-case scheme is an info finding (some verifiers compare "Bearer " exactly)', () => {
  const r = normalizeTokenInput(`bearer ${T}`);
  assert.equal(r.token, T);
  assert.deepEqual(codes(r), ['header_malformed']);
  assert.equal(r.findings[0]!.severity, 'info');
  assert.equal(r.findings[0]!.detail!.scheme, 'bearer');
});

test('quotes are stripped and reported', () => {
  for (const q of ['"', "'", '`']) {
    const r = normalizeTokenInput(`${q}${T}${q}`);
    assert.equal(r.token, T);
    assert.deepEqual(strippedDetails(r), ['quotes']);
    assert.equal(r.findings[0]!.detail!.quote, q);
  }
  const r = normalizeTokenInput(`Authorization: "Bearer ${T}"`);
  assert.equal(r.token, T);
  assert.deepEqual(strippedDetails(r), ['quotes']);
});

test('a doubled Bearer is stripped and reported', () => {
  for (const input of [`Bearer Bearer ${T}`, `Authorization: Bearer Bearer ${T}`, `"Bearer Bearer ${T}"`]) {
    const r = normalizeTokenInput(input);
    assert.equal(r.token, T, input);
    assert.ok(strippedDetails(r).includes('doubled_bearer'), input);
    assert.ok(
      r.findings.every((f) => f.code === 'header_malformed'),
      input,
    );
  }
});

test('another scheme word (JWT, Token) is stripped and reported', () => {
  const r = normalizeTokenInput(`JWT ${T}`);
  assert.equal(r.token, T);
  assert.deepEqual(strippedDetails(r), ['scheme']);
  assert.equal(r.findings[0]!.detail!.scheme, 'JWT');
});

test('a token wrapped over several lines is re-joined and reported', () => {
  const wrapped = T.slice(0, 20) + '\n' + T.slice(20, 50) + '\r\n  ' + T.slice(50);
  const r = normalizeTokenInput(wrapped);
  assert.equal(r.token, T);
  assert.deepEqual(strippedDetails(r), ['whitespace']);
  assert.equal(r.findings[0]!.detail!.pieces, 3);
});

test('two tokens give multiple_tokens and the first token', () => {
  for (const input of [`${T} ${T2}`, `Bearer ${T}, Bearer ${T2}`, `${T},${T2}`]) {
    const r = normalizeTokenInput(input);
    assert.ok(codes(r).includes('multiple_tokens'), input);
    assert.equal(r.token, T, input);
    const f = r.findings.find((x) => x.code === 'multiple_tokens')!;
    assert.equal(f.severity, 'error');
    assert.equal(f.detail!.count, 2);
  }
});

test('empty input is header_missing', () => {
  for (const input of ['', '   ', '\n']) {
    const r = normalizeTokenInput(input);
    assert.equal(r.token, '');
    assert.deepEqual(codes(r), ['header_missing']);
    assert.equal(r.findings[0]!.detail!.input, 'empty');
  }
});

test('a scheme with no token is header_missing', () => {
  const r = normalizeTokenInput('Authorization: Bearer');
  assert.equal(r.token, '');
  assert.ok(codes(r).includes('header_missing'));
});
