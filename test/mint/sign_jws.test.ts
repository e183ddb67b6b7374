/**
 * signJws against jose as the oracle: every algorithm of the table signs a
 * token that jose verifies with the public half (ECDSA as raw r||s, PSS
 * with the hash-length salt, EdDSA), and rejects once a bit is flipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { ALGORITHMS } from '../../src/keys/algorithms.ts';
import { signJws } from '../../src/mint/sign_jws.ts';
import { b64urlJson } from '../../src/mint/encode.ts';

function pairFor(alg: string): { sign: KeyObject; verify: KeyObject } {
  const entry = ALGORITHMS[alg]!;
  if (entry.kty === 'oct') {
    const k = createSecretKey(randomBytes(64));
    return { sign: k, verify: k };
  }
  const p =
    entry.kty === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : entry.kty === 'EC'
        ? generateKeyPairSync('ec', { namedCurve: entry.curves![0]! })
        : generateKeyPairSync('ed25519');
  return { sign: p.privateKey, verify: p.publicKey };
}

for (const alg of Object.keys(ALGORITHMS)) {
  test(`${alg}: jose verifies what signJws signs, and refuses a flipped bit`, async () => {
    const { sign, verify } = pairFor(alg);
    const input = `${b64urlJson({ alg, typ: 'JWT' })}.${b64urlJson({ sub: 'a' })}`;
    const sig = signJws(ALGORITHMS[alg]!, sign, input);
    const verified = await compactVerify(`${input}.${sig.toString('base64url')}`, verify, { algorithms: [alg] });
    assert.equal(verified.protectedHeader.alg, alg);
    sig[0] = sig[0]! ^ 1;
    await assert.rejects(compactVerify(`${input}.${sig.toString('base64url')}`, verify, { algorithms: [alg] }));
  });
}
