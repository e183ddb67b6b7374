/**
 * Differential test against jose: generated tokens for every supported
 * JWS alg, valid and tampered; jwt-doctor's signature status and jose's
 * compactVerify / jwtVerify must agree on valid vs invalid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign as cryptoSign } from 'node:crypto';
import { compactVerify, jwtVerify } from 'jose';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { importJwk, importSecretText, type KeyRecord } from '../../src/keys/import.ts';
import { ALL_ALGS, b64url, claimsAt, makeKey, signBytes, signJws, type JwsAlg, type TestKey } from '../helpers/mint.ts';
import { NOW } from '../helpers/index.ts';

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

function doctorKey(k: TestKey): KeyRecord {
  return k.secret ? importSecretText(k.secret.toString('hex'), 'hex', { kind: 'secret' }) : importJwk(k.publicJwk, { kind: 'jwk' });
}
const joseKey = (k: TestKey) => (k.secret ? new Uint8Array(k.secret) : k.publicKey!);

/** Another alg of the same key family, to swap into the header. */
const SWAP: Record<JwsAlg, JwsAlg> = {
  HS256: 'HS384',
  HS384: 'HS512',
  HS512: 'HS256',
  RS256: 'PS256',
  RS384: 'RS512',
  RS512: 'RS256',
  PS256: 'RS256',
  PS384: 'PS512',
  PS512: 'PS256',
  ES256: 'ES384',
  ES384: 'ES256',
  ES512: 'ES256',
  EdDSA: 'ES256',
};

function tamper(kind: string, token: string, key: TestKey, other: TestKey): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  switch (kind) {
    case 'valid':
      return token;
    case 'flipped_signature_bit': {
      sig[sig.length >> 1]! ^= 0x10;
      return `${h}.${p}.${sig.toString('base64url')}`;
    }
    case 'changed_payload':
      return `${h}.${b64url({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })}.${s}`;
    case 'wrong_key':
      return signJws(other, JSON.parse(Buffer.from(p, 'base64url').toString()));
    case 'alg_swapped':
      return `${b64url({ ...JSON.parse(Buffer.from(h, 'base64url').toString()), alg: SWAP[key.alg] })}.${p}.${s}`;
    case 'truncated_signature':
      return `${h}.${p}.${sig.subarray(0, sig.length - 1).toString('base64url')}`;
    case 'der_signature': {
      if (!key.alg.startsWith('ES')) return token;
      const der = cryptoSign(HASH[key.alg.slice(2)]!, Buffer.from(`${h}.${p}`), { key: key.privateKey!, dsaEncoding: 'der' });
      return `${h}.${p}.${der.toString('base64url')}`;
    }
    default:
      throw new Error(kind);
  }
}

const KINDS = ['valid', 'flipped_signature_bit', 'changed_payload', 'wrong_key', 'alg_swapped', 'truncated_signature', 'der_signature'];

async function joseAccepts(token: string, key: TestKey): Promise<boolean> {
  try {
    await compactVerify(token, joseKey(key));
    return true;
  } catch {
    return false;
  }
}

for (const alg of ALL_ALGS) {
  test(`jwt-doctor and jose agree on ${alg}: valid and tampered tokens`, async () => {
    const key = makeKey(alg, { kid: `${alg}-k` });
    const other = makeKey(alg, { kid: `${alg}-k`, fresh: true });
    const doctor = buildDiagnoser({}, { keys: [doctorKey(key)] });
    let agreed = 0;
    for (let i = 0; i < 2; i++) {
      const token = signJws(key, claimsAt(NOW, { jti: `${alg}-${i}` }));
      for (const kind of KINDS) {
        const t = tamper(kind, token, key, other);
        const ours = doctor.diagnose(t, { now: NOW }).signature.status === 'pass';
        const theirs = await joseAccepts(t, key);
        assert.equal(ours, theirs, `${alg} ${kind}: jwt-doctor ${ours}, jose ${theirs}`);
        if (kind === 'valid') assert.equal(ours, true, `${alg} valid token must verify`);
        else if (kind !== 'der_signature' || alg.startsWith('ES')) assert.equal(ours, false, `${alg} ${kind} must fail`);
        agreed++;
      }
    }
    assert.equal(agreed, 2 * KINDS.length);
  });
}

test('jwtVerify and the full diagnosis agree on claims-level validity', async () => {
  const key = makeKey('ES256', { kid: 'c' });
  const doctor = buildDiagnoser(
    { issuer: ['https://auth.example.com'], audience: ['api'], clockToleranceSeconds: 5 },
    { keys: [doctorKey(key)] },
  );
  const cases = [
    claimsAt(NOW),
    claimsAt(NOW, { aud: 'web' }),
    claimsAt(NOW, { iss: 'https://x' }),
    claimsAt(NOW, { exp: NOW - 60 }),
    claimsAt(NOW, { nbf: NOW + 60 }),
    claimsAt(NOW, { exp: NOW - 3 }),
  ];
  for (const claims of cases) {
    const t = signJws(key, claims);
    const ours = doctor.diagnose(t, { now: NOW }).result === 'valid';
    let theirs = true;
    try {
      await jwtVerify(t, key.publicKey!, {
        issuer: 'https://auth.example.com',
        audience: 'api',
        clockTolerance: 5,
        currentDate: new Date(NOW * 1000),
      });
    } catch {
      theirs = false;
    }
    assert.equal(ours, theirs, JSON.stringify(claims));
  }
});

test('raw-signature helper sanity: signBytes output length matches the alg', () => {
  assert.equal(signBytes('ES512', makeKey('ES512'), 'a.b').length, 132);
  assert.equal(signBytes('HS384', makeKey('HS384'), 'a.b').length, 48);
});
