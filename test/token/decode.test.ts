import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeToken, peekToken, DEFAULT_MAX_TOKEN_BYTES } from '../../src/token/decode.ts';
import { base64urlProblem } from '../../src/token/base64url.ts';
import { b64url, rawToken } from '../helpers/mint.ts';
import { codes } from '../helpers/index.ts';

const H = { alg: 'HS256', typ: 'JWT' };
const P = { sub: 'a', exp: 2000000000 };
const errorsOf = (t: string, o = {}) => {
  const r = decodeToken(t, o);
  return r.findings.map((f) => ({
    code: f.code,
    claim: f.claim,
    segment: f.detail?.segment,
    problem: f.detail?.problem,
    member: f.detail?.member,
  }));
};

test('decodes a well-formed token: header, payload, signing input, signature bytes', () => {
  const t = rawToken(H, P, 'AAAA');
  const r = decodeToken(t);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.deepEqual(r.token.header, H);
  assert.deepEqual(r.token.payload, P);
  assert.equal(r.token.signingInput, t.slice(0, t.lastIndexOf('.')));
  assert.deepEqual(r.token.signature, Buffer.from([0, 0, 0]));
  assert.deepEqual(r.findings, []);
});

test('segment counts: 5 is a JWE (token_encrypted); 1, 2, 4 and 6 are malformed_token naming the count', () => {
  const r5 = decodeToken('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d');
  assert.equal(r5.ok, false);
  assert.deepEqual(codes(r5), ['token_encrypted']);
  assert.equal(r5.findings[0]!.detail!.segments, 5);
  for (const [t, n] of [
    ['abc', 1],
    ['a.b', 2],
    ['a.b.c.d', 4],
    ['a.b.c.d.e.f', 6],
  ] as const) {
    const r = decodeToken(t);
    assert.equal(r.ok, false);
    assert.deepEqual(codes(r), ['malformed_token'], t);
    assert.equal(r.findings[0]!.detail!.segment, 'token');
    assert.equal(r.findings[0]!.detail!.segments, n);
  }
});

test('empty header or payload segment is malformed, naming the segment', () => {
  assert.deepEqual(
    errorsOf(`.${b64url(P)}.AAAA`).map((e) => [e.code, e.segment]),
    [['malformed_token', 'header']],
  );
  assert.deepEqual(
    errorsOf(`${b64url(H)}..AAAA`).map((e) => [e.code, e.segment]),
    [['malformed_token', 'payload']],
  );
});

test('non-canonical base64url is rejected per segment (RFC 7515 section 2)', () => {
  const h = b64url(H);
  const p = b64url(P);
  const cases: [string, string, RegExp][] = [
    [`${h}=.${p}.AAAA`, 'header', /padding/],
    [`${h}.${p}.AA==`, 'signature', /padding/],
    [`${h}.${p.slice(0, 4)}+${p.slice(5)}.AAAA`, 'payload', /standard base64/],
    [`${h}.${p}.AA/A`, 'signature', /standard base64/],
    [`${h.slice(0, 5)} ${h.slice(5)}.${p}.AAAA`, 'header', /whitespace/],
    [`${h}.${p}.AB`, 'signature', /trailing bits/],
    [`${h}.${p}.AAB`, 'signature', /trailing bits/],
    [`${h}.${p}.AAAAA`, 'signature', /impossible length/],
  ];
  for (const [t, segment, problem] of cases) {
    const e = errorsOf(t);
    assert.equal(e.length, 1, t);
    assert.equal(e[0]!.code, 'malformed_token');
    assert.equal(e[0]!.segment, segment, t);
    assert.match(String(e[0]!.problem), problem, t);
  }
  // The canonical twins decode.
  assert.equal(decodeToken(`${h}.${p}.AA`).ok, true);
  assert.equal(decodeToken(`${h}.${p}.AAA`).ok, true);
});

test('base64urlProblem: canonical strings pass, every non-canonical form has a reason', () => {
  for (const ok of ['', 'AA', 'AAA', 'AAAA', 'QQ', 'QUI', '-_-_']) assert.equal(base64urlProblem(ok), null, ok);
  for (const bad of ['A', 'QR', 'QUJ', 'A=', 'A+', 'A/', 'A A', 'A\n', 'é']) assert.notEqual(base64urlProblem(bad), null, bad);
});

test('header and payload must be JSON objects', () => {
  const cases: [string, string][] = [
    [`${b64url('[1,2]')}.${b64url(P)}.AAAA`, 'header'],
    [`${b64url('"alg"')}.${b64url(P)}.AAAA`, 'header'],
    [`${b64url(H)}.${b64url('null')}.AAAA`, 'payload'],
    [`${b64url(H)}.${b64url('42')}.AAAA`, 'payload'],
    [`${b64url(H)}.${b64url('not json')}.AAAA`, 'payload'],
    [`${b64url('{"alg":"HS256",}')}.${b64url(P)}.AAAA`, 'header'],
  ];
  for (const [t, segment] of cases) {
    const e = errorsOf(t);
    assert.deepEqual(
      e.map((x) => [x.code, x.segment]),
      [['malformed_token', segment]],
      t,
    );
  }
});

