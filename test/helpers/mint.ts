/**
 * Test helpers: key pairs from node:crypto and compact JWS signing for
 * every JWS algorithm jwt-doctor supports. Shared by every test area, so
 * kept general and dependency-free (no jose here: jose is the oracle in
 * the differential test, not the minter).
 */
import { createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign, constants, type KeyObject } from 'node:crypto';
import { NOW } from './clock.ts';

export type JwsAlg =
  'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
export const ALL_ALGS: readonly JwsAlg[] = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export interface TestKey {
  alg: JwsAlg;
  /** Undefined (or absent): the header carries no kid. */
  kid?: string | undefined;
  /** Asymmetric: the signing key. */
  privateKey?: KeyObject;
  /** Asymmetric: the verification key. */
  publicKey?: KeyObject;
  /** Public JWK (with kid/alg when given), for JWKS files and servers. */
  publicJwk?: Record<string, unknown>;
  /** HMAC: the raw secret bytes. */
  secret?: Buffer;
}

export const b64url = (data: string | Buffer | Uint8Array | object): string =>
  (typeof data === 'string' || data instanceof Uint8Array ? Buffer.from(data as string) : Buffer.from(JSON.stringify(data))).toString(
    'base64url',
  );

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

// RSA generation costs ~50-200 ms: one 2048-bit pair per process is shared
// by every RS*/PS* key unless a fresh one (or another size) is asked for.
let sharedRsa: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** The issuer and audience of claimsAt's standard claim set. */
export const ISS = 'https://auth.example.com';
export const AUD = 'api';

/** An asymmetric test key: both halves and the public JWK are there. */
export interface AsymmetricTestKey extends TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export type AsymmetricAlg = Exclude<JwsAlg, 'HS256' | 'HS384' | 'HS512'>;

export interface MakeKeyOptions {
  kid?: string;
  /** A distinct RSA pair instead of the shared one (a "wrong key", another environment's key, another thumbprint). */
  fresh?: boolean;
  /** HMAC: these secret bytes instead of random ones. */
  secret?: Buffer;
  /** Put `alg` in the public JWK (RFC 7517 section 4.4). */
  jwkAlg?: boolean;
  /** Put `use` in the public JWK (RFC 7517 section 4.2), e.g. 'sig'. */
  use?: string;
  /** RSA modulus bits (default 2048; another size is always a fresh pair). */
  modulusLength?: number;
}

function rsaPair(options: MakeKeyOptions): { privateKey: KeyObject; publicKey: KeyObject } {
  const modulusLength = options.modulusLength ?? 2048;
  if (!options.fresh && modulusLength === 2048 && sharedRsa) return sharedRsa;
  const pair = generateKeyPairSync('rsa', { modulusLength });
  if (!options.fresh && modulusLength === 2048) sharedRsa = pair;
  return pair;
}

/**
 * A key for `alg`. RSA is 2048-bit and shared per process unless `fresh`.
 *
 * @example const k = makeKey('ES256', { kid: 'k1' }); signToken(k, claimsAt(NOW))
 */
export function makeKey(alg: AsymmetricAlg, options?: MakeKeyOptions): AsymmetricTestKey;
export function makeKey(alg: JwsAlg, options?: MakeKeyOptions): TestKey;
export function makeKey(alg: JwsAlg, options: MakeKeyOptions = {}): TestKey {
  const out: TestKey = { alg, ...(options.kid !== undefined ? { kid: options.kid } : {}) };
  const meta = {
    ...(options.kid !== undefined ? { kid: options.kid } : {}),
    ...(options.jwkAlg ? { alg } : {}),
    ...(options.use !== undefined ? { use: options.use } : {}),
  };
  if (alg.startsWith('HS')) {
    out.secret = options.secret ?? randomBytes(Number(alg.slice(2)) / 8);
    return out;
  }
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  if (alg.startsWith('RS') || alg.startsWith('PS')) pair = rsaPair(options);
  else if (alg.startsWith('ES')) pair = generateKeyPairSync('ec', { namedCurve: CURVE[alg]! });
  else pair = generateKeyPairSync('ed25519');
  out.privateKey = pair.privateKey;
  out.publicKey = pair.publicKey;
  out.publicJwk = { ...(pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), ...meta };
  return out;
}

