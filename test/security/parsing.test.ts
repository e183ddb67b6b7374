/**
 * Issue 8 through `diagnose`: bounded parsing on validly signed tokens,
 * header checks when the payload does not decode, and bounded work per
 * token (candidate keys, provenance search, match across environments).
 * Work is asserted by counts and findings, never by timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildDiagnoser, type Diagnosis } from '../../src/diagnose.ts';
import { MAX_CANDIDATE_KEYS, MAX_PROVENANCE_VERIFICATIONS } from '../../src/checks/signature.ts';
import { findProvenance } from '../../src/forensics/apply_probes.ts';
import { importJwk, importSecretText, type KeyRecord } from '../../src/keys/import.ts';
import { decodeToken } from '../../src/token/decode.ts';
import { loadContract } from '../../src/contract/load.ts';
import { matchEnvironments } from '../../src/match.ts';
import type { ReasonCode } from '../../src/reasons.ts';
import { b64url, claimsAt, makeKey, signBytes, signJws, type TestKey } from '../helpers/mint.ts';
import { codes, NOW } from '../helpers/index.ts';

const find = (d: Diagnosis, code: ReasonCode) => d.findings.find((f) => f.code === code);
const secretRecord = (k: TestKey, env?: string): KeyRecord =>
  importSecretText(
    k.secret!.toString('base64'),
    'base64',
    { kind: 'secret', location: 'literal', ...(env ? { env } : {}) },
    k.kid !== undefined ? { kid: k.kid } : {},
  );

/** A compact JWS over exact header and payload bytes, validly signed by `key`. */
function signRaw(key: TestKey, header: Buffer | object, payload: Buffer | object, alg = key.alg): string {
  const enc = (x: Buffer | object) => b64url(Buffer.isBuffer(x) ? x : JSON.stringify(x));
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${signBytes(alg, key, input).toString('base64url')}`;
}

const hs = makeKey('HS256', { kid: 'hs-1' });
const doctor = () => buildDiagnoser({ algorithms: ['HS256'] }, { keys: [secretRecord(hs)] });

test('5,500 nested arrays in a 14 KB validly signed token: malformed_token, no throw (cold and warm diagnoser)', () => {
  const payload = Buffer.from(`{"sub":"a","exp":${NOW + 60},"x":${'['.repeat(5500)}${']'.repeat(5500)}}`);
  const token = signRaw(hs, { alg: 'HS256', kid: 'hs-1' }, payload);
  assert.ok(token.length > 14_000 && token.length <= 16_384);
  const d = doctor();
  d.diagnose(signJws(hs, claimsAt(NOW)), { now: NOW }); // warm the header cache: the fast path first
  for (let i = 0; i < 3; i++) {
    const r = d.diagnose(token, { now: NOW });
    assert.equal(r.result, 'malformed_token');
    assert.equal(find(r, 'malformed_token')!.detail!.segment, 'payload');
    assert.equal(r.claims, undefined, 'the deep value is never handed out');
  }
});

test('invalid UTF-8 in a validly signed payload or header is malformed_token naming the segment, never valid', () => {
  const bads = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80])];
  const d = doctor();
  for (const bad of bads) {
    const claims = Buffer.concat([Buffer.from(`{"sub":"`), bad, Buffer.from(`","exp":${NOW + 60}}`)]);
    for (const [header, payload, segment] of [
      [{ alg: 'HS256', kid: 'hs-1' }, claims, 'payload'],
      [Buffer.concat([Buffer.from('{"alg":"HS256","kid":"'), bad, Buffer.from('"}')]), { sub: 'a', exp: NOW + 60 }, 'header'],
    ] as const) {
      const r = d.diagnose(signRaw(hs, header, payload), { now: NOW });
      assert.equal(r.result, 'malformed_token', bad.toString('hex'));
      assert.equal(find(r, 'malformed_token')!.detail!.segment, segment, bad.toString('hex'));
    }
  }
});

test('header checks run when the payload does not decode: alg_none and alg_not_allowed are findings', () => {
  const badPayload = b64url('not json');
  const none = `${b64url({ alg: 'none' })}.${badPayload}.`;
  const r1 = doctor().diagnose(none, { now: NOW });
  assert.equal(r1.result, 'malformed_token');
  assert.ok(codes(r1).includes('alg_none'), JSON.stringify(codes(r1)));
  const withSig = `${b64url({ alg: 'nOnE' })}.${badPayload}.AAAA`;
  assert.ok(codes(doctor().diagnose(withSig, { now: NOW })).includes('alg_none'));

  // HS256 against an ES256-only contract, payload with invalid UTF-8 or too deep.
  const es = makeKey('ES256', { kid: 'es-1' });
  const esOnly = buildDiagnoser({ algorithms: ['ES256'] }, { keys: [importJwk(es.publicJwk, { kind: 'jwk' })] });
  for (const payload of [Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from(`{"x":${'['.repeat(100)}${']'.repeat(100)}}`)]) {
    const r = esOnly.diagnose(signRaw(hs, { alg: 'HS256' }, payload), { now: NOW });
    assert.equal(r.result, 'malformed_token');
    const f = find(r, 'alg_not_allowed');
    assert.ok(f, JSON.stringify(codes(r)));
    assert.equal(f.actual, 'HS256');
    assert.deepEqual(f.expected, ['ES256']);
  }
  // A kid that names no trusted key is also reported: key selection is per header.
  const r3 = esOnly.diagnose(`${b64url({ alg: 'ES256', kid: 'nope' })}.${badPayload}.AAAA`, { now: NOW });
  assert.deepEqual(codes(r3).sort(), ['key_not_found', 'malformed_token']);
});

test(`a kid-less token against 1,000 kid-less keys: key_not_found with the count, no verification`, () => {
  const keys = Array.from({ length: 1000 }, () => secretRecord(makeKey('HS256')));
  const signer = makeKey('HS256');
  keys.push(secretRecord(signer)); // the right key is there, but the token does not say which
  const d = buildDiagnoser({}, { keys }, { provenance: false });
  const r = d.diagnose(signJws(signer, claimsAt(NOW)), { now: NOW });
  assert.equal(r.result, 'key_not_found');
  assert.equal(r.signature.candidates, 0);
  assert.equal(r.signature.status, 'skipped');
  const f = find(r, 'key_not_found')!;
  assert.equal(f.detail!.reason, 'too_many_candidates');
  assert.equal(f.detail!.candidates, 1001);
  assert.equal(f.detail!.maxCandidates, MAX_CANDIDATE_KEYS);
  assert.equal(f.detail!.tokenHasKid, false);
  assert.match(f.hint, /kid/);
});

test(`up to ${MAX_CANDIDATE_KEYS} candidate keys are all tried: the last one still verifies`, () => {
  const others = Array.from({ length: MAX_CANDIDATE_KEYS - 1 }, () => secretRecord(makeKey('HS256')));
  const signer = makeKey('HS256');
  const d = buildDiagnoser({}, { keys: [...others, secretRecord(signer)] });
  const r = d.diagnose(signJws(signer, claimsAt(NOW)), { now: NOW });
  assert.equal(r.result, 'valid');
  assert.equal(r.signature.candidates, MAX_CANDIDATE_KEYS);
  // The same cap holds for one kid shared by too many keys.
  const shared = Array.from({ length: MAX_CANDIDATE_KEYS + 1 }, () => secretRecord(makeKey('HS256', { kid: 'same' })));
  const r2 = buildDiagnoser({}, { keys: shared }).diagnose(signJws(makeKey('HS256', { kid: 'same' }), claimsAt(NOW)), { now: NOW });
  assert.equal(find(r2, 'key_not_found')!.detail!.candidates, MAX_CANDIDATE_KEYS + 1);
});

test(`the provenance search spends at most ${MAX_PROVENANCE_VERIFICATIONS} verifications per token`, () => {
  const others = Array.from({ length: 200 }, () => secretRecord(makeKey('HS256'), 'other'));
  const token = signJws(makeKey('HS256'), claimsAt(NOW));
  const decoded = decodeToken(token);
  assert.ok(decoded.ok);
  const budget = { remaining: MAX_PROVENANCE_VERIFICATIONS };
  assert.deepEqual(findProvenance(decoded.token, decoded.token.header, [], others, budget), []);
  assert.equal(budget.remaining, 0, 'the whole budget, and not one verification more');
  // Alternate encodings of the trusted secret count too.
  const small = { remaining: 2 };
  findProvenance(decoded.token, decoded.token.header, [secretRecord(makeKey('HS256'))], others, small);
  assert.equal(small.remaining, 0);
});

test('provenance finds a key early in the budget, not past it; and is off when the diagnoser says so', () => {
  const signer = makeKey('HS256');
  const token = signJws(signer, claimsAt(NOW));
  const filler = (n: number) => Array.from({ length: n }, () => secretRecord(makeKey('HS256'), 'dev'));
  const trusted = [secretRecord(makeKey('HS256'))];
  const early = buildDiagnoser({}, { keys: trusted, otherKeys: [...filler(3), secretRecord(signer, 'staging')] }).diagnose(token, {
    now: NOW,
  });
  assert.equal(find(early, 'key_from_other_environment')?.detail!.env, 'staging');
  // Each filler secret costs itself plus its alternate readings: 100 of them exhaust the budget.
  const late = buildDiagnoser({}, { keys: trusted, otherKeys: [...filler(100), secretRecord(signer, 'staging')] }).diagnose(token, {
    now: NOW,
  });
  assert.equal(late.result, 'signature_invalid');
  assert.equal(find(late, 'key_from_other_environment'), undefined);
  const off = buildDiagnoser({}, { keys: trusted, otherKeys: [secretRecord(signer, 'staging')] }, { provenance: false }).diagnose(token, {
    now: NOW,
  });
  assert.equal(off.result, 'signature_invalid');
  assert.equal(find(off, 'key_from_other_environment'), undefined);
  // withKeys keeps the option.
  const rebuilt = buildDiagnoser({}, { keys: [] }, { provenance: false }).withKeys({
    keys: trusted,
    otherKeys: [secretRecord(signer, 'staging')],
  });
  assert.equal(find(rebuilt.diagnose(token, { now: NOW }), 'key_from_other_environment'), undefined);
});

test('match over many environments of many kid-less keys: every diagnosis bounded', async () => {
  const raw = (n: number) => Array.from({ length: n }, () => ({ secret: { value: randomBytes(32).toString('hex'), encoding: 'hex' } }));
  const environments: Record<string, unknown> = {};
  for (let i = 0; i < 8; i++) environments[`env${i}`] = { algorithms: ['HS256'], keys: raw(i % 2 === 0 ? 40 : 3) };
  const report = await matchEnvironments(signJws(makeKey('HS256'), claimsAt(NOW)), loadContract({ environments }), { now: NOW });
  assert.equal(report.validIn.length, 0);
  for (const [env, d] of Object.entries(report.diagnoses)) {
    assert.ok(d.signature.candidates <= MAX_CANDIDATE_KEYS, env);
    if (env === 'env0') assert.equal(find(d, 'key_not_found')!.detail!.reason, 'too_many_candidates');
    else if (env === 'env1') assert.equal(d.result, 'signature_invalid');
  }
});

test('input far over the size cap is refused by the cap alone, without normalizing it first', () => {
  const d = doctor();
  for (const input of ['A'.repeat(10_000_000), `Authorization: "Bearer ${'a.b.c '.repeat(1_000_000)}"`]) {
    const r = d.diagnose(input, { now: NOW });
    assert.equal(r.result, 'malformed_token');
    assert.deepEqual(codes(r), ['malformed_token'], 'no header_malformed: the paste was never normalized');
    assert.equal(r.findings[0]!.detail!.segment, 'token');
    assert.equal(r.findings[0]!.detail!.size, input.length);
  }
  // Within twice the cap a paste is still normalized (a token wrapped and quoted).
  const token = signJws(hs, claimsAt(NOW, { pad: 'x'.repeat(9000) }));
  const wrapped = `"${token.replace(/(.{64})/g, '$1\n')}"`;
  assert.ok(wrapped.length > 12_000 && wrapped.length < 2 * 16_384);
  const r = d.diagnose(wrapped, { now: NOW });
  assert.equal(r.signature.status, 'pass');
});
