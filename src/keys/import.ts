import { createHash, createHmac, createPublicKey, createSecretKey, X509Certificate, type KeyObject } from 'node:crypto';
import { algorithmsForKey, getAlgorithm } from './algorithms.ts';
import { hasRocaFingerprint } from './roca.ts';
import { KeyImportError } from '../errors.ts';

export type SecretEncoding = 'utf8' | 'base64' | 'base64url' | 'hex';
export const SECRET_ENCODINGS: readonly SecretEncoding[] = ['utf8', 'base64', 'base64url', 'hex'];

/** Where a key came from; shown in reports instead of the key itself. */
export interface KeySourceInfo {
  kind: 'jwks_file' | 'jwks_uri' | 'discovery' | 'pem' | 'certificate' | 'jwk' | 'secret';
  /** File path, URL or env variable name; never a secret value. */
  location?: string;
  /** The contract environment that trusts this key. */
  env?: string;
  /** How the secret was read (secrets only). */
  encoding?: SecretEncoding;
}

/**
 * One trusted verification key, imported once (KeyObject cached) so the
 * per-token path is a synchronous crypto.verify. Serializable fields only
 * identify the key: kid, RFC 7638 thumbprint or a keyed fingerprint.
 */
export interface KeyRecord {
  kid?: string;
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  crv?: string;
  /** JWK "alg" when the key declares one: it then verifies only that alg. */
  alg?: string;
  use?: string;
  /** JWK "key_ops" when the key declares it (RFC 7517 section 4.3). */
  keyOps?: string[];
  /** RSA modulus bits or secret bits. */
  bits?: number;
  /** Algorithms this key can verify, from its type (and declared alg). */
  algorithms: string[];
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) for public keys. */
  thumbprint?: string;
  /** Short keyed fingerprint for secrets (`fp:` + 12 hex). */
  fingerprint?: string;
  /** X.509 notAfter as ISO 8601, when the key came with a certificate. */
  certificateExpires?: string;
  source: KeySourceInfo;
  keyObject: KeyObject;
}

// KeyImportError lives in the one error hierarchy (src/errors.ts); re-exported
// here, next to the importers that throw it.
export { KeyImportError };

// Secret material kept out of every serializable object.
const secretTexts = new WeakMap<KeyRecord, string>();

const FINGERPRINT_LABEL = 'jwt-doctor/secret-fingerprint/v1';

/**
 * A short keyed fingerprint: the same secret gives the same value in every
 * report and environment, and it cannot be reversed into the secret. Set
 * JWT_DOCTOR_FINGERPRINT_KEY to key it with a value of your own.
 */
export function fingerprintSecret(secret: Buffer): string {
  const key = process.env.JWT_DOCTOR_FINGERPRINT_KEY || FINGERPRINT_LABEL;
  return 'fp:' + createHmac('sha256', key).update(secret).digest('hex').slice(0, 12);
}