/**
 * A key as an issuer's JWKS publishes it: kid, alg and use "sig" in the
 * public JWK, and a fresh pair, so two kids never share a thumbprint.
 *
 * @example const k1 = jwksKey('k1'); startServer({ '/jwks.json': json(jwksOf(k1)) })
 */
export function jwksKey(
  kid: string,
  alg: 'RS256' | 'ES256' = 'RS256',
  options: { modulusLength?: number } = {},
): AsymmetricTestKey & { kid: string } {
  return { ...makeKey(alg, { kid, fresh: true, jwkAlg: true, use: 'sig', ...options }), kid };
}

/** The raw signature bytes over `signingInput` for `alg` with `key`. */
export function signBytes(alg: JwsAlg | string, key: TestKey, signingInput: string): Buffer {
  const data = Buffer.from(signingInput, 'latin1');
  if (alg.startsWith('HS')) return createHmac(HASH[alg.slice(2)]!, key.secret!).update(data).digest();
  if (alg.startsWith('RS')) return cryptoSign(HASH[alg.slice(2)]!, data, key.privateKey!);
  if (alg.startsWith('PS')) {
    const bits = Number(alg.slice(2));
    return cryptoSign(HASH[alg.slice(2)]!, data, { key: key.privateKey!, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 });
  }
  if (alg.startsWith('ES')) return cryptoSign(HASH[alg.slice(2)]!, data, { key: key.privateKey!, dsaEncoding: 'ieee-p1363' });
  return cryptoSign(null, data, key.privateKey!);
}

export interface SignOptions {
  /** Extra or overriding header members (alg defaults to the key's). */
  header?: Record<string, unknown>;
  /** Sign with this alg instead of the key's (the header's alg is still `header.alg ?? key.alg`). */
  signAlg?: JwsAlg;
}

/**
 * A compact JWS: header `{alg, typ: 'JWT', kid?}` merged with
 * `options.header`, payload as JSON.
 *
 * @example signJws(makeKey('HS256'), { iss: 'https://a', exp: 2000000000 })
 */
export function signJws(key: TestKey, payload: Record<string, unknown> | string, options: SignOptions = {}): string {
  const header = { alg: key.alg, typ: 'JWT', ...(key.kid !== undefined ? { kid: key.kid } : {}), ...options.header };
  const input = `${b64url(header)}.${b64url(typeof payload === 'string' ? payload : payload)}`;
  return `${input}.${signBytes(options.signAlg ?? key.alg, key, input).toString('base64url')}`;
}

/**
 * A compact JWS of exactly `claims` (default: the standard claim set at
 * NOW), header `{alg, typ: 'JWT', kid?}` merged with `header`.
 *
 * @example signToken(k1, claimsAt(NOW, { exp: NOW - 30 }), { kid: 'other' })
 */
export function signToken(
  key: TestKey,
  claims: Record<string, unknown> | string = claimsAt(NOW),
  header: Record<string, unknown> = {},
): string {
  return signJws(key, claims, { header });
}

/** An unsigned compact token from raw header/payload (objects or exact JSON text) and a signature segment. */
export function rawToken(header: Record<string, unknown> | string, payload: Record<string, unknown> | string, signature = 'c2ln'): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

/** A JWKS document of the keys' public JWKs. */
export function jwksOf(...keys: TestKey[]): { keys: Record<string, unknown>[] } {
  return { keys: keys.filter((k) => k.publicJwk).map((k) => k.publicJwk!) };
}

/** PEM (SPKI) of an asymmetric test key's public half. */
export function spkiPem(key: TestKey): string {
  return key.publicKey!.export({ format: 'pem', type: 'spki' }).toString();
}

/** A standard claim set around `now` (NumericDate seconds). */
export function claimsAt(now: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISS, aud: AUD, sub: 'user-1', iat: now - 60, exp: now + 3600, ...extra };
}
