/**
 * The diagnosis core (issue 2, requirements 4-5): every check runs, codes
 * and structured fields, result ranking. Fixed clock through `now`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildDiagnoser, DIAGNOSIS_SCHEMA } from '../src/diagnose.ts';
import { createDiagnoser, diagnose } from '../src/diagnose/create_diagnoser.ts';
import { importJwk, importPem, importSecretText, type KeyRecord } from '../src/keys/import.ts';
import { rankResult, makeFinding, REASONS, type ReasonCode } from '../src/reasons.ts';
import type { Expectations } from '../src/expectations.ts';
import { b64url, claimsAt, makeKey, signJws, spkiPem, type TestKey } from './helpers/mint.ts';
import { codes, NOW } from './helpers/index.ts';

const ISS = 'https://auth.example.com';
const src = { kind: 'jwk' as const };
const rec = (k: TestKey, kid = k.kid): KeyRecord =>
  k.secret
    ? importSecretText(k.secret.toString('base64'), 'base64', { kind: 'secret', location: 'literal' }, kid !== undefined ? { kid } : {})
    : importJwk({ ...k.publicJwk, ...(kid !== undefined ? { kid } : {}) }, src);
const find = (d: { findings: { code: string }[] }, code: ReasonCode) =>
  d.findings.find((f) => f.code === code) as ReturnType<typeof makeFinding> | undefined;

const rs = makeKey('RS256', { kid: 'rs-1' });
const es = makeKey('ES256', { kid: 'es-1' });
const hs = makeKey('HS256');

test('a good token is valid; the report has the versioned shape', () => {
  const d = buildDiagnoser({ issuer: [ISS], audience: ['api'] }, { keys: [rec(rs)] }).diagnose(signJws(rs, claimsAt(NOW)), { now: NOW });
  assert.equal(d.schema, DIAGNOSIS_SCHEMA);
  assert.equal(d.result, 'valid');
  assert.deepEqual(d.findings, []);
  assert.equal(d.signature.status, 'pass');
  assert.equal(d.signature.kid, 'rs-1');
  assert.equal(d.signature.alg, 'RS256');
  assert.equal(typeof d.signature.thumbprint, 'string');
  assert.equal(d.clock.now, NOW);
  assert.equal(d.clock.tokenAgeSeconds, 60);
  assert.equal(d.claims!.sub, 'user-1');
  assert.equal(d.header!.kid, 'rs-1');
});

test('every check runs: a token with many faults reports all of them', () => {
  const other = makeKey('RS256', { kid: 'rs-1', fresh: true }); // same kid, wrong key
  const token = signJws(
    other,
    { iss: `${ISS}/`, aud: 'web', iat: NOW - 7200, exp: NOW - 3600, scope: 'read' },
    { header: { typ: 'at+jwt' } },
  );
  const exp: Expectations = {
    issuer: [ISS],
    audience: ['api'],
    typ: 'JWT',
    requiredClaims: ['sub'],
    claims: { scope: { includes: 'write' } },
    maxTokenAgeSeconds: 600,
  };
  const d = buildDiagnoser(exp, { keys: [rec(rs)] }).diagnose(token, { now: NOW });
  for (const c of [
    'signature_invalid',
    'token_expired',
    'token_too_old',
    'issuer_mismatch',
    'audience_mismatch',
    'typ_mismatch',
    'missing_claim',
    'claim_mismatch',
  ] as const) {
    assert.ok(codes(d).includes(c), c);
  }
  assert.equal(d.result, 'signature_invalid');
  assert.equal(d.signature.status, 'fail');
});

test('result ranks the most fundamental failure (DESIGN.md order)', () => {
  const f = (c: ReasonCode) => makeFinding(c);
  assert.equal(rankResult([]), 'valid');
  assert.equal(rankResult([makeFinding('header_malformed', { severity: 'warning' })]), 'valid');
  assert.equal(rankResult([f('issuer_mismatch'), f('audience_mismatch')]), 'claim_mismatch');
  assert.equal(rankResult([f('typ_mismatch')]), 'claim_mismatch');
  assert.equal(rankResult([f('issuer_mismatch'), f('token_expired')]), 'token_expired');
  assert.equal(rankResult([f('token_expired'), f('signature_invalid')]), 'signature_invalid');
  assert.equal(rankResult([f('signature_invalid'), f('key_not_found')]), 'key_not_found');
  assert.equal(rankResult([f('jwks_unreachable'), f('alg_not_allowed')]), 'alg_not_allowed');
  assert.equal(rankResult([f('alg_none'), f('malformed_token')]), 'malformed_token');
  assert.equal(rankResult([f('malformed_token'), f('header_missing')]), 'header_missing');
  assert.equal(rankResult([f('multiple_tokens'), f('token_encrypted')]), 'multiple_tokens');
  // Advice (info/warning) never decides the result.
  assert.equal(rankResult([f('key_from_other_environment'), f('clock_skew_suspected'), f('untrusted_key_reference')]), 'valid');
});

test('result on real diagnoses: claim_mismatch < time < signature < key < algorithm < token < transport', () => {
  const d = buildDiagnoser({ issuer: [ISS] }, { keys: [rec(rs)] });
  assert.equal(d.diagnose(signJws(rs, claimsAt(NOW, { iss: 'x' })), { now: NOW }).result, 'claim_mismatch');
  assert.equal(d.diagnose(signJws(rs, claimsAt(NOW, { iss: 'x', exp: NOW - 1000 })), { now: NOW }).result, 'token_expired');
  assert.equal(d.diagnose(signJws(rs, claimsAt(NOW, { exp: NOW - 1000 })) + 'AA', { now: NOW }).result, 'signature_invalid');
  assert.equal(d.diagnose(signJws(makeKey('RS256', { kid: 'nope' }), claimsAt(NOW)), { now: NOW }).result, 'key_not_found');
  assert.equal(d.diagnose(signJws(hs, claimsAt(NOW)), { now: NOW }).result, 'alg_not_allowed');
  assert.equal(d.diagnose('a.b', { now: NOW }).result, 'malformed_token');
  assert.equal(d.diagnose('', { now: NOW }).result, 'header_missing');
});

test('alg none in any case is alg_none, never verified', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const token = `${b64url({ alg, typ: 'JWT' })}.${b64url(claimsAt(NOW))}.`;
    const d = buildDiagnoser({ algorithms: ['HS256'] }, { keys: [rec(hs)] }).diagnose(token, { now: NOW });
    assert.equal(d.result, 'alg_none', alg);
    assert.equal(find(d, 'alg_none')!.actual, alg);
    assert.notEqual(d.signature.status, 'pass');
  }
});

test('alg_not_allowed: outside the contract list, unknown, or not verifiable by any key', () => {
  const d1 = buildDiagnoser({ algorithms: ['ES256'] }, { keys: [rec(rs), rec(es)] }).diagnose(signJws(rs, claimsAt(NOW)), { now: NOW });
  assert.equal(d1.result, 'alg_not_allowed');
  assert.deepEqual(find(d1, 'alg_not_allowed')!.expected, ['ES256']);
  assert.equal(find(d1, 'alg_not_allowed')!.actual, 'RS256');
  const d2 = buildDiagnoser({}, { keys: [rec(rs)] }).diagnose(`${b64url({ alg: 'XS999' })}.${b64url(claimsAt(NOW))}.AAAA`, { now: NOW });
  assert.equal(d2.result, 'alg_not_allowed');
  assert.equal(find(d2, 'alg_not_allowed')!.detail!.known, false);
});

test('no algorithms given: allowed = what the keys can verify, never none', () => {
  const d = buildDiagnoser({}, { keys: [rec(es)] });
  const r = d.diagnose(signJws(es, claimsAt(NOW)), { now: NOW });
  assert.deepEqual(r.expected.algorithms, ['ES256']);
  assert.equal(r.result, 'valid');
  const hsOnly = buildDiagnoser({}, { keys: [rec(hs)] }).diagnose(signJws(hs, claimsAt(NOW)), { now: NOW });
  assert.deepEqual(hsOnly.expected.algorithms, ['HS256', 'HS384', 'HS512']);
  assert.ok(!hsOnly.expected.algorithms.some((a) => a.toLowerCase() === 'none'));
  const rsOnly = buildDiagnoser({}, { keys: [rec(rs)] }).diagnose(signJws(rs, claimsAt(NOW)), { now: NOW });
  assert.deepEqual(rsOnly.expected.algorithms, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
});

test('algorithm confusion: an HS256 token "signed" with the RSA public key never verifies', () => {
  const pem = spkiPem(rs);
  const jwk = JSON.stringify(rs.publicJwk);
  for (const secretText of [pem, pem.trim(), jwk]) {
    const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claimsAt(NOW))}`;
    const forged = `${input}.${createHmac('sha256', secretText).update(input).digest('base64url')}`;
    for (const keys of [[importPem(pem, { kind: 'pem' })], [rec(rs)]]) {
      for (const algorithms of [undefined, ['RS256', 'HS256']]) {
        const d = buildDiagnoser(algorithms ? { algorithms } : {}, { keys }).diagnose(forged, { now: NOW });
        assert.notEqual(d.signature.status, 'pass');
        assert.notEqual(d.result, 'valid');
        assert.equal(d.result, 'alg_not_allowed');
      }
    }
    // Allowed by the contract but no key of type oct: still algorithm confusion.
    const listed = buildDiagnoser({ algorithms: ['RS256', 'HS256'] }, { keys: [rec(rs)] }).diagnose(forged, { now: NOW });
    assert.equal(find(listed, 'alg_not_allowed')!.detail!.reason, 'alg_key_type_mismatch');
    // With a kid naming the RSA key: alg_not_allowed, reason alg_key_type_mismatch.
    const withKid = `${b64url({ alg: 'HS256', kid: 'rs-1' })}.${b64url(claimsAt(NOW))}`;
    const forged2 = `${withKid}.${createHmac('sha256', secretText).update(withKid).digest('base64url')}`;
    const d = buildDiagnoser({ algorithms: ['RS256', 'HS256'] }, { keys: [rec(rs)] }).diagnose(forged2, { now: NOW });
    assert.equal(d.result, 'alg_not_allowed');
    assert.equal(find(d, 'alg_not_allowed')!.detail!.reason, 'alg_key_type_mismatch');
  }
});

test('kid-less keys serve any token whose alg fits; kid selects among keys with kids, no fall-back', () => {
  const pemKey = importPem(spkiPem(es), { kind: 'pem' });
  // A PEM (no kid) verifies a token with or without a kid.
  for (const kid of [undefined, 'whatever']) {
    const t = signJws({ ...es, kid }, claimsAt(NOW));
    assert.equal(buildDiagnoser({}, { keys: [pemKey] }).diagnose(t, { now: NOW }).result, 'valid', String(kid));
  }
  // A key set with kids: the token's kid picks k2; k1 would verify but is never tried.
  const k1 = makeKey('ES256', { kid: 'k1' });
  const k2 = makeKey('ES256', { kid: 'k2' });
  const signedByK1ClaimingK2 = signJws({ ...k1, kid: 'k2' }, claimsAt(NOW));
  const d = buildDiagnoser({}, { keys: [rec(k1), rec(k2)] }).diagnose(signedByK1ClaimingK2, { now: NOW });
  assert.equal(d.result, 'signature_invalid');
  assert.equal(d.signature.candidates, 1);
  // An unknown kid: key_not_found naming the kid and the kids on offer.
  const unknown = buildDiagnoser({}, { keys: [rec(k1), rec(k2)] }).diagnose(signJws({ ...k1, kid: 'k9' }, claimsAt(NOW)), { now: NOW });
  assert.equal(unknown.result, 'key_not_found');
  const f = find(unknown, 'key_not_found')!;
  assert.equal(f.actual, 'k9');
  assert.deepEqual(f.expected, ['k1', 'k2']);
  // A token without kid against a set with kids: every fitting key is a candidate.
  const noKid = buildDiagnoser({}, { keys: [rec(k2), rec(k1)] }).diagnose(signJws({ ...k1, kid: undefined }, claimsAt(NOW)), { now: NOW });
  assert.equal(noKid.result, 'valid');
  assert.equal(noKid.signature.kid, 'k1');
});

test('jku, x5u, jwk and x5c in the header are never used: an embedded jwk that would verify is ignored', () => {
  const attacker = makeKey('ES256', { kid: 'es-1', fresh: true });
  const token = signJws(attacker, claimsAt(NOW), {
    header: { jwk: attacker.publicJwk, jku: 'http://127.0.0.1:9/jwks', x5u: 'http://127.0.0.1:9/x5u', x5c: ['MIIB'] },
  });
  const d = buildDiagnoser({}, { keys: [rec(es)] }).diagnose(token, { now: NOW });
  assert.equal(d.result, 'signature_invalid');
  assert.equal(d.signature.status, 'fail');
  const ref = find(d, 'untrusted_key_reference')!;
  assert.deepEqual(ref.detail!.members, ['jku', 'x5u', 'jwk', 'x5c']);
  assert.equal(ref.detail!.ignored, true);
  // With no trusted key at all, still no pass.
  const none = buildDiagnoser({}, { keys: [] }).diagnose(token, { now: NOW });
  assert.notEqual(none.signature.status, 'pass');
  assert.equal(none.result, 'key_not_found');
});

test('unknown crit is malformed_token; the signature is then not checked but claims are', () => {
  const token = signJws(es, claimsAt(NOW, { iss: 'other' }), { header: { crit: ['urn:example:x'], 'urn:example:x': 1 } });
  const d = buildDiagnoser({ issuer: [ISS] }, { keys: [rec(es)] }).diagnose(token, { now: NOW });
  assert.equal(d.result, 'malformed_token');
  assert.equal(find(d, 'malformed_token')!.claim, 'header.crit');
  assert.equal(d.signature.status, 'skipped');
  assert.ok(codes(d).includes('issuer_mismatch'));
});

test('issuer: any of a list; exact comparison', () => {
  const d = buildDiagnoser({ issuer: ['https://a', ISS] }, { keys: [rec(es)] });
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW)), { now: NOW }).result, 'valid');
  const miss = d.diagnose(signJws(es, claimsAt(NOW, { iss: 'https://b' })), { now: NOW });
  const f = find(miss, 'issuer_mismatch')!;
  assert.deepEqual(f.expected, ['https://a', ISS]);
  assert.equal(f.actual, 'https://b');
  assert.equal(f.claim, 'iss');
  assert.equal(f.owner, REASONS.issuer_mismatch.owner);
  const absent = d.diagnose(signJws(es, claimsAt(NOW, { iss: undefined })), { now: NOW });
  assert.equal(find(absent, 'missing_claim')!.claim, 'iss');
});

test('audience: any-of, token aud as array or string', () => {
  const d = buildDiagnoser({ audience: ['api', 'api2'] }, { keys: [rec(es)] });
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW, { aud: 'api2' })), { now: NOW }).result, 'valid');
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW, { aud: ['web', 'api'] })), { now: NOW }).result, 'valid');
  const miss = d.diagnose(signJws(es, claimsAt(NOW, { aud: ['web', 'mobile'] })), { now: NOW });
  const f = find(miss, 'audience_mismatch')!;
  assert.deepEqual(f.actual, ['web', 'mobile']);
  assert.deepEqual(f.expected, ['api', 'api2']);
  assert.equal(miss.result, 'claim_mismatch');
});

test('typ: case-insensitive, "application/" optional; at+jwt vs JWT is a mismatch', () => {
  const d = buildDiagnoser({ typ: 'at+jwt' }, { keys: [rec(es)] });
  for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt'])
    assert.equal(d.diagnose(signJws(es, claimsAt(NOW), { header: { typ } }), { now: NOW }).result, 'valid', typ);
  const miss = d.diagnose(signJws(es, claimsAt(NOW), { header: { typ: 'JWT' } }), { now: NOW });
  const f = find(miss, 'typ_mismatch')!;
  assert.equal(f.claim, 'header.typ');
  assert.equal(f.expected, 'at+jwt');
  assert.equal(f.actual, 'JWT');
  const absent = d.diagnose(signJws(es, claimsAt(NOW), { header: { typ: undefined } }), { now: NOW });
  assert.equal(find(absent, 'typ_mismatch')!.actual, null);
});

test('required claims and expected claim values (azp equals, scope includes, oneOf)', () => {
  const exp: Expectations = {
    requiredClaims: ['sub', 'tenant'],
    claims: { azp: 'web', scope: { includes: ['orders:read', 'openid'] }, tier: { oneOf: ['gold', 'silver'] } },
  };
  const d = buildDiagnoser(exp, { keys: [rec(es)] });
  const ok = d.diagnose(signJws(es, claimsAt(NOW, { tenant: 't1', azp: 'web', scope: 'openid orders:read', tier: 'gold' })), { now: NOW });
  assert.equal(ok.result, 'valid');
  const scopeArray = d.diagnose(
    signJws(es, claimsAt(NOW, { tenant: 't1', azp: 'web', scope: ['openid', 'orders:read'], tier: 'silver' })),
    { now: NOW },
  );
  assert.equal(scopeArray.result, 'valid');
  const bad = d.diagnose(signJws(es, claimsAt(NOW, { sub: undefined, azp: 'mobile', scope: 'openid', tier: 'bronze' })), { now: NOW });
  const missing = bad.findings
    .filter((f) => f.code === 'missing_claim')
    .map((f) => f.claim)
    .sort();
  assert.deepEqual(missing, ['sub', 'tenant']);
  const mism = bad.findings.filter((f) => f.code === 'claim_mismatch');
  assert.deepEqual(mism.map((f) => f.claim).sort(), ['azp', 'scope', 'tier']);
  assert.deepEqual(mism.find((f) => f.claim === 'scope')!.detail!.missing, ['orders:read']);
  assert.equal(mism.find((f) => f.claim === 'azp')!.actual, 'mobile');
  assert.equal(bad.result, 'claim_mismatch');
});

test('exp with tolerance: boundary is now >= exp + tolerance', () => {
  const d = buildDiagnoser({ clockToleranceSeconds: 10 }, { keys: [rec(es)] });
  const at = (exp: number) => d.diagnose(signJws(es, claimsAt(NOW, { exp })), { now: NOW });
  assert.equal(at(NOW - 9).result, 'valid');
  assert.equal(at(NOW - 10).result, 'token_expired');
  const r = at(NOW - 40);
  const f = find(r, 'token_expired')!;
  assert.equal(f.detail!.secondsPastExp, 40);
  assert.equal(f.detail!.toleranceSeconds, 10);
  assert.equal(f.detail!.tokenAgeSeconds, 60);
  const noTol = buildDiagnoser({}, { keys: [rec(es)] }).diagnose(signJws(es, claimsAt(NOW, { exp: NOW })), { now: NOW });
  assert.equal(noTol.result, 'token_expired');
});

test('nbf and iat in the future, with tolerance', () => {
  const d = buildDiagnoser({ clockToleranceSeconds: 5 }, { keys: [rec(es)] });
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW, { nbf: NOW + 5 })), { now: NOW }).result, 'valid');
  const nbf = d.diagnose(signJws(es, claimsAt(NOW, { nbf: NOW + 6 })), { now: NOW });
  assert.equal(nbf.result, 'token_not_yet_valid');
  assert.equal(find(nbf, 'token_not_yet_valid')!.detail!.secondsUntilValid, 6);
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW + 5 })), { now: NOW }).result, 'valid');
  const iat = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW + 120 })), { now: NOW });
  assert.equal(iat.result, 'iat_in_future');
  assert.equal(find(iat, 'iat_in_future')!.detail!.secondsAhead, 120);
  assert.equal(iat.clock.tokenAgeSeconds, -120);
});

test('max token age: token_too_old beyond maxTokenAgeSeconds (+ tolerance); iat required for it', () => {
  const d = buildDiagnoser({ maxTokenAgeSeconds: 3600 }, { keys: [rec(es)] });
  assert.equal(d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW - 3600, exp: NOW + 60 })), { now: NOW }).result, 'valid');
  const old = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW - 4000, exp: NOW + 60 })), { now: NOW });
  assert.equal(old.result, 'token_too_old');
  const f = find(old, 'token_too_old')!;
  assert.equal(f.detail!.tokenAgeSeconds, 4000);
  assert.equal(f.detail!.secondsOver, 400);
  assert.equal(f.expected, 3600);
  const noIat = d.diagnose(signJws(es, claimsAt(NOW, { iat: undefined })), { now: NOW });
  assert.equal(find(noIat, 'missing_claim')!.claim, 'iat');
});

test('clock_skew_suspected carries the exact offset; plain expiry and far-off failures do not', () => {
  const d = buildDiagnoser({ clockToleranceSeconds: 10 }, { keys: [rec(es)] });
  const expired = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW - 3630, exp: NOW - 30 })), { now: NOW });
  assert.equal(find(expired, 'clock_skew_suspected'), undefined);
  assert.equal(expired.clock.suspectedSkewSeconds, undefined);
  assert.equal(expired.result, 'token_expired');
  const measured = buildDiagnoser({ clockToleranceSeconds: 10, clockOffsetSeconds: -45 }, { keys: [rec(es)] }).diagnose(
    signJws(es, claimsAt(NOW, { iat: NOW - 3630, exp: NOW - 30 })),
    { now: NOW },
  );
  const s1 = find(measured, 'clock_skew_suspected')!;
  assert.equal(s1.detail!.offsetSeconds, -45);
  assert.equal(s1.detail!.direction, 'verifier_ahead');
  assert.equal(s1.detail!.tokenAgeSeconds, 3630);
  assert.equal(s1.severity, 'warning');
  assert.equal(measured.result, 'token_expired');
  const early = d.diagnose(signJws(es, claimsAt(NOW, { nbf: NOW + 45, iat: NOW + 45 })), { now: NOW });
  const s2 = find(early, 'clock_skew_suspected')!;
  assert.equal(s2.detail!.offsetSeconds, 45);
  assert.equal(s2.detail!.direction, 'signer_ahead');
  const iatOnly = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW + 90 })), { now: NOW });
  assert.equal(find(iatOnly, 'clock_skew_suspected')!.detail!.offsetSeconds, 90);
  const longAgo = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW - 90000, exp: NOW - 86400 })), { now: NOW });
  assert.equal(find(longAgo, 'clock_skew_suspected'), undefined);
  assert.equal(longAgo.clock.tokenAgeSeconds, 90000);
});

test('token age is always reported at the check instant (valid, failing, no time checks)', () => {
  const d = buildDiagnoser({}, { keys: [rec(es)] });
  for (const [claims, age] of [
    [claimsAt(NOW, { iat: NOW - 300 }), 300],
    [claimsAt(NOW, { iat: NOW - 10, exp: NOW - 5 }), 10],
  ] as const) {
    const r = d.diagnose(signJws(es, claims), { now: NOW });
    assert.equal(r.clock.tokenAgeSeconds, age);
    assert.equal(r.clock.now, NOW);
    assert.equal(Date.parse(r.clock.nowIso) / 1000, NOW);
  }
  const asDate = d.diagnose(signJws(es, claimsAt(NOW, { iat: NOW - 300 })), { now: new Date(NOW * 1000) });
  assert.equal(asDate.clock.tokenAgeSeconds, 300);
});

test('input normalization findings flow into the diagnosis', () => {
  const t = signJws(es, claimsAt(NOW));
  const d = buildDiagnoser({}, { keys: [rec(es)] }).diagnose(`Authorization: "Bearer Bearer ${t}"`, { now: NOW });
  assert.equal(d.result, 'valid');
  assert.deepEqual(
    d.findings.filter((f) => f.code === 'header_malformed').map((f) => f.detail!.stripped),
    ['quotes', 'doubled_bearer'],
  );
  assert.ok(d.input.stripped.includes('quotes'));
  const two = buildDiagnoser({}, { keys: [rec(es)] }).diagnose(`${t} ${t}`, { now: NOW });
  assert.equal(two.result, 'multiple_tokens');
  const empty = buildDiagnoser({}, { keys: [rec(es)] }).diagnose('  ', { now: NOW });
  assert.equal(empty.result, 'header_missing');
  assert.equal(empty.signature.status, 'skipped');
});

test('token size cap is configurable through expectations.maxTokenBytes', () => {
  const t = signJws(es, claimsAt(NOW));
  assert.equal(buildDiagnoser({ maxTokenBytes: 64 }, { keys: [rec(es)] }).diagnose(t, { now: NOW }).result, 'malformed_token');
  assert.equal(buildDiagnoser({ maxTokenBytes: 4096 }, { keys: [rec(es)] }).diagnose(t, { now: NOW }).result, 'valid');
});

test('weak HMAC secret is a warning, not a failure', () => {
  const weak = makeKey('HS256', { secret: Buffer.from('short') });
  const d = buildDiagnoser({}, { keys: [rec(weak)] }).diagnose(signJws(weak, claimsAt(NOW)), { now: NOW });
  assert.equal(d.result, 'valid');
  assert.equal(find(d, 'weak_key')!.severity, 'warning');
});

test('library API: diagnose() and createDiagnoser() (synchronous per-token call) give the same object', async () => {
  const exp: Expectations = { issuer: [ISS], keys: [{ jwk: es.publicJwk! }] };
  const t = signJws(es, claimsAt(NOW));
  const one = await diagnose(t, exp, { now: NOW });
  const d = await createDiagnoser(exp);
  const sync = d.diagnose(t, { now: NOW });
  assert.ok(!(sync instanceof Promise));
  assert.deepEqual(sync, one);
  assert.equal(one.result, 'valid');
  assert.equal(d.withKeys({ keys: [] }).diagnose(t, { now: NOW }).result, 'key_not_found');
});
