import { createHmac, sign, type KeyObject } from 'node:crypto';
import type { AlgorithmEntry } from '../keys/algorithms.ts';

/**
 * The JWS signature over `signingInput` (RFC 7515 section 5.1) for an entry
 * of the one algorithm table: HMAC, RSASSA-PKCS1-v1_5, RSASSA-PSS (salt =
 * hash length, RFC 7518 section 3.5), ECDSA as raw r||s (ieee-p1363, RFC
 * 7518 section 3.4: never DER), EdDSA (RFC 8037).
 *
 * @example signJws(ALGORITHMS.ES256!, privateKey, `${header}.${payload}`).toString('base64url')
 */
export function signJws(alg: AlgorithmEntry, key: KeyObject, signingInput: string): Buffer {
  const data = Buffer.from(signingInput, 'ascii');
  if (alg.kty === 'oct') return createHmac(alg.hash!, key).update(data).digest();
  if (alg.kty === 'OKP') return sign(null, data, key);
  return sign(alg.hash, data, {
    key,
    ...(alg.padding !== undefined ? { padding: alg.padding } : {}),
    ...(alg.saltLength !== undefined ? { saltLength: alg.saltLength } : {}),
    ...(alg.kty === 'EC' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
}
