/**
 * Signature-form causes (issue 11), each with a token made the way a real
 * signer makes it, independently of jwt-doctor's own signer and of
 * test/helpers/mint.ts' signer: node:crypto.sign as a hand-rolled signer
 * calls it (DER ECDSA by default, PSS with its default salt) and jose's
 * SignJWT. Asserts the code, detail.cause, owner and evidence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import type { Diagnosis } from '../../src/diagnose.ts';
import type { Finding } from '../../src/reasons.ts';
import { derToRaw } from '../../src/forensics/signature_format.ts';

const NOW = 1_800_000_000;
const CLAIMS = { sub: 'user-1', iat: NOW - 60, exp: NOW + 3600 };
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (k: KeyObject, kid: string) => ({ ...(k.export({ format: 'jwk' }) as Record<string, unknown>), kid });

/** A compact JWS signed by `signer` over the exact header/payload text (a hand-rolled signer). */
function handSigned(header: object, signer: (input: Buffer) => Buffer): string {
  const input = `${b64(header)}.${b64(CLAIMS)}`;
  return `${input}.${signer(Buffer.from(input)).toString('base64url')}`;
}

async function diagnoseWith(keys: Record<string, unknown>[], token: string): Promise<Diagnosis> {
  const d = await createDiagnoser({ keys: [{ jwk: { keys } }] });
  return d.diagnose(token, { now: NOW });
}

function explained(d: Diagnosis, code: string): Finding & { detail: Record<string, unknown> } {
  const f = d.findings.find((x) => x.code === code);
  assert.ok(f?.detail?.cause, `${code} with a cause in ${JSON.stringify(d.findings)}`);
  return f as Finding & { detail: Record<string, unknown> };
}
const evidence = (f: Finding) => f.detail!.evidence as Record<string, unknown>;

test('ecdsa_der_encoding: crypto.sign without dsaEncoding (DER, as Java, .NET, KMS, OpenSSL) for ES256, ES384 and ES512', async () => {
  for (const [alg, hash, pair] of [
    ['ES256', 'sha256', p256],
    ['ES384', 'sha384', p384],
    ['ES512', 'sha512', p521],
  ] as const) {
    const token = handSigned({ alg, kid: 'ec-1' }, (input) => sign(hash, input, pair.privateKey));
    const d = await diagnoseWith([jwk(pair.publicKey, 'ec-1')], token);
    assert.equal(d.result, 'signature_invalid', alg);
    const f = explained(d, 'signature_invalid');
    assert.equal(f.detail.cause, 'ecdsa_der_encoding', alg);
    assert.equal(f.owner, 'signer');
    assert.equal(evidence(f).verifies, true);
    assert.equal(evidence(f).rawBytes, { ES256: 64, ES384: 96, ES512: 132 }[alg]);
    assert.equal((evidence(f).key as Record<string, unknown>).kid, 'ec-1');
    assert.match(f.hint, /ieee-p1363/);
  }
});

test('ecdsa_der_encoding with a key that does not match: the DER form is named, verifies false', async () => {
  const token = handSigned({ alg: 'ES256', kid: 'ec-1' }, (input) => sign('sha256', input, p256.privateKey));
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const f = explained(await diagnoseWith([jwk(other.publicKey, 'ec-1')], token), 'signature_invalid');
  assert.equal(f.detail.cause, 'ecdsa_der_encoding');
  assert.equal(evidence(f).verifies, false);
});

test('derToRaw refuses what is not strict DER (raw R||S, trailing bytes, oversize integers)', () => {
  const der = sign('sha256', Buffer.from('x'), p256.privateKey);
  assert.equal(derToRaw(der, 32)?.length, 64);
  assert.equal(derToRaw(Buffer.concat([der, Buffer.from([0])]), 32), undefined);
  assert.equal(derToRaw(sign('sha256', Buffer.from('x'), { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }), 32), undefined);
  assert.equal(derToRaw(sign('sha384', Buffer.from('x'), p384.privateKey), 32), undefined);
});

