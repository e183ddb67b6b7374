/**
 * src/checks/signature.ts, each exported function called directly: the
 * algorithm gate, key references, key selection (every branch), the
 * per-family verifiers (sync and thread pool), the signature report and
 * key provenance, with codes and structured fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAlgorithm,
  checkKeyReferences,
  MAX_CANDIDATE_KEYS,
  selectKeys,
  signatureReport,
  verifierFor,
  verifyWithKey,
  verifyWithKeyAsync,
} from '../../src/checks/signature.ts';
import { findProvenance } from '../../src/forensics/apply_probes.ts';
import { getAlgorithm, type AlgorithmEntry } from '../../src/keys/algorithms.ts';
import { importJwk, importSecretText, type KeyRecord } from '../../src/keys/import.ts';
import { decodeToken, type DecodedToken } from '../../src/token/decode.ts';
import { ALL_ALGS, NOW, claimsAt, codes, makeKey, signToken, type TestKey } from '../helpers/index.ts';

const alg = (name: string): AlgorithmEntry => {
  const a = getAlgorithm(name);
  assert.ok(a, name);
  return a;
};

/** The KeyRecord the diagnoser would hold for a test key. */
function record(key: TestKey, env?: string): KeyRecord {
  if (key.secret)
    return importSecretText(
      key.secret.toString('base64url'),
      'base64url',
      { kind: 'secret', location: 'test', ...(env ? { env } : {}) },
      key.kid !== undefined ? { kid: key.kid } : {},
    );
  return importJwk(key.publicJwk, { kind: 'jwk', ...(env ? { env } : {}) });
}

function decoded(token: string): DecodedToken {
  const r = decodeToken(token);
  assert.ok(r.ok);
  return r.token;
}

test('checkAlgorithm: alg none in any case, unknown and unlisted algs are findings; an allowed one resolves', () => {
  const allowed = new Set(['RS256', 'ES256']);
  for (const none of ['none', 'None', 'NONE']) {
    const r = checkAlgorithm({ alg: none }, allowed);
    assert.deepEqual(codes(r), ['alg_none']);
    assert.deepEqual([r.findings[0]!.claim, r.findings[0]!.expected, r.findings[0]!.actual], ['header.alg', ['RS256', 'ES256'], none]);
    assert.equal(r.alg, undefined);
  }
  const unknown = checkAlgorithm({ alg: 'XS256' }, allowed);
  assert.deepEqual([codes(unknown), unknown.findings[0]!.detail], [['alg_not_allowed'], { known: false }]);
  const unlisted = checkAlgorithm({ alg: 'HS256' }, allowed);
  assert.deepEqual([codes(unlisted), unlisted.findings[0]!.detail], [['alg_not_allowed'], { known: true }]);
  const ok = checkAlgorithm({ alg: 'ES256' }, allowed);
  assert.deepEqual(ok.findings, []);
  assert.equal(ok.alg, alg('ES256'));
});

test('checkKeyReferences: jku, x5u, jwk and x5c are reported as ignored, never followed', () => {
  assert.deepEqual(checkKeyReferences({ alg: 'RS256', kid: 'k' }), []);
  const [f, ...rest] = checkKeyReferences({ alg: 'RS256', jku: 'https://evil', x5c: [] });
  assert.equal(rest.length, 0);
  assert.equal(f!.code, 'untrusted_key_reference');
  assert.deepEqual([f!.claim, f!.actual, f!.detail], ['header', ['jku', 'x5c'], { members: ['jku', 'x5c'], ignored: true }]);
});

test('selectKeys with a kid: that key only, never a fall-back to another kid; kid-less keys still serve', () => {
  const k1 = record(makeKey('RS256', { kid: 'k1', jwkAlg: true }));
  const k2 = record(makeKey('RS256', { kid: 'k2', jwkAlg: true }));
  const pem = record(makeKey('RS256'));
  const rs = alg('RS256');
  assert.deepEqual(selectKeys({ kid: 'k2' }, rs, [k1, k2]).keys, [k2]);
  const missing = selectKeys({ kid: 'k9' }, rs, [k1, k2]);
  assert.deepEqual([missing.keys, codes(missing)], [[], ['key_not_found']]);
  assert.deepEqual(
    [missing.findings[0]!.expected, missing.findings[0]!.actual, missing.findings[0]!.detail],
    [['k1', 'k2'], 'k9', { alg: 'RS256', trustedKeys: 2 }],
  );
  assert.deepEqual(selectKeys({ kid: 'k9' }, rs, [k1, pem]).keys, [pem], 'a key without kid serves any kid');
});

