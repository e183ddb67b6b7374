/**
 * Probes on the signature's form (issue 11): its length against what the
 * algorithm and key require, an ECDSA signature in ASN.1 DER instead of
 * JOSE's raw R||S, the other RSA padding, another hash of the family. Each
 * is pure and spends at most `input.budget` verifications.
 */
import { constants } from 'node:crypto';
import { ALGORITHMS, algorithmsForKey, type AlgorithmEntry } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import { verifierFor } from '../checks/signature.ts';
import type { JsonObject } from '../token/decode.ts';
import { makeCause } from './causes.ts';
import { keyIdentity, keysForHeader, spend, verifyRaw } from './probe_kit.ts';
import type { ForensicCause, ForensicProbe } from './types.ts';

/**
 * The signature length the algorithm and key require: the hash output for
 * HMAC (RFC 7518 section 3.2), 2 x the curve size for ECDSA (section 3.4),
 * the modulus length for RSA (RFC 8017 section 8.2.1 / 8.1.1, I2OSP to k
 * octets), 64 for Ed25519 and 114 for Ed448 (RFC 8032 section 5).
 */
export function expectedSignatureBytes(alg: AlgorithmEntry, keys: readonly KeyRecord[]): number | undefined {
  if (alg.kty === 'oct') return alg.minSecretBytes;
  if (alg.kty === 'EC') return alg.signatureBytes;
  if (alg.kty === 'OKP') return keys.some((k) => k.crv === 'Ed448') && !keys.some((k) => k.crv === 'Ed25519') ? 114 : 64;
  const bits = keys.find((k) => k.bits !== undefined)?.bits;
  return bits === undefined ? undefined : Math.ceil(bits / 8);
}

/**
 * A signature of the wrong length: shorter is a cut token (a gateway's
 * header limit, a log line, a paste) unless it is an ECDSA signature one or
 * two bytes short (R or S not left-padded: the signer); an ECDSA signature
 * of another length is the signer's. A longer RSA, HMAC or EdDSA signature
 * is another key or hash: the hash probe and the key probes say which.
 */
export function lengthCause(
  alg: AlgorithmEntry,
  keys: readonly KeyRecord[],
  actualBytes: number,
  extra: Record<string, unknown>,
): ForensicCause | undefined {
  const expected = expectedSignatureBytes(alg, keys);
  if (expected === undefined || actualBytes === expected) return undefined;
  const evidence = {
    alg: alg.name,
    expectedBytes: expected,
    actualBytes,
    ...(actualBytes < expected ? { shortBy: expected - actualBytes } : { longBy: actualBytes - expected }),
    ...extra,
  };
  if (alg.kty === 'EC') {
    if (actualBytes < expected - 2) return makeCause('signature_truncated', false, evidence);
    const other = Object.values(ALGORITHMS).find((a) => a.kty === 'EC' && a.signatureBytes === actualBytes);
    return makeCause('ecdsa_wrong_length', false, other ? { ...evidence, lengthOf: other.name } : evidence);
  }
  return actualBytes < expected ? makeCause('signature_truncated', false, evidence) : undefined;
}

/** signature_truncated / ecdsa_wrong_length: costs no verification. A DER signature is the DER probe's. */
export const probeSignatureLength: ForensicProbe = (input) => {
  const { alg, token } = input;
  if (!alg) return [];
  if (alg.kty === 'EC' && derToRaw(token.signature, alg.signatureBytes! / 2)) return [];
  const cause = lengthCause(alg, keysForHeader(input.header, input.trusted, alg.kty), token.signature.length, {
    tokenLength: token.length,
  });
  return cause ? [cause] : [];
};

/**
 * An ECDSA signature as ASN.1 DER (SEQUENCE { INTEGER r, INTEGER s }, the
 * output of Java's Signature, .NET's SignDataDer, AWS KMS, OpenSSL and
 * node's crypto.sign without dsaEncoding) turned into the fixed-length
 * R||S of RFC 7518 section 3.4; undefined unless it is strict DER whose
 * integers fit `n` bytes.
 */
export function derToRaw(sig: Buffer, n: number): Buffer | undefined {
  if (sig[0] !== 0x30 || sig.length < 8) return undefined;
  let i = 2;
  let len = sig[1]!;
  if (len === 0x81) {
    len = sig[2] ?? 0;
    if (len < 0x80) return undefined;
    i = 3;
  } else if (len > 0x7f) return undefined;
  if (i + len !== sig.length) return undefined;
  const r = readDerInteger(sig, i, n);
  const s = r && readDerInteger(sig, r.next, n);
  if (!r || !s || s.next !== sig.length) return undefined;
  const raw = Buffer.alloc(2 * n);
  r.value.copy(raw, n - r.value.length);
  s.value.copy(raw, 2 * n - s.value.length);
  return raw;
}

/** One positive, minimally encoded DER INTEGER of at most n bytes (X.690 section 8.3). */
function readDerInteger(buf: Buffer, at: number, n: number): { value: Buffer; next: number } | undefined {
  const len = buf[at + 1];
  if (buf[at] !== 0x02 || len === undefined || len === 0 || len > 0x7f) return undefined;
  let start = at + 2;
  const end = start + len;
  if (end > buf.length || (buf[start]! & 0x80) !== 0) return undefined;
  if (buf[start] === 0 && len > 1) {
    if ((buf[start + 1]! & 0x80) === 0) return undefined;
    start++;
  }
  return end - start > n ? undefined : { value: buf.subarray(start, end), next: end };
}

