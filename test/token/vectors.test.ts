/**
 * RFC 7515 Appendix A and RFC 7520 section 4 vectors (test/fixtures/*.json,
 * copied from the RFCs / the ietf-jose cookbook): decode, key import and
 * signature verification against the published values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeToken } from '../../src/token/decode.ts';
import { importJwk, jwkThumbprint } from '../../src/keys/import.ts';
import { getAlgorithm } from '../../src/keys/algorithms.ts';
import { verifyWithKey } from '../../src/checks/signature.ts';
import { buildDiagnoser } from '../../src/diagnose.ts';

interface Vector {
  id: string;
  alg: string;
  token: string;
  key?: Record<string, unknown>;
  payloadIsJson?: boolean;
}
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as {
    vectors: Vector[];
    exp?: number;
    thumbprint?: { jwk: Record<string, unknown>; thumbprint: string };
  };
const A = load('rfc7515-appendix-a.json');
const C = load('rfc7520-section4.json');
const BEFORE_EXP = A.exp! - 60; // the vectors' exp is 2011-03-22: evaluate before it

function verifies(v: Vector, token = v.token): boolean {
  const [h, p, s] = token.split('.');
  const alg = getAlgorithm(v.alg)!;
  return verifyWithKey(alg, importJwk(v.key, { kind: 'jwk' }), `${h}.${p}`, Buffer.from(s!, 'base64url'));
}

function flipLastSignatureChar(token: string): string {
  const i = token.lastIndexOf('.');
  const sig = Buffer.from(token.slice(i + 1), 'base64url');
  sig[0]! ^= 1;
  return token.slice(0, i + 1) + sig.toString('base64url');
}

test('RFC 7515 A.1-A.3: decode strictly (CRLF-formatted JSON) and diagnose as valid with the published key', () => {
  for (const v of A.vectors.filter((x) => ['A.1', 'A.2', 'A.3'].includes(x.id))) {
    const r = decodeToken(v.token);
    assert.equal(r.ok, true, v.id);
    if (!r.ok) continue;
    assert.equal(r.token.header.alg, v.alg);
    assert.deepEqual(r.token.payload, { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    const d = buildDiagnoser({ issuer: ['joe'] }, { keys: [importJwk(v.key, { kind: 'jwk' })] }).diagnose(v.token, { now: BEFORE_EXP });
    assert.equal(d.result, 'valid', v.id);
    assert.equal(d.signature.status, 'pass', v.id);
    assert.deepEqual(
      d.findings.filter((f) => f.severity === 'error'),
      [],
      v.id,
    );
    // After exp (2011-03-22T18:43:00Z) the same token is expired, signature still good.
    const late = buildDiagnoser({}, { keys: [importJwk(v.key, { kind: 'jwk' })] }).diagnose(v.token, { now: A.exp! + 3600 });
    assert.equal(late.result, 'token_expired', v.id);
    assert.equal(late.signature.status, 'pass', v.id);
    // A flipped signature bit fails.
    const bad = buildDiagnoser({}, { keys: [importJwk(v.key, { kind: 'jwk' })] }).diagnose(flipLastSignatureChar(v.token), {
      now: BEFORE_EXP,
    });
    assert.equal(bad.result, 'signature_invalid', v.id);
  }
});

test('RFC 7515 A.1 header carries typ JWT; A.3 carries none (typ is optional)', () => {
  const a1 = decodeToken(A.vectors[0]!.token);
  const a3 = decodeToken(A.vectors[2]!.token);
  assert.ok(a1.ok && a3.ok);
  if (!a1.ok || !a3.ok) return;
  assert.equal(a1.token.header.typ, 'JWT');
  assert.equal('typ' in a3.token.header, false);
});

test('RFC 7515 A.4 (ES512 over the non-JSON payload "Payload"): signature verifies; decode says the payload is not a claims set', () => {
  const v = A.vectors.find((x) => x.id === 'A.4')!;
  assert.equal(verifies(v), true);
  assert.equal(verifies(v, flipLastSignatureChar(v.token)), false);
  const r = decodeToken(v.token);
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.detail!.segment]),
    [['malformed_token', 'payload']],
  );
});

test('RFC 7515 A.5 (unsecured JWS) is alg_none, whatever the keys and algorithms', () => {
  const v = A.vectors.find((x) => x.id === 'A.5')!;
  const keyed = buildDiagnoser({}, { keys: [importJwk(A.vectors[0]!.key, { kind: 'jwk' })] }).diagnose(v.token, { now: BEFORE_EXP });
  assert.equal(keyed.result, 'alg_none');
  assert.equal(keyed.signature.status, 'skipped');
  const keyless = buildDiagnoser({}, { keys: [] }).diagnose(v.token, { now: BEFORE_EXP });
  assert.equal(keyless.result, 'alg_none');
  const listed = buildDiagnoser({ algorithms: ['none', 'HS256'] }, { keys: [] }).diagnose(v.token, { now: BEFORE_EXP });
  assert.equal(listed.result, 'alg_none');
  assert.deepEqual(listed.expected.algorithms, ['HS256']);
});

test('RFC 7520 4.1-4.4: signatures verify with the cookbook keys (4.2 PS384 and 4.3 ES512 are randomized: verify only)', () => {
  for (const v of C.vectors) {
    assert.equal(verifies(v), true, v.id);
    assert.equal(verifies(v, flipLastSignatureChar(v.token)), false, v.id);
    const rec = importJwk(v.key, { kind: 'jwk' });
    assert.equal(rec.kid, v.key!.kid);
    assert.ok(rec.algorithms.includes(v.alg), v.id);
  }
  // 4.4's JWK declares alg HS256: it then verifies only HS256.
  assert.deepEqual(importJwk(C.vectors[3]!.key, { kind: 'jwk' }).algorithms, ['HS256']);
});

test('RFC 7520 vectors carry a plaintext payload: decode names the payload segment, header kid is read', () => {
  for (const v of C.vectors) {
    const r = decodeToken(v.token);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.findings.map((f) => f.detail!.segment),
      ['payload'],
      v.id,
    );
    assert.equal((r as { header?: Record<string, unknown> }).header!.kid, v.key!.kid);
  }
});

test('RFC 7638 section 3.1: the example key thumbprint', () => {
  assert.equal(jwkThumbprint(A.thumbprint!.jwk), A.thumbprint!.thumbprint);
  assert.equal(importJwk(A.thumbprint!.jwk, { kind: 'jwk' }).thumbprint, A.thumbprint!.thumbprint);
});
