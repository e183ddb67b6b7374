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
  /**
   * Secrets whose stored text begins or ends with whitespace only: whether
   * the key bytes are the text as stored (`raw`, the default: what
   * fs.readFileSync, process.env and a Kubernetes secret volume give) or the
   * text trimmed (`trim: true`, or an encoding other than utf8, whose
   * decoders ignore or refuse whitespace). Never trimmed silently.
   */
  reading?: SecretReading;
}

/** The two readings of a secret's stored text (docs/security.md "Secret readings"). */
export type SecretReading = 'raw' | 'trimmed';

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

/** A secret's text as stored and as read (trimmed or not): kept out of every serializable object. */
interface SecretText {
  stored: string;
  /** The text the key bytes were decoded from. */
  used: string;
}
const secretTexts = new WeakMap<KeyRecord, SecretText>();

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
    if (hasRocaFingerprint(Buffer.from(jwk.n!, 'base64url')))
      throw new KeyImportError('RSA modulus has the ROCA fingerprint (CVE-2017-15361): the private key can be recovered; rotate the key');
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
  if (j.kty !== 'RSA' && j.kty !== 'EC' && j.kty !== 'OKP')
    throw new KeyImportError(`unknown or missing kty ${JSON.stringify(j.kty ?? null)}`);
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
export function importJwks(
  doc: unknown,
  source: KeySourceInfo,
): { keys: KeyRecord[]; errors: { index: number; kid?: string; message: string }[] } {
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

/** Options of importSecretText. */
export interface SecretTextOptions {
  /** Read the utf8 text trimmed of leading and trailing whitespace (a verifier that trims). Default: raw. */
  trim?: boolean;
}

/**
 * Imports an HMAC secret given as text under an encoding. A utf8 secret is
 * read raw (whitespace included: what most verifiers do with a file or a
 * variable) unless `trim`; base64, base64url and hex texts are decoded
 * trimmed (their decoders ignore or refuse whitespace, so both readings
 * are one key). Either way a text with whitespace at an end says which
 * reading its bytes are (`source.reading`).
 *
 * @example importSecretText(readFileSync(path, 'utf8'), 'utf8', { kind: 'secret', location: path })
 */
export function importSecretText(
  text: string,
  encoding: SecretEncoding,
  source: KeySourceInfo,
  meta: { kid?: string; alg?: string } = {},
  options: SecretTextOptions = {},
): KeyRecord {
  const trimmed = text.trim();
  const useTrimmed = encoding !== 'utf8' || options.trim === true;
  const used = useTrimmed ? trimmed : text;
  const bytes = decodeSecret(used, encoding);
  if (!bytes) throw new KeyImportError(`the secret is not valid ${encoding}`);
  const reading: Partial<KeySourceInfo> = trimmed !== text ? { reading: useTrimmed ? 'trimmed' : 'raw' } : {};
  const rec = importSecret(bytes, { ...source, encoding, ...reading }, meta);
  secretTexts.set(rec, { stored: text, used });
  return rec;
}

/** The whitespace at the ends of a secret's stored text, by character name (no secret byte): undefined when there is none. */
export function secretWhitespace(rec: KeyRecord): { leading: string[]; trailing: string[] } | undefined {
  const t = secretTexts.get(rec);
  if (!t || t.stored.trim() === t.stored) return undefined;
  const lead = /^\s*/.exec(t.stored)![0];
  const trail = /\s*$/.exec(t.stored)![0];
  return { leading: [...lead].map(whitespaceName), trailing: [...trail].map(whitespaceName) };
}

const WHITESPACE_NAMES: Record<string, string> = {
  '\n': 'LF',
  '\r': 'CR',
  '\t': 'TAB',
  ' ': 'SPACE',
  '\v': 'VT',
  '\f': 'FF',
  '\u00a0': 'NBSP',
  '\ufeff': 'BOM',
};
function whitespaceName(c: string): string {
  return WHITESPACE_NAMES[c] ?? `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The other reading of a utf8 secret whose stored text has whitespace at
 * an end: the trimmed text when the key reads it raw, the raw text when it
 * reads it trimmed. Undefined when both readings are one key.
 */
export function otherWhitespaceReading(rec: KeyRecord): KeyRecord | undefined {
  const t = secretTexts.get(rec);
  if (!t || rec.source.encoding !== 'utf8' || rec.source.reading === undefined) return undefined;
  const other = rec.source.reading === 'raw' ? t.stored.trim() : t.stored;
  if (other === '') return undefined;
  return importSecret(
    Buffer.from(other, 'utf8'),
    { ...rec.source, reading: rec.source.reading === 'raw' ? 'trimmed' : 'raw' },
    sameKid(rec),
  );
}

function sameKid(rec: KeyRecord): { kid?: string } {
  return rec.kid !== undefined ? { kid: rec.kid } : {};
}

/**
 * The same secret read under each other encoding that decodes it: used to
 * detect `secret_encoding_mismatch` (signer reads base64, verifier utf8).
 * Decoded from the trimmed text: every decoder drops or refuses the
 * whitespace, and a signer that takes the text as it is has its own probe
 * (the whitespace reading).
 */
export function alternateSecretReadings(rec: KeyRecord): KeyRecord[] {
  const t = secretTexts.get(rec);
  if (t === undefined) return [];
  const text = t.stored.trim();
  const out: KeyRecord[] = [];
  for (const enc of SECRET_ENCODINGS) {
    if (enc === rec.source.encoding) continue;
    const bytes = decodeSecret(text, enc);
    if (!bytes || bytes.length === 0) continue;
    const { reading: _r, ...source } = rec.source;
    out.push(importSecret(bytes, { ...source, encoding: enc }, sameKid(rec)));
  }
  return out;
}

/** A reading two base64 layers deep: the layers, outermost first. */
export interface LayeredReading {
  layers: [SecretEncoding, SecretEncoding];
  record: KeyRecord;
}

const BASE64_ENCODINGS: readonly SecretEncoding[] = ['base64', 'base64url'];

/**
 * The secret decoded from base64 twice (each layer base64 or base64url):
 * the stored text was base64 of text that already was base64 (a
 * Kubernetes `data:` value made from an encoded secret). Distinct byte
 * strings only, none equal to the key's own bytes.
 */
export function doubleDecodedSecretReadings(rec: KeyRecord): LayeredReading[] {
  const t = secretTexts.get(rec);
  if (t === undefined) return [];
  const out: LayeredReading[] = [];
  const seen = new Set<string>([rec.fingerprint ?? '']);
  for (const outer of BASE64_ENCODINGS) {
    const once = decodeSecret(t.stored.trim(), outer);
    if (!once) continue;
    const inner = once.toString('latin1');
    for (const enc of BASE64_ENCODINGS) {
      const twice = decodeSecret(inner, enc);
      if (!twice || twice.length === 0) continue;
      const fp = fingerprintSecret(twice);
      if (seen.has(fp)) continue;
      seen.add(fp);
      const { reading: _r, ...source } = rec.source;
      out.push({ layers: [outer, enc], record: importSecret(twice, { ...source, encoding: enc }, sameKid(rec)) });
    }
  }
  return out;
}

/** Whether a secret's key bytes are themselves base64 text (the verifier reads an encoded text as the key). */
export function secretBytesLookEncoded(rec: KeyRecord): boolean {
  const t = secretTexts.get(rec);
  if (!t || rec.source.encoding === undefined || rec.source.encoding === 'utf8') return false;
  const bytes = decodeSecret(t.used, rec.source.encoding);
  return bytes !== undefined && BASE64_ENCODINGS.some((e) => decodeSecret(bytes.toString('latin1'), e) !== undefined);
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