/** R||S as a naive DER-to-raw converter makes it: each integer minimal, not left-padded to the curve size. */
function unpaddedRs(der: Buffer): Buffer {
  const raw = derToRaw(der, 66)!;
  const strip = (b: Buffer) => b.subarray(b.findIndex((x) => x !== 0));
  return Buffer.concat([strip(raw.subarray(0, 66)), strip(raw.subarray(66))]);
}

test('ecdsa_wrong_length: ES512 with R or S not left-padded to 66 bytes (a naive DER converter), short by one or two', async () => {
  let token = '';
  for (let i = 0; i < 64 && !token; i++) {
    const t = handSigned({ alg: 'ES512', kid: 'p521' }, (input) => unpaddedRs(sign('sha512', input, p521.privateKey)));
    if (Buffer.from(t.split('.')[2]!, 'base64url').length < 132) token = t;
  }
  assert.ok(token, 'P-521 R or S has a leading zero byte about half the time');
  const f = explained(await diagnoseWith([jwk(p521.publicKey, 'p521')], token), 'signature_invalid');
  assert.equal(f.detail.cause, 'ecdsa_wrong_length');
  assert.equal(f.owner, 'signer');
  assert.equal(evidence(f).expectedBytes, 132);
  assert.ok((evidence(f).shortBy as number) >= 1 && (evidence(f).shortBy as number) <= 2);
});