test('selectKeys: a kid naming a key of another type, or no key of the type at all, is algorithm confusion', () => {
  const rsa = record(makeKey('RS256', { kid: 'k1', jwkAlg: true }));
  const byKid = selectKeys({ kid: 'k1' }, alg('HS256'), [rsa]);
  assert.deepEqual(codes(byKid), ['alg_not_allowed']);
  assert.deepEqual(
    [byKid.findings[0]!.expected, byKid.findings[0]!.actual, byKid.findings[0]!.detail],
    [['RS256'], 'HS256', { kid: 'k1', keyType: 'RSA', reason: 'alg_key_type_mismatch' }],
  );
  const noKid = selectKeys({}, alg('HS256'), [rsa]);
  assert.deepEqual(codes(noKid), ['alg_not_allowed']);
  assert.deepEqual(noKid.findings[0]!.detail, { keyType: 'RSA', reason: 'alg_key_type_mismatch' });
});

test('selectKeys without a kid: every fitting key; no key at all or none fitting is key_not_found', () => {
  const a = record(makeKey('ES256', { kid: 'a' }));
  const b = record(makeKey('ES256', { kid: 'b' }));
  assert.deepEqual(selectKeys({}, alg('ES256'), [a, b]).keys, [a, b]);
  const none = selectKeys({}, alg('ES256'), []);
  assert.deepEqual(codes(none), ['key_not_found']);
  const f = none.findings[0]!;
  assert.equal(f.expected, undefined);
  assert.equal('actual' in f, false, 'no kid and no keys: nothing to show as a value');
  assert.deepEqual(f.detail, { alg: 'ES256', trustedKeys: 0, tokenHasKid: false, reason: 'no_trusted_keys' });
  // ES384 against P-256 keys: same key type, no key for that alg.
  const other = selectKeys({}, alg('ES384'), [a]);
  assert.deepEqual(
    [codes(other), other.findings[0]!.actual, other.findings[0]!.detail],
    [['key_not_found'], null, { alg: 'ES384', trustedKeys: 1, tokenHasKid: false }],
  );
});

test('selectKeys: keys for encryption or without the verify operation never verify', () => {
  const base = makeKey('RS256', { kid: 'k', jwkAlg: true });
  const enc = importJwk({ ...base.publicJwk, use: 'enc' }, { kind: 'jwk' });
  const signOnly = importJwk({ ...base.publicJwk, key_ops: ['sign'] }, { kind: 'jwk' });
  const verify = importJwk({ ...base.publicJwk, use: 'sig', key_ops: ['verify'] }, { kind: 'jwk' });
  // The kid names keys that exist but are excluded (issue 11: key_use_excluded): key_not_found says which member excluded them.
  const excluded = selectKeys({ kid: 'k' }, alg('RS256'), [enc, signOnly]);
  assert.deepEqual(
    [codes(excluded), excluded.findings[0]!.owner, excluded.findings[0]!.detail!.reason],
    [['key_not_found'], 'signer', 'key_use_excluded'],
  );
  assert.deepEqual(
    (excluded.findings[0]!.detail!.excludedKeys as { member: string }[]).map((k) => k.member),
    ['use', 'key_ops'],
  );
  assert.deepEqual(selectKeys({ kid: 'k' }, alg('RS256'), [enc, signOnly, verify]).keys, [verify]);
});

test(`selectKeys: more than ${MAX_CANDIDATE_KEYS} candidates is key_not_found (too_many_candidates)`, () => {
  const keys = Array.from({ length: MAX_CANDIDATE_KEYS + 1 }, () => record(makeKey('HS256')));
  const r = selectKeys({}, alg('HS256'), keys);
  assert.deepEqual([r.keys, codes(r)], [[], ['key_not_found']]);
  assert.deepEqual(r.findings[0]!.detail, {
    alg: 'HS256',
    reason: 'too_many_candidates',
    candidates: MAX_CANDIDATE_KEYS + 1,
    maxCandidates: MAX_CANDIDATE_KEYS,
    trustedKeys: MAX_CANDIDATE_KEYS + 1,
    tokenHasKid: false,
  });
  assert.equal(selectKeys({}, alg('HS256'), keys.slice(0, MAX_CANDIDATE_KEYS)).keys.length, MAX_CANDIDATE_KEYS);
  const withKid = selectKeys({ kid: 'x' }, alg('HS256'), keys);
  assert.equal(withKid.findings[0]!.detail!.kid, 'x');
});

test('verifyWithKey and verifyWithKeyAsync agree for every algorithm: valid, flipped bit, other key', async () => {
  for (const name of ALL_ALGS) {
    const key = makeKey(name, { fresh: true });
    const other = makeKey(name, { fresh: true });
    const t = decoded(signToken(key, claimsAt(NOW)));
    const flipped = Buffer.from(t.signature);
    flipped[0]! ^= 1;
    const a = alg(name);
    assert.equal(verifierFor(a), verifierFor(a), `${name}: one verifier per algorithm`);
    for (const [k, sig, want] of [
      [key, t.signature, true],
      [key, flipped, false],
      [other, t.signature, false],
    ] as const) {
      assert.equal(verifyWithKey(a, record(k), t.signingInput, sig), want, `${name} sync`);
      assert.equal(await verifyWithKeyAsync(a, record(k), t.signingInput, sig), want, `${name} async`);
    }
  }
});