test('duplicate member names are rejected, naming the member (header, payload, nested)', () => {
  const cases: [string, string, string][] = [
    [`${b64url('{"alg":"HS256","alg":"none"}')}.${b64url(P)}.AAAA`, 'header', 'alg'],
    [`${b64url(H)}.${b64url('{"sub":"a","sub":"b"}')}.AAAA`, 'payload', 'sub'],
    [`${b64url(H)}.${b64url('{"sub":"a","cnf":{"jkt":"x","jkt":"y"}}')}.AAAA`, 'payload', 'jkt'],
  ];
  for (const [t, segment, member] of cases) {
    const e = errorsOf(t);
    assert.equal(e.length, 1, t);
    assert.equal(e[0]!.segment, segment);
    assert.equal(e[0]!.member, member);
  }
  // The same name in two different objects is not a duplicate; neither is a ':' inside a string.
  assert.equal(decodeToken(`${b64url(H)}.${b64url('{"a":{"x":1},"b":{"x":2},"c":"k:v","d":["x:"]}')}.AAAA`).ok, true);
});

test('registered claims of the wrong JSON type are rejected, naming the claim', () => {
  const payload = { exp: '2000000000', iss: ['https://a'], aud: ['api', 1], nbf: true, iat: null, sub: 42, jti: {} };
  const r = decodeToken(rawToken(H, payload, 'AAAA'));
  assert.equal(r.ok, false);
  const claims = r.findings.map((f) => f.claim).sort();
  assert.deepEqual(claims, ['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sub']);
  for (const f of r.findings) {
    assert.equal(f.code, 'malformed_token');
    assert.equal(f.detail!.segment, 'payload');
    assert.deepEqual(f.actual, payload[f.claim as keyof typeof payload]);
  }
  // The decoded parts are still returned for display.
  assert.deepEqual((r as { payload?: unknown }).payload, payload);
  // Correct types pass: aud string or array of strings, fractional NumericDate.
  assert.equal(decodeToken(rawToken(H, { aud: ['a', 'b'], exp: 2000000000.5, iss: 'x' }, 'AAAA')).ok, true);
});

test('the size cap is checked before any decoding (default 16 KiB, configurable)', () => {
  assert.equal(DEFAULT_MAX_TOKEN_BYTES, 16384);
  const huge = '!'.repeat(DEFAULT_MAX_TOKEN_BYTES + 1);
  const r = decodeToken(huge);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.detail!.segment]),
    [['malformed_token', 'token']],
  );
  assert.equal(r.findings[0]!.detail!.maxBytes, DEFAULT_MAX_TOKEN_BYTES);
  assert.equal(r.findings[0]!.detail!.size, DEFAULT_MAX_TOKEN_BYTES + 1);
  const t = rawToken(H, { ...P, pad: 'x'.repeat(200) }, 'AAAA');
  assert.equal(decodeToken(t).ok, true);
  const capped = decodeToken(t, { maxBytes: 100 });
  assert.equal(capped.ok, false);
  assert.equal(capped.findings[0]!.detail!.maxBytes, 100);
  const big = rawToken(H, { pad: 'x'.repeat(20000) }, 'AAAA');
  assert.equal(decodeToken(big).ok, false);
  assert.equal(decodeToken(big, { maxBytes: 64 * 1024 }).ok, true);
});

test('header rules: alg missing or not a string, kid/typ not strings, b64:false, unknown crit', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ typ: 'JWT' }, 'header.alg'],
    [{ alg: 256 }, 'header.alg'],
    [{ alg: 'HS256', kid: 7 }, 'header.kid'],
    [{ alg: 'HS256', typ: ['JWT'] }, 'header.typ'],
    [{ alg: 'HS256', b64: false, crit: ['b64'] }, 'header.b64'],
    [{ alg: 'HS256', crit: ['exp'], exp: 1 }, 'header.crit'],
    [{ alg: 'HS256', crit: ['kid'], kid: 'a' }, 'header.crit'],
    [{ alg: 'HS256', crit: [] }, 'header.crit'],
    [{ alg: 'HS256', crit: 'exp' }, 'header.crit'],
    [{ alg: 'HS256', crit: ['missing'] }, 'header.crit'],
  ];
  for (const [header, claim] of cases) {
    const r = decodeToken(rawToken(header, P, 'AAAA'));
    assert.equal(r.ok, false, JSON.stringify(header));
    assert.ok(
      r.findings.some((f) => f.code === 'malformed_token' && f.claim === claim),
      JSON.stringify(header),
    );
  }
  const crit = decodeToken(rawToken({ alg: 'HS256', crit: ['exp'], exp: 1 }, P, 'AAAA'));
  assert.deepEqual(crit.findings.find((f) => f.claim === 'header.crit')!.detail!.members, ['exp']);
});

test('every problem is reported, not only the first', () => {
  const t = `${b64url('{"alg":"HS256","alg":"x"}')}.${b64url({ exp: 'soon', iss: 1 })}.AB`;
  const e = errorsOf(t);
  assert.deepEqual(e.map((x) => x.segment ?? x.claim).sort(), ['header', 'payload', 'payload', 'signature']);
});

test('peekToken returns the parts that parse and never throws', () => {
  const r = peekToken(`${b64url(H)}.${b64url('nope')}.AAAA`);
  assert.deepEqual(r.header, H);
  assert.equal(r.payload, undefined);
  const alphabet = 'ABCxyz019-_.=+/ {}"\n';
  let seed = 7;
  for (let i = 0; i < 500; i++) {
    let s = '';
    const n = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 60;
    for (let j = 0; j < n; j++) s += alphabet[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length];
    assert.doesNotThrow(() => peekToken(s));
  }
});