/** RFC 7638 section 3: SHA-256 over the required members, lexicographic, no whitespace. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  let members: Record<string, unknown>;
  switch (jwk.kty) {
    case 'RSA':
      members = { e: jwk.e, kty: 'RSA', n: jwk.n };
      break;
    case 'EC':
      members = { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y };
      break;
    case 'OKP':
      members = { crv: jwk.crv, kty: 'OKP', x: jwk.x };
      break;
    case 'oct':
      members = { k: jwk.k, kty: 'oct' };
      break;
    default:
      throw new KeyImportError(`unknown kty ${String(jwk.kty)}`);
  }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function describePublicKey(keyObject: KeyObject, source: KeySourceInfo, meta: { kid?: string; alg?: string; use?: string }): KeyRecord {
  const jwk = keyObject.export({ format: 'jwk' }) as Record<string, string>;
  const kty = jwk.kty as KeyRecord['kty'];
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') throw new KeyImportError(`unsupported key type ${String(jwk.kty)}`);
  const rec: KeyRecord = { kty, algorithms: [], source, keyObject, thumbprint: jwkThumbprint(jwk) };
  if (jwk.crv) rec.crv = jwk.crv;
  if (kty === 'RSA') {
    rec.bits = keyObject.asymmetricKeyDetails?.modulusLength ?? Buffer.from(jwk.n!, 'base64url').length * 8;
    // CVE-2017-15361: the private key is recoverable from n; never trust such a key (Wycheproof json_web_key_test tcId 7).
    if (hasRocaFingerprint(Buffer.from(jwk.n!, 'base64url'))) throw new KeyImportError('RSA modulus has the ROCA fingerprint (CVE-2017-15361): the private key can be recovered; rotate the key');
  }
  if (meta.kid !== undefined) rec.kid = meta.kid;
  if (meta.use !== undefined) rec.use = meta.use;
  let algs = algorithmsForKey(kty, rec.crv);
  if (meta.alg !== undefined) {
    rec.alg = meta.alg;
    algs = algs.includes(meta.alg) ? [meta.alg] : [];
  }
  rec.algorithms = algs;
  return rec;
}

/** Imports one JWK (public members only are used; a private JWK is reduced to its public half). */
export function importJwk(jwk: unknown, source: KeySourceInfo): KeyRecord {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new KeyImportError('a JWK must be a JSON object');
  const j = jwk as Record<string, unknown>;
  const meta = {
    ...(typeof j.kid === 'string' ? { kid: j.kid } : {}),
    ...(typeof j.alg === 'string' ? { alg: j.alg } : {}),
    ...(typeof j.use === 'string' ? { use: j.use } : {}),
  };
  if (j.kty === 'oct') {
    if (typeof j.k !== 'string') throw new KeyImportError('oct JWK without "k"');
    return withKeyOps(importSecret(Buffer.from(j.k, 'base64url'), source, meta), j.key_ops);
  }
  if (j.kty !== 'RSA' && j.kty !== 'EC' && j.kty !== 'OKP') throw new KeyImportError(`unknown or missing kty ${JSON.stringify(j.kty ?? null)}`);
  const pub: Record<string, unknown> = { kty: j.kty };
  for (const m of j.kty === 'RSA' ? ['n', 'e'] : j.kty === 'EC' ? ['crv', 'x', 'y'] : ['crv', 'x']) {
    if (typeof j[m] !== 'string') throw new KeyImportError(`${String(j.kty)} JWK without "${m}"`);
    pub[m] = j[m];
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey({ key: pub as never, format: 'jwk' });
  } catch (e) {
    throw new KeyImportError(`invalid ${String(j.kty)} key: ${(e as Error).message}`);
  }
  const rec = describePublicKey(keyObject, source, meta);
  if (Array.isArray(j.x5c) && typeof j.x5c[0] === 'string') {
    try {
      const cert = new X509Certificate(Buffer.from(j.x5c[0], 'base64'));
      rec.certificateExpires = new Date(cert.validTo).toISOString();
    } catch {
      // A broken x5c does not change the key we trust (from n/e or x/y).
    }
  }
  return withKeyOps(rec, j.key_ops);
}

/** RFC 7517 section 4.3: a key whose key_ops lacks "verify" is not for verifying signatures (checks/signature.ts fitsAlg). */
function withKeyOps(rec: KeyRecord, keyOps: unknown): KeyRecord {
  if (Array.isArray(keyOps)) rec.keyOps = keyOps.filter((o): o is string => typeof o === 'string');
  return rec;
}

/** Imports every key of a JWKS document; bad keys are returned as errors, not thrown. */
export function importJwks(doc: unknown, source: KeySourceInfo): { keys: KeyRecord[]; errors: { index: number; kid?: string; message: string }[] } {
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { keys?: unknown }).keys)) {
    throw new KeyImportError('a JWKS must be a JSON object with a "keys" array');
  }
  const keys: KeyRecord[] = [];
  const errors: { index: number; kid?: string; message: string }[] = [];
  (doc as { keys: unknown[] }).keys.forEach((k, index) => {
    try {
      const rec = importJwk(k, source);
      if (rec.use === 'enc') return; // encryption keys never verify signatures
      keys.push(rec);
    } catch (e) {
      const kid = (k as { kid?: unknown })?.kid;
      errors.push({ index, ...(typeof kid === 'string' ? { kid } : {}), message: (e as Error).message });
    }
  });
  return { keys, errors };
}