test('ecdsa_wrong_length: an ES256 header over a P-384 raw signature says which length it has', async () => {
  const token = handSigned({ alg: 'ES256', kid: 'ec-1' }, (input) =>
    sign('sha384', input, { key: p384.privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  const f = explained(await diagnoseWith([jwk(p256.publicKey, 'ec-1')], token), 'signature_invalid');
  assert.equal(f.detail.cause, 'ecdsa_wrong_length');
  assert.deepEqual([evidence(f).longBy, evidence(f).lengthOf], [32, 'ES384']);
});

test('signature_truncated: a jose RS256 token cut by a gateway, decodable or not, says by how many bytes (owner gateway)', async () => {
  const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const sigChars = token.split('.')[2]!.length; // 342 for 256 bytes
  // Cut to a multiple of 4 characters: still canonical base64url, 3 bytes per 4 characters.
  const cut4 = token.slice(0, token.length - (sigChars - 320));
  const d4 = await diagnoseWith([jwk(rsa.publicKey, 'rsa-1')], cut4);
  assert.equal(d4.result, 'signature_invalid');
  const f4 = explained(d4, 'signature_invalid');
  assert.equal(f4.detail.cause, 'signature_truncated');
  assert.equal(f4.owner, 'gateway');
  assert.deepEqual([evidence(f4).expectedBytes, evidence(f4).actualBytes, evidence(f4).shortBy], [256, 240, 16]);
  // Cut to an impossible length (4n+1 characters): strict decoding refuses it; the cause explains malformed_token.
  const cut1 = token.slice(0, token.length - (sigChars - 321));
  const d1 = await diagnoseWith([jwk(rsa.publicKey, 'rsa-1')], cut1);
  assert.equal(d1.result, 'malformed_token');
  const f1 = explained(d1, 'malformed_token');
  assert.equal(f1.detail.cause, 'signature_truncated');
  assert.equal(f1.owner, 'gateway');
  assert.deepEqual([evidence(f1).expectedBytes, evidence(f1).shortBy, evidence(f1).segmentChars], [256, 16, 321]);
});

test('signature_truncated: an HS256 jose token sliced', async () => {
  const secret = randomBytes(32);
  const token = await new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  const d = await (
    await createDiagnoser({ keys: [{ secret: { value: secret.toString('base64'), encoding: 'base64' } }] })
  ).diagnose(token.slice(0, -11), { now: NOW });
  const f = explained(d, 'signature_invalid');
  assert.equal(f.detail.cause, 'signature_truncated');
  assert.deepEqual([evidence(f).expectedBytes, evidence(f).actualBytes], [32, 24]);
});

test('rsa_padding_mismatch: RS256 header, PSS signature (crypto.sign with RSA_PKCS1_PSS_PADDING)', async () => {
  const token = handSigned({ alg: 'RS256', kid: 'rsa-1' }, (input) =>
    sign('sha256', input, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }),
  );
  const f = explained(await diagnoseWith([jwk(rsa.publicKey, 'rsa-1')], token), 'signature_invalid');
  assert.equal(f.detail.cause, 'rsa_padding_mismatch');
  assert.equal(f.owner, 'signer');
  assert.equal(evidence(f).signaturePadding, 'PSS');
});

test("rsa_padding_mismatch: PS256 header with PKCS#1 v1.5, and with crypto.sign's default (maximum) PSS salt", async () => {
  const keys = [jwk(rsa.publicKey, 'rsa-1')];
  const pkcs1 = handSigned({ alg: 'PS256', kid: 'rsa-1' }, (input) => sign('sha256', input, rsa.privateKey));
  const f1 = explained(await diagnoseWith(keys, pkcs1), 'signature_invalid');
  assert.deepEqual([f1.detail.cause, evidence(f1).verifiesAs], ['rsa_padding_mismatch', 'RS256']);
  const maxSalt = handSigned({ alg: 'PS256', kid: 'rsa-1' }, (input) =>
    sign('sha256', input, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }),
  );
  const f2 = explained(await diagnoseWith(keys, maxSalt), 'signature_invalid');
  assert.equal(f2.detail.cause, 'rsa_padding_mismatch');
  assert.match(String(evidence(f2).signaturePadding), /salt length other than 32/);
});

test('hash_mismatch: RS256 header over an RS512 signature, HS256 over HMAC-SHA512', async () => {
  const rs = handSigned({ alg: 'RS256', kid: 'rsa-1' }, (input) => sign('sha512', input, rsa.privateKey));
  const f = explained(await diagnoseWith([jwk(rsa.publicKey, 'rsa-1')], rs), 'signature_invalid');
  assert.deepEqual([f.detail.cause, evidence(f).verifiesAs, f.owner], ['hash_mismatch', 'RS512', 'signer']);
  const secret = randomBytes(64);
  const hs = handSigned({ alg: 'HS256' }, (input) => createHmac('sha512', secret).update(input).digest());
  const d = await (
    await createDiagnoser({ keys: [{ secret: { value: secret.toString('hex'), encoding: 'hex' } }] })
  ).diagnose(hs, { now: NOW });
  const g = explained(d, 'signature_invalid');
  assert.deepEqual([g.detail.cause, evidence(g).verifiesAs], ['hash_mismatch', 'HS512']);
});

test('hash_mismatch: an ES256 header signed ES384 with a P-384 key explains alg_not_allowed', async () => {
  const token = handSigned({ alg: 'ES256', kid: 'p384' }, (input) =>
    sign('sha384', input, { key: p384.privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  const d = await diagnoseWith([jwk(p384.publicKey, 'p384')], token);
  assert.equal(d.result, 'alg_not_allowed');
  const f = explained(d, 'alg_not_allowed');
  assert.deepEqual([f.detail.cause, evidence(f).verifiesAs], ['hash_mismatch', 'ES384']);
});

test('signature_truncated: a long token cut inside its payload (two segments left) names the missing signature', async () => {
  const groups = Array.from({ length: 400 }, (_, i) => `group-${i}`);
  const token = await new SignJWT({ ...CLAIMS, groups }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).sign(rsa.privateKey);
  const cut = token.slice(0, 4096);
  assert.equal(cut.split('.').length, 2);
  const d = await diagnoseWith([jwk(rsa.publicKey, 'rsa-1')], cut);
  assert.equal(d.result, 'malformed_token');
  const f = explained(d, 'malformed_token');
  assert.deepEqual(
    [f.detail.cause, f.owner, evidence(f).missing, evidence(f).expectedBytes, evidence(f).tokenLength],
    ['signature_truncated', 'gateway', 'signature', 256, 4096],
  );
});
