import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { ALGORITHMS, algorithmsForKey, getAlgorithm, type AlgorithmEntry } from '../keys/algorithms.ts';
import { decodeSecret, fingerprintSecret, jwkThumbprint, type SecretEncoding } from '../keys/import.ts';
import { readSecretRef, type SecretRef, type SecretRefContext } from '../contract/secret_ref.ts';

/** `environments.<env>.signer`, or the same built from --signer-key / --signer-secret. */
export interface SignerSpec {
  privateKey?: SecretRef;
  secret?: SecretRef & { encoding?: SecretEncoding; trim?: boolean };
  kid?: string;
  alg?: string;
}

/** A loaded signing key: material in `key` (never serialized), identity beside it. */
export interface Signer {
  alg: AlgorithmEntry;
  kid?: string;
  key: KeyObject;
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  /** JWK curve name (P-256, Ed25519) of EC and OKP keys. */
  crv?: string;
  /** RFC 7638 thumbprint of the public half (asymmetric keys). */
  thumbprint?: string;
  /** Keyed fingerprint (HMAC secrets): the same value `keys` and `diagnose` show. */
  fingerprint?: string;
  /** Where it was read: env:NAME or the file path. */
  location: string;
}

/** Raised when the signer cannot be loaded: the caller turns it into a ContractError or UsageError. */
export type SignerFailure = (field: string, expected: string, found: string) => Error;

// The alg a key type signs with when neither the signer nor the environment names one.
const DEFAULT_ALG: Record<string, string> = {
  RSA: 'RS256',
  'EC:P-256': 'ES256',
  'EC:P-384': 'ES384',
  'EC:P-521': 'ES512',
  'OKP:Ed25519': 'EdDSA',
  'OKP:Ed448': 'EdDSA',
  oct: 'HS256',
};

/**
 * Loads the signer's key from its variable or file: a PEM private key
 * (PKCS#8, PKCS#1, SEC1) or a private JWK, or an HMAC secret with its
 * encoding. The algorithm is the signer's `alg`, else the JWK's, else the
 * environment's first allowed algorithm that fits the key, else the key
 * type's usual one; an alg the key cannot sign with is refused (RFC 8725
 * section 3.1: algorithm bound to the key type).
 *
 * @example loadSigner({ privateKey: { file: 'keys/staging.pem' }, kid: 'stg-1' }, ['RS256'], { baseDir }, fail)
 */
export function loadSigner(spec: SignerSpec, allowed: readonly string[] | undefined, ctx: SecretRefContext, fail: SignerFailure): Signer {
  const ref = spec.privateKey ?? spec.secret;
  const field = spec.privateKey ? 'privateKey' : 'secret';
  if (!ref) throw fail('', 'privateKey or secret ({ env } or { file })', 'neither');
  // An HMAC secret is read as the verifier reads it (raw unless `trim`: src/keys/import.ts importSecretText), never trimmed silently.
  const read = readSecretRef(ref, ctx, { raw: !spec.privateKey });
  if (!read.ok) throw fail(field, 'a readable variable or file', read.why);
  const loaded = spec.privateKey
    ? privateKeyOf(read.text, fail)
    : secretKeyOf(read.text, spec.secret?.encoding ?? 'utf8', spec.secret?.trim === true, fail);
  const alg = pickAlg(spec.alg ?? loaded.jwkAlg, loaded, allowed, fail);
  const kid = spec.kid ?? loaded.jwkKid;
  return {
    alg,
    key: loaded.key,
    kty: loaded.kty,
    location: read.location,
    ...(loaded.crv !== undefined ? { crv: loaded.crv } : {}),
    ...(kid !== undefined ? { kid } : {}),
    ...loaded.identity,
  };
}

interface LoadedKey {
  key: KeyObject;
  kty: Signer['kty'];
  crv?: string;
  jwkKid?: string;
  jwkAlg?: string;
  identity: { thumbprint: string } | { fingerprint: string };
}

function privateKeyOf(text: string, fail: SignerFailure): LoadedKey {
  const trimmed = text.trim();
  let key: KeyObject;
  let jwk: Record<string, unknown> | undefined;
  try {
    if (trimmed.startsWith('{')) {
      jwk = JSON.parse(trimmed) as Record<string, unknown>;
      key = createPrivateKey({ key: jwk as never, format: 'jwk' });
    } else key = createPrivateKey(trimmed);
  } catch {
    // Never echo the text: it is (or is near) a private key.
    throw fail('privateKey', 'a private key: PEM (PKCS#8, PKCS#1, SEC1) or a private JWK', 'text that does not import as one');
  }
  const pub = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  const kty = pub.kty as LoadedKey['kty'];
  const out: LoadedKey = { key, kty, identity: { thumbprint: jwkThumbprint(pub) } };
  if (typeof pub.crv === 'string') out.crv = pub.crv;
  if (typeof jwk?.kid === 'string') out.jwkKid = jwk.kid;
  if (typeof jwk?.alg === 'string') out.jwkAlg = jwk.alg;
  return out;
}

function secretKeyOf(text: string, encoding: SecretEncoding, trim: boolean, fail: SignerFailure): LoadedKey {
  // The verifier's rule: utf8 raw unless trimmed; base64, base64url and hex decoded from the trimmed text.
  const bytes = decodeSecret(encoding !== 'utf8' || trim ? text.trim() : text, encoding);
  if (!bytes || bytes.length === 0) throw fail('secret.encoding', `a secret that decodes as ${encoding}`, 'one that does not');
  return { key: createSecretKey(bytes), kty: 'oct', identity: { fingerprint: fingerprintSecret(bytes) } };
}

function pickAlg(named: string | undefined, k: LoadedKey, allowed: readonly string[] | undefined, fail: SignerFailure): AlgorithmEntry {
  const fits = algorithmsForKey(k.kty, k.crv);
  if (named !== undefined) {
    const entry = getAlgorithm(named);
    if (!entry || !fits.includes(named))
      throw fail('alg', `an algorithm this ${k.kty}${k.crv ? ` ${k.crv}` : ''} key signs with (${fits.join(', ')})`, JSON.stringify(named));
    return entry;
  }
  const fromEnv = (allowed ?? []).find((a) => fits.includes(a));
  return ALGORITHMS[fromEnv ?? DEFAULT_ALG[k.crv ? `${k.kty}:${k.crv}` : k.kty] ?? fits[0]!]!;
}