/**
 * Imports PEM text: SPKI public key, PKCS#1 RSA public key, X.509
 * certificate, or a private key (reduced to its public half: the signer's
 * key given to `drift --signer-key`).
 */
export function importPem(pem: string, source: KeySourceInfo, meta: { kid?: string; alg?: string } = {}): KeyRecord {
  if (pem.includes('-----BEGIN CERTIFICATE-----')) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      throw new KeyImportError(`invalid X.509 certificate: ${(e as Error).message}`);
    }
    const rec = describePublicKey(cert.publicKey, { ...source, kind: 'certificate' }, meta);
    rec.certificateExpires = new Date(cert.validTo).toISOString();
    return rec;
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey(pem);
  } catch (e) {
    throw new KeyImportError(`not a PEM public key, certificate or private key: ${(e as Error).message.split('\n')[0]}`);
  }
  return describePublicKey(keyObject, source, meta);
}

/** Decodes a secret string under the given encoding; strict so a wrong guess is caught. */
export function decodeSecret(text: string, encoding: SecretEncoding): Buffer | undefined {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'hex':
      return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
    case 'base64':
      return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64') : undefined;
    case 'base64url':
      return /^[A-Za-z0-9_-]+={0,2}$/.test(text) && text.length % 4 !== 1 ? Buffer.from(text, 'base64url') : undefined;
  }
}

function importSecret(bytes: Buffer, source: KeySourceInfo, meta: { kid?: string; alg?: string; use?: string }): KeyRecord {
  if (bytes.length === 0) throw new KeyImportError('empty HMAC secret');
  const rec: KeyRecord = {
    kty: 'oct',
    bits: bytes.length * 8,
    algorithms: ['HS256', 'HS384', 'HS512'],
    fingerprint: fingerprintSecret(bytes),
    source,
    keyObject: createSecretKey(bytes),
  };
  if (meta.kid !== undefined) rec.kid = meta.kid;
  if (meta.use !== undefined) rec.use = meta.use;
  if (meta.alg !== undefined) {
    rec.alg = meta.alg;
    rec.algorithms = getAlgorithm(meta.alg)?.kty === 'oct' ? [meta.alg] : [];
  }
  return rec;
}

/** Imports an HMAC secret given as text under an encoding. */
export function importSecretText(text: string, encoding: SecretEncoding, source: KeySourceInfo, meta: { kid?: string; alg?: string } = {}): KeyRecord {
  const bytes = decodeSecret(text, encoding);
  if (!bytes) throw new KeyImportError(`the secret is not valid ${encoding}`);
  const rec = importSecret(bytes, { ...source, encoding }, meta);
  secretTexts.set(rec, text);
  return rec;
}

/**
 * The same secret read under each other encoding that decodes it: used to
 * detect `secret_encoding_mismatch` (signer reads base64, verifier utf8).
 */
export function alternateSecretReadings(rec: KeyRecord): KeyRecord[] {
  const text = secretTexts.get(rec);
  if (text === undefined) return [];
  const out: KeyRecord[] = [];
  for (const enc of SECRET_ENCODINGS) {
    if (enc === rec.source.encoding) continue;
    const bytes = decodeSecret(text, enc);
    if (!bytes || bytes.length === 0) continue;
    out.push(importSecret(bytes, { ...rec.source, encoding: enc }, { ...(rec.kid !== undefined ? { kid: rec.kid } : {}) }));
  }
  return out;
}

/** A key as shown in reports: identity only, never material. */
export function describeKey(rec: KeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { kty: rec.kty };
  if (rec.kid !== undefined) out.kid = rec.kid;
  if (rec.alg !== undefined) out.alg = rec.alg;
  if (rec.crv !== undefined) out.crv = rec.crv;
  if (rec.bits !== undefined) out.bits = rec.bits;
  if (rec.thumbprint !== undefined) out.thumbprint = rec.thumbprint;
  if (rec.fingerprint !== undefined) out.fingerprint = rec.fingerprint;
  out.source = rec.source;
  return out;
}