test('an ECDSA signature of the wrong length (DER, truncated) fails without calling crypto', async () => {
  const key = makeKey('ES256');
  const t = decoded(signToken(key, claimsAt(NOW)));
  for (const sig of [t.signature.subarray(0, 63), Buffer.concat([t.signature, Buffer.from([0])])]) {
    assert.equal(verifyWithKey(alg('ES256'), record(key), t.signingInput, sig), false);
    assert.equal(await verifyWithKeyAsync(alg('ES256'), record(key), t.signingInput, sig), false);
  }
});

test('signatureReport: status, alg, candidates and the key identity (never key material)', () => {
  assert.deepEqual(signatureReport('skipped', undefined, undefined, 0), { status: 'skipped', candidates: 0 });
  const rsa = record(makeKey('RS256', { kid: 'k1' }));
  assert.deepEqual(signatureReport('pass', alg('RS256'), rsa, 1), {
    status: 'pass',
    candidates: 1,
    alg: 'RS256',
    kid: 'k1',
    thumbprint: rsa.thumbprint,
    source: { kind: 'jwk' },
  });
  const hs = record(makeKey('HS256'));
  const r = signatureReport('fail', alg('HS256'), hs, 2);
  assert.deepEqual(r, {
    status: 'fail',
    candidates: 2,
    alg: 'HS256',
    fingerprint: hs.fingerprint,
    source: { kind: 'secret', location: 'test', encoding: 'base64url' },
  });
});

test("findProvenance: the trusted secret under another encoding, then another environment's key", () => {
  const secret = 'provenance-secret-0123456789abcdef';
  const hs = makeKey('HS256', { secret: Buffer.from(secret) });
  const token = decoded(signToken(hs, claimsAt(NOW)));
  // Configured as base64url, the text verifies only when read as utf8.
  const trusted = importSecretText(secret, 'base64url', { kind: 'secret', location: 'JWT_SECRET' });
  const [mismatch, ...rest] = findProvenance(token, token.header, [trusted], []);
  assert.equal(rest.length, 0);
  assert.equal(mismatch!.code, 'secret_encoding_mismatch');
  assert.deepEqual([mismatch!.expected, mismatch!.actual], ['base64url', 'utf8']);
  assert.notEqual(mismatch!.detail!.fingerprint, trusted.fingerprint, 'the reading that verifies is another secret');
  assert.equal(mismatch!.detail!.cause, 'secret_encoding');
  assert.deepEqual(
    { ...mismatch!.detail, cause: undefined, evidence: undefined },
    {
      cause: undefined,
      evidence: undefined,
      verifiesAs: 'utf8',
      configuredEncoding: 'base64url',
      fingerprint: mismatch!.detail!.fingerprint,
      configuredFingerprint: trusted.fingerprint,
      location: 'JWT_SECRET',
    },
  );

  const es = makeKey('ES256', { kid: 'p1' });
  const esToken = decoded(signToken(es, claimsAt(NOW)));
  const prod = record(es, 'prod');
  const found = findProvenance(esToken, esToken.header, [], [record(makeKey('ES256', { kid: 'p1' }), 'staging'), prod]);
  assert.deepEqual(codes(found), ['key_from_other_environment']);
  assert.equal(found[0]!.actual, 'prod');
  assert.equal(found[0]!.detail!.cause, 'key_from_other_environment');
  assert.deepEqual(
    { ...found[0]!.detail, cause: undefined, evidence: undefined },
    {
      cause: undefined,
      evidence: undefined,
      env: 'prod',
      key: { kty: 'EC', kid: 'p1', crv: 'P-256', thumbprint: prod.thumbprint, source: { kind: 'jwk', env: 'prod' } },
    },
  );
});

test('findProvenance: nothing for an unknown alg, another kid, or a spent budget', () => {
  const es = makeKey('ES256', { kid: 'p1' });
  const t = decoded(signToken(es, claimsAt(NOW)));
  const prod = record(es, 'prod');
  assert.deepEqual(findProvenance(t, { ...t.header, alg: 'XS256' }, [], [prod]), []);
  assert.deepEqual(findProvenance(t, { ...t.header, kid: 'other' }, [], [prod]), []);
  const budget = { remaining: 0 };
  assert.deepEqual(findProvenance(t, t.header, [], [prod], budget), []);
  assert.equal(budget.remaining, 0);
  const one = { remaining: 1 };
  assert.equal(findProvenance(t, t.header, [], [prod], one).length, 1);
  assert.equal(one.remaining, 0, 'each verification spends one');
});
