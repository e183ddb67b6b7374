/**
 * Bounded parsing (issue 8, items 4 and 5 of "Why"): nesting depth is
 * checked before any recursive work, and header and payload must be valid
 * UTF-8 without a BOM. Each case runs through the full decode and through
 * the prepared diagnoser's fast path (a header segment seen before).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken, HeaderCache, reusableDecodeResult, type DecodeResult } from '../../src/token/decode.ts';
import { MAX_JSON_DEPTH, nestingDepth, parseStrictJson } from '../../src/token/strict_json.ts';
import { b64url } from '../helpers/mint.ts';

const H = { alg: 'HS256', typ: 'JWT' };
const nested = (n: number) => `{"sub":"a","x":${'['.repeat(n)}${']'.repeat(n)}}`;
const nestedObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Decodes cold, and again with a warm header cache (the hot path), the same way twice. */
function bothPaths(token: string): DecodeResult[] {
  const cache = new HeaderCache();
  decodeToken(`${b64url(H)}.${b64url({ sub: 'warm' })}.AAAA`, { headerCache: cache });
  return [
    decodeToken(token),
    decodeToken(token, { headerCache: cache }),
    decodeToken(token, { headerCache: cache, into: reusableDecodeResult() }),
  ];
}

function malformedSegments(r: DecodeResult): unknown[] {
  return r.findings.filter((f) => f.code === 'malformed_token').map((f) => f.detail?.segment);
}

test(`nesting: ${MAX_JSON_DEPTH} levels decode, one more is malformed_token naming the segment and the limit`, () => {
  assert.equal(MAX_JSON_DEPTH, 64);
  // The payload object itself is level 1: the arrays inside add n levels.
  const ok = `${b64url(H)}.${b64url(nested(MAX_JSON_DEPTH - 1))}.AAAA`;
  for (const r of bothPaths(ok)) assert.equal(r.ok, true);
  const deep = `${b64url(H)}.${b64url(nested(MAX_JSON_DEPTH))}.AAAA`;
  for (const r of bothPaths(deep)) {
    assert.equal(r.ok, false);
    assert.deepEqual(malformedSegments(r), ['payload']);
    assert.equal(r.findings[0]!.detail!.maxDepth, MAX_JSON_DEPTH);
  }
  const deepHeader = `${b64url(`{"alg":"HS256","x":${'['.repeat(80)}${']'.repeat(80)}}`)}.${b64url({ sub: 'a' })}.AAAA`;
  assert.deepEqual(malformedSegments(decodeToken(deepHeader)), ['header']);
  assert.deepEqual(malformedSegments(decodeToken(`${b64url(H)}.${b64url(nestedObjects(65))}.AAAA`)), ['payload']);
  assert.equal(decodeToken(`${b64url(H)}.${b64url(nestedObjects(64))}.AAAA`).ok, true);
});

test('5,500 nested arrays in a 14 KB token: malformed_token, no stack overflow, on every path', () => {
  const token = `${b64url(H)}.${b64url(nested(5500))}.${'A'.repeat(43)}`;
  assert.ok(token.length > 14_000 && token.length < 16_384, String(token.length));
  for (const r of bothPaths(token)) {
    assert.equal(r.ok, false);
    assert.deepEqual(malformedSegments(r), ['payload']);
  }
  // Far deeper than any stack, still linear: the depth scan does not recurse.
  assert.deepEqual(malformedSegments(decodeToken(`${b64url(H)}.${b64url(nested(200_000))}.AAAA`, { maxBytes: 1 << 20 })), ['payload']);
});

test('brackets inside strings (and escaped quotes) do not count as nesting', () => {
  const text = JSON.stringify({ sub: '['.repeat(500) + '\\"{{{' + '"'.repeat(3), note: '}}}]]]' });
  assert.equal(nestingDepth(text), 1);
  assert.equal(parseStrictJson(text).ok, true);
  assert.equal(decodeToken(`${b64url(H)}.${b64url(text)}.AAAA`).ok, true);
  // Many brackets, shallow: over the pre-check's count, under the depth.
  const wide = JSON.stringify({ roles: Array.from({ length: 200 }, (_, i) => [i]) });
  assert.equal(nestingDepth(wide), 3);
  assert.equal(decodeToken(`${b64url(H)}.${b64url(wide)}.AAAA`).ok, true);
});

const INVALID_UTF8: [string, Buffer][] = [
  ['0xFF 0xFE', Buffer.from([0xff, 0xfe])],
  ['overlong "/" (C0 AF)', Buffer.from([0xc0, 0xaf])],
  ['overlong NUL (E0 80 80)', Buffer.from([0xe0, 0x80, 0x80])],
  ['encoded lone surrogate (ED A0 80)', Buffer.from([0xed, 0xa0, 0x80])],
  ['truncated sequence (E2 82)', Buffer.from([0xe2, 0x82])],
  ['above U+10FFFF (F4 90 80 80)', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ['lone continuation byte (80)', Buffer.from([0x80])],
];

/** A JSON object whose string value contains `bad` raw bytes. */
const objectWith = (prefix: string, bad: Buffer) => Buffer.concat([Buffer.from(`${prefix}"x":"`), bad, Buffer.from('"}')]);

test('invalid UTF-8 in the payload is malformed_token naming the payload, on every path', () => {
  for (const [name, bad] of INVALID_UTF8) {
    const token = `${b64url(H)}.${b64url(objectWith('{"sub":"a",', bad))}.AAAA`;
    for (const r of bothPaths(token)) {
      assert.equal(r.ok, false, name);
      assert.deepEqual(malformedSegments(r), ['payload'], name);
      assert.match(String(r.findings[0]!.detail!.problem), /UTF-8/, name);
    }
  }
});

test('invalid UTF-8 in the header is malformed_token naming the header', () => {
  for (const [name, bad] of INVALID_UTF8) {
    const token = `${b64url(objectWith('{"alg":"HS256",', bad))}.${b64url({ sub: 'a' })}.AAAA`;
    const r = decodeToken(token);
    assert.equal(r.ok, false, name);
    assert.deepEqual(malformedSegments(r), ['header'], name);
  }
});

test('valid UTF-8 passes, including a literal U+FFFD and 4-byte characters', () => {
  const payload = { sub: 'a', name: 'Zoë \uFFFD 😀 日本' };
  for (const r of bothPaths(`${b64url(H)}.${b64url(payload)}.AAAA`)) {
    assert.equal(r.ok, true);
    if (r.ok) assert.deepEqual(r.token.payload, payload);
  }
});

test('a UTF-8 BOM before the JSON is refused (RFC 8259 section 8.1), in header or payload', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const withBom = (o: object) => Buffer.concat([bom, Buffer.from(JSON.stringify(o))]);
  for (const r of bothPaths(`${b64url(H)}.${b64url(withBom({ sub: 'a' }))}.AAAA`)) {
    assert.deepEqual(malformedSegments(r), ['payload']);
    assert.match(String(r.findings[0]!.detail!.problem), /byte order mark/);
  }
  const h = decodeToken(`${b64url(withBom(H))}.${b64url({ sub: 'a' })}.AAAA`);
  assert.deepEqual(malformedSegments(h), ['header']);
});
