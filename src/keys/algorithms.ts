import { constants } from 'node:crypto';

/**
 * Everything we know about a JWS algorithm, in one table (RFC 7518 section 3,
 * RFC 8037 for EdDSA). Downstream code takes the resolved entry, never the
 * header's string: the algorithm is bound to the key type here, not by the
 * token (RFC 8725 section 3.1).
 */
export interface AlgorithmEntry {
  name: string;
  kty: 'oct' | 'RSA' | 'EC' | 'OKP';
  /** node:crypto digest name; null for EdDSA (the hash is part of the curve). */
  hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** Allowed curves for EC / OKP. */
  curves?: readonly string[];
  /** For HMAC: the hash output in bytes (RFC 7518 section 3.2 minimum key size). */
  minSecretBytes?: number;
  /** node:crypto.verify options. */
  padding?: number;
  saltLength?: number;
  /** EC: raw r||s signature length (RFC 7518 section 3.4). */
  signatureBytes?: number;
}

const rsa = (name: string, hash: AlgorithmEntry['hash'], pss: boolean): AlgorithmEntry =>
  pss
    ? { name, kty: 'RSA', hash, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash === 'sha256' ? 32 : hash === 'sha384' ? 48 : 64 }
    : { name, kty: 'RSA', hash, padding: constants.RSA_PKCS1_PADDING };

export const ALGORITHMS: Readonly<Record<string, AlgorithmEntry>> = {
  HS256: { name: 'HS256', kty: 'oct', hash: 'sha256', minSecretBytes: 32 },
  HS384: { name: 'HS384', kty: 'oct', hash: 'sha384', minSecretBytes: 48 },
  HS512: { name: 'HS512', kty: 'oct', hash: 'sha512', minSecretBytes: 64 },
  RS256: rsa('RS256', 'sha256', false),
  RS384: rsa('RS384', 'sha384', false),
  RS512: rsa('RS512', 'sha512', false),
  PS256: rsa('PS256', 'sha256', true),
  PS384: rsa('PS384', 'sha384', true),
  PS512: rsa('PS512', 'sha512', true),
  ES256: { name: 'ES256', kty: 'EC', hash: 'sha256', curves: ['P-256'], signatureBytes: 64 },
  ES384: { name: 'ES384', kty: 'EC', hash: 'sha384', curves: ['P-384'], signatureBytes: 96 },
  ES512: { name: 'ES512', kty: 'EC', hash: 'sha512', curves: ['P-521'], signatureBytes: 132 },
  EdDSA: { name: 'EdDSA', kty: 'OKP', hash: null, curves: ['Ed25519', 'Ed448'] },
  // RFC 9864 fully-specified EdDSA name.
  Ed25519: { name: 'Ed25519', kty: 'OKP', hash: null, curves: ['Ed25519'] },
};

export const ALGORITHM_NAMES = Object.keys(ALGORITHMS);

export function getAlgorithm(name: unknown): AlgorithmEntry | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ALGORITHMS, name) ? ALGORITHMS[name] : undefined;
}

/** `none` in any case is the unsecured JWS (RFC 7515 section 6, RFC 8725 section 2.1). */
export function isAlgNone(alg: unknown): boolean {
  return typeof alg === 'string' && alg.trim().toLowerCase() === 'none';
}

/** The algorithms a key of this type (and curve) can verify. */
export function algorithmsForKey(kty: string, crv?: string): string[] {
  return ALGORITHM_NAMES.filter((n) => {
    const a = ALGORITHMS[n]!;
    return a.kty === kty && (!a.curves || (crv !== undefined && a.curves.includes(crv)));
  });
}
