import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJwk, KeyImportError } from '../../src/keys/import.ts';
import { hasRocaFingerprint } from '../../src/keys/roca.ts';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { NOW } from '../helpers/index.ts';

const wycheproofKeys = JSON.parse(readFileSync(new URL('../fixtures/wycheproof/json_web_key_test.json', import.meta.url), 'utf8')) as {
  testGroups: { comment: string; public?: { keys: Record<string, string>[] } }[];
};

test('ROCA (CVE-2017-15361): the Wycheproof ROCA modulus is refused at import', () => {
  const jwk = wycheproofKeys.testGroups.find((g) => g.comment === 'jws_rsa_roca_key')!.public!.keys[0]!;
  assert.equal(hasRocaFingerprint(Buffer.from(jwk.n!, 'base64url')), true);
  assert.throws(
    () => importJwk(jwk, { kind: 'jwk' }),
    (e: unknown) => e instanceof KeyImportError && /ROCA/.test(e.message),
  );
});

test('ROCA: freshly generated moduli (OpenSSL) do not carry the fingerprint', () => {
  for (let i = 0; i < 4; i++) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const n = Buffer.from((publicKey.export({ format: 'jwk' }) as { n: string }).n, 'base64url');
    assert.equal(hasRocaFingerprint(n), false);
    assert.ok(importJwk(publicKey.export({ format: 'jwk' }), { kind: 'jwk' }));
  }
});

test('key_ops without "verify" (RFC 7517 section 4.3): the key never verifies a token', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = `${Buffer.from('{"alg":"ES256","kid":"k"}').toString('base64url')}.${Buffer.from('{"sub":"a","exp":1900000000}').toString('base64url')}`;
  const token = `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as object), kid: 'k' };
  const withOps = (ops: string[]) =>
    buildDiagnoser({}, { keys: [importJwk({ ...jwk, key_ops: ops }, { kind: 'jwk' })] }).diagnose(token, { now: NOW });
  assert.equal(withOps(['verify']).result, 'valid');
  const enc = withOps(['encrypt']);
  assert.notEqual(enc.result, 'valid');
  assert.notEqual(enc.signature.status, 'pass');
});