/** ecdsa_der_encoding: the signature is DER; converted to raw it verifies (or no key could tell). */
export const probeEcdsaDer: ForensicProbe = (input) => {
  const { alg, token, budget } = input;
  if (!alg || alg.kty !== 'EC') return [];
  const raw = derToRaw(token.signature, alg.signatureBytes! / 2);
  if (!raw) return [];
  const evidence = { alg: alg.name, derBytes: token.signature.length, rawBytes: raw.length };
  const verify = verifierFor(alg);
  for (const key of keysForHeader(input.header, input.trusted, 'EC')) {
    if (spend(budget, () => verify(key, token.signingInput, raw)))
      return [makeCause('ecdsa_der_encoding', true, { ...evidence, key: keyIdentity(key) })];
  }
  return [makeCause('ecdsa_der_encoding', false, evidence)];
};

/**
 * An RSA signature is exactly as long as the modulus (RFC 8017 sections
 * 8.1.2 and 8.2.2 reject any other length), so no other reading of a cut
 * signature can verify: do not spend verifications on it. Other key types pass.
 */
function fitsModulus(key: KeyRecord, signatureBytes: number): boolean {
  return key.kty !== 'RSA' || key.bits === undefined || Math.ceil(key.bits / 8) === signatureBytes;
}

/** The readings of an RSA signature other than the header's: [what it is, verify options]. */
function otherPaddings(alg: AlgorithmEntry): { signature: string; verifiesAs?: string; padding: number; saltLength?: number }[] {
  const bits = alg.name.slice(2);
  if (alg.saltLength === undefined)
    return [{ signature: 'PSS', padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }];
  return [
    // RFC 7518 section 3.5: the salt is as long as the hash. crypto.sign's
    // PSS default (and Python's PSS.MAX_LENGTH) is the longest salt instead.
    {
      signature: `PSS with a salt length other than ${alg.saltLength}`,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_AUTO,
    },
    { signature: 'PKCS#1 v1.5', verifiesAs: `RS${bits}`, padding: constants.RSA_PKCS1_PADDING },
  ];
}

/** rsa_padding_mismatch: RS* header with a PSS signature, PS* with PKCS#1 v1.5 or a salt of another length. */
export const probeRsaPadding: ForensicProbe = (input) => {
  const { alg, token, budget } = input;
  if (!alg || alg.kty !== 'RSA') return [];
  const keys = keysForHeader(input.header, input.trusted, 'RSA').filter((k) => fitsModulus(k, token.signature.length));
  for (const reading of otherPaddings(alg)) {
    for (const key of keys) {
      const options = {
        key: key.keyObject,
        padding: reading.padding,
        ...(reading.saltLength !== undefined ? { saltLength: reading.saltLength } : {}),
      };
      if (spend(budget, () => verifyRaw(alg.hash, token.signingInput, options, token.signature))) {
        const evidence = {
          alg: alg.name,
          signaturePadding: reading.signature,
          ...(reading.verifiesAs ? { verifiesAs: reading.verifiesAs } : {}),
          key: keyIdentity(key),
        };
        return [makeCause('rsa_padding_mismatch', true, evidence)];
      }
    }
  }
  return [];
};

/** The family's other algorithms a signature of this length can be (an HMAC's length is its hash's). */
function otherHashes(alg: AlgorithmEntry, signatureBytes: number): AlgorithmEntry[] {
  const family = alg.name.slice(0, 2);
  return Object.values(ALGORITHMS).filter((a) => {
    if (a === alg || a.kty !== alg.kty || a.kty === 'OKP' || a.name.slice(0, 2) !== family) return false;
    if (a.kty === 'oct') return a.minSecretBytes === signatureBytes;
    return a.kty !== 'EC' || a.signatureBytes === signatureBytes;
  });
}

/** hash_mismatch: the same key verifies the signature under another hash of the header's family. */
export const probeHashMismatch: ForensicProbe = (input) => {
  const { alg, token, budget } = input;
  if (!alg) return [];
  const keys = keysForHeader(input.header, input.trusted, alg.kty).filter((k) => fitsModulus(k, token.signature.length));
  for (const other of otherHashes(alg, token.signature.length)) {
    const verify = verifierFor(other);
    for (const key of keys) {
      if (!algorithmsForKey(key.kty, key.crv).includes(other.name)) continue;
      if (spend(budget, () => verify(key, token.signingInput, token.signature))) {
        return [makeCause('hash_mismatch', true, { alg: alg.name, verifiesAs: other.name, key: keyIdentity(key) })];
      }
    }
  }
  return [];
};

/**
 * signature_truncated on a token strict decoding refused because its
 * signature segment has an impossible length (RFC 4648 section 3.5): the
 * header decoded, so the algorithm says how many bytes are missing.
 */
export function truncatedSegmentCause(
  header: JsonObject,
  alg: AlgorithmEntry,
  trusted: readonly KeyRecord[],
  segment: string,
  tokenLength: number,
): ForensicCause | undefined {
  const actualBytes = Math.floor((segment.length * 6) / 8);
  const cause = lengthCause(alg, keysForHeader(header, trusted, alg.kty), actualBytes, { segmentChars: segment.length, tokenLength });
  return cause?.cause === 'signature_truncated' ? cause : undefined;
}
