import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import {
  importJwk,
  importJwks,
  importPem,
  importSecretText,
  decodeSecret,
  describeKey,
  jwkThumbprint,
  fingerprintSecret,
  KeyImportError,
} from '../../src/keys/import.ts';
import { algorithmsForKey, getAlgorithm, isAlgNone, ALGORITHMS } from '../../src/keys/algorithms.ts';
import { makeKey, spkiPem } from '../helpers/mint.ts';

const src = { kind: 'pem' as const };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/keys/${name}`, import.meta.url), 'utf8');

test('algorithm table: key type binds the algorithms; none is never an algorithm', () => {
  assert.deepEqual(algorithmsForKey('EC', 'P-256'), ['ES256']);
  assert.deepEqual(algorithmsForKey('EC', 'P-521'), ['ES512']);
  assert.deepEqual(algorithmsForKey('OKP', 'Ed25519'), ['EdDSA', 'Ed25519']);
  assert.deepEqual(algorithmsForKey('oct'), ['HS256', 'HS384', 'HS512']);
  assert.equal(getAlgorithm('none'), undefined);
  assert.equal(getAlgorithm('hs256'), undefined);
  assert.equal(getAlgorithm('__proto__'), undefined);
  for (const s of ['none', 'NONE', 'nOnE', ' none ']) assert.equal(isAlgNone(s), true, s);
  assert.equal(isAlgNone('HS256'), false);
  assert.ok(!Object.keys(ALGORITHMS).some((a) => a.toLowerCase() === 'none'));
});

test('PEM forms: SPKI, PKCS#1 RSA public key, X.509 certificate, private key reduced to public', () => {
  const rs = makeKey('RS256', { fresh: true });
  const spki = importPem(spkiPem(rs), src);
  const pkcs1 = importPem(rs.publicKey!.export({ format: 'pem', type: 'pkcs1' }).toString(), src);
  const priv = importPem(rs.privateKey!.export({ format: 'pem', type: 'pkcs8' }).toString(), src);
  assert.equal(spki.kty, 'RSA');
  assert.equal(spki.bits, 2048);
  assert.equal(spki.thumbprint, jwkThumbprint(rs.publicJwk!));
  assert.equal(pkcs1.thumbprint, spki.thumbprint);
  assert.equal(priv.thumbprint, spki.thumbprint);
  assert.equal(priv.keyObject.type, 'public');
  assert.equal(spki.kid, undefined);
  assert.deepEqual(spki.algorithms, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
  const cert = importPem(fixture('cert-signer.crt.pem'), src);
  assert.equal(cert.source.kind, 'certificate');
  assert.equal(cert.kty, 'EC');
  assert.deepEqual(cert.algorithms, ['ES256']);
  assert.equal(cert.certificateExpires, new Date(new X509Certificate(fixture('cert-signer.crt.pem')).validTo).toISOString());
  const fromPriv = importPem(fixture('cert-signer.key.pem'), src);
  assert.equal(fromPriv.thumbprint, cert.thumbprint);
  const withMeta = importPem(spkiPem(rs), src, { kid: 'k1', alg: 'PS256' });
  assert.equal(withMeta.kid, 'k1');
  assert.deepEqual(withMeta.algorithms, ['PS256']);
  assert.throws(() => importPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', src), KeyImportError);
  assert.throws(() => importPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', src), KeyImportError);
});

test('JWK: public members only; a private JWK is reduced; declared alg narrows; bad JWKs throw KeyImportError', () => {
  const ec = makeKey('ES384', { kid: 'e1', jwkAlg: true });
  const r = importJwk(ec.publicJwk, { kind: 'jwk' });
  assert.equal(r.kid, 'e1');
  assert.equal(r.crv, 'P-384');
  assert.deepEqual(r.algorithms, ['ES384']);
  const privJwk = ec.privateKey!.export({ format: 'jwk' });
  const fromPriv = importJwk({ ...privJwk, kid: 'e1' }, { kind: 'jwk' });
  assert.equal(fromPriv.keyObject.type, 'public');
  assert.equal(fromPriv.thumbprint, r.thumbprint);
  const ed = importJwk(makeKey('EdDSA').publicJwk, { kind: 'jwk' });
  assert.deepEqual(ed.algorithms, ['EdDSA', 'Ed25519']);
  const mismatched = importJwk({ ...ec.publicJwk, alg: 'RS256' }, { kind: 'jwk' });
  assert.deepEqual(mismatched.algorithms, []);
  for (const bad of [
    null,
    [],
    'x',
    { kty: 'XYZ' },
    { kty: 'RSA', n: 'AQAB' },
    { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' },
    { kty: 'oct' },
  ]) {
    assert.throws(() => importJwk(bad, { kind: 'jwk' }), KeyImportError, JSON.stringify(bad));
  }
});

test('JWKS: bad keys are reported per index, encryption keys skipped', () => {
  const a = makeKey('ES256', { kid: 'a' });
  const { keys, errors } = importJwks(
    { keys: [a.publicJwk, { kty: 'RSA', kid: 'broken' }, { ...makeKey('ES256').publicJwk, kid: 'enc', use: 'enc' }] },
    { kind: 'jwks_file' },
  );
  assert.deepEqual(
    keys.map((k) => k.kid),
    ['a'],
  );
  assert.deepEqual(
    errors.map((e) => [e.index, e.kid]),
    [[1, 'broken']],
  );
  assert.throws(() => importJwks({ nokeys: [] }, { kind: 'jwks_file' }), KeyImportError);
});

test('secrets: each encoding decodes strictly; the record holds only a fingerprint', () => {
  assert.deepEqual(decodeSecret('abc', 'utf8'), Buffer.from('abc'));
  assert.deepEqual(decodeSecret('00ff', 'hex'), Buffer.from([0, 255]));
  assert.equal(decodeSecret('0g', 'hex'), undefined);
  assert.equal(decodeSecret('abc', 'hex'), undefined);
  assert.deepEqual(decodeSecret('AP8=', 'base64'), Buffer.from([0, 255]));
  assert.equal(decodeSecret('A-8', 'base64'), undefined);
  assert.deepEqual(decodeSecret('AP8', 'base64url'), Buffer.from([0, 255]));
  assert.equal(decodeSecret('A+8', 'base64url'), undefined);
  const text = 'a-secret-that-is-long-enough-for-hs256!!';
  const rec = importSecretText(text, 'utf8', { kind: 'secret', location: 'literal' }, { kid: 's1' });
  assert.equal(rec.kty, 'oct');
  assert.equal(rec.bits, text.length * 8);
  assert.equal(rec.fingerprint, fingerprintSecret(Buffer.from(text)));
  assert.match(rec.fingerprint!, /^fp:[0-9a-f]{12}$/);
  const shown = JSON.stringify(describeKey(rec));
  assert.equal(shown.includes(text), false);
  assert.equal(shown.includes(Buffer.from(text).toString('base64')), false);
  assert.throws(() => importSecretText('zz', 'hex', { kind: 'secret' }), KeyImportError);
});

test('describeKey: identity only (kid, thumbprint, source), never key material', () => {
  const rs = makeKey('RS256', { kid: 'r' });
  const d = describeKey(importJwk(rs.publicJwk, { kind: 'jwk', location: 'x.json' }));
  assert.deepEqual(Object.keys(d).sort(), ['bits', 'kid', 'kty', 'source', 'thumbprint']);
  assert.equal(JSON.stringify(d).includes(String(rs.publicJwk!.n)), false);
});
