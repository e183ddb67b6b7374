import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { algorithmsForKey, getAlgorithm, type AlgorithmEntry } from '../keys/algorithms.ts';

/**
 * The drill's one way to make a token the target should accept. Kept to
 * `sign(header, payload) -> token` on purpose: at merge this module is
 * replaced by the `mintToken` library of `jwt-doctor mint` (issue 12 item 1),
 * which shapes tokens from the contract's `signer:` section. Nothing here
 * ever prints or returns key material beyond the public JWK.
 */
export interface DrillSigner {
  /** The JWS algorithm the key signs with (RFC 7518 section 3.1 name). */
  readonly alg: string;
  readonly kid?: string;
  /** The public half (asymmetric keys), for a JWK Set the drill serves. */
  readonly publicJwk?: Record<string, unknown>;
  /** A compact JWS (RFC 7515 section 7.1) of exactly this header and payload. */
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): string;
}

export interface SignerOptions {
  /** PEM private key (PKCS#8, PKCS#1, SEC1) or a private JWK file. */
  keyPath?: string;
  /** Name of the variable holding an HMAC secret (utf8). */
  secretVar?: string;
  vars?: Record<string, string | undefined>;
  /** The algorithm to sign with (default: the JWK's alg, else the first of `algorithms` the key can do). */
  alg?: string;
  kid?: string;
  /** The environment's allowed algorithms, in preference order. */
  algorithms?: readonly string[];
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** The signature bytes of `input` with `key` for the algorithm entry (RFC 7518 section 3). */
export function signWith(entry: AlgorithmEntry, key: KeyObject | Buffer, input: string): Buffer {
  const data = Buffer.from(input, 'latin1');
  if (entry.kty === 'oct') return createHmac(entry.hash!, key).update(data).digest();
  const k = key as KeyObject;
  if (entry.kty === 'EC') return cryptoSign(entry.hash, data, { key: k, dsaEncoding: 'ieee-p1363' });
  if (entry.kty === 'RSA')
    return cryptoSign(entry.hash, data, {
      key: k,
      padding: entry.padding!,
      ...(entry.saltLength !== undefined ? { saltLength: entry.saltLength } : {}),
    });
  return cryptoSign(null, data, k);
}

function makeSigner(
  entry: AlgorithmEntry,
  key: KeyObject | Buffer,
  kid: string | undefined,
  publicJwk: Record<string, unknown> | undefined,
): DrillSigner {
  return {
    alg: entry.name,
    ...(kid !== undefined ? { kid } : {}),
    ...(publicJwk ? { publicJwk } : {}),
    sign(header, payload) {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${signWith(entry, key, input).toString('base64url')}`;
    },
  };
}

/** Picks the signing algorithm: the flag, the JWK's alg, else the environment's first one the key can do. */
function pickAlg(
  kty: string,
  crv: string | undefined,
  wanted: string | undefined,
  algorithms: readonly string[] | undefined,
): AlgorithmEntry {
  const possible = algorithmsForKey(kty, crv);
  const name = wanted ?? (algorithms ?? []).find((a) => possible.includes(a)) ?? possible[0];
  const entry = getAlgorithm(name);
  if (!entry || !possible.includes(entry.name))
    throw new UsageError(
      `the signer key (${kty}${crv ? ' ' + crv : ''}) cannot sign ${name ?? 'any algorithm'}: pass --signer-alg with one of ${possible.join(', ')}`,
    );
  return entry;
}

function readPrivateKey(path: string): { key: KeyObject; jwk?: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --signer-key ${path}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    if (text.trimStart().startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      return { key: createPrivateKey({ key: jwk as never, format: 'jwk' }), jwk };
    }
    return { key: createPrivateKey(text) };
  } catch {
    // Never echo the file: it holds a private key.
    throw new UsageError(`--signer-key ${path} is not a private key (PEM PKCS#8 / PKCS#1 / SEC1, or a private JWK)`);
  }
}

/**
 * The signer from `--signer-key PATH` or `--signer-secret VAR`.
 *
 * @example const s = loadDrillSigner({ keyPath: 'staging-signer.pem', kid: 'staging-2026-11', algorithms: ['RS256'] }); s.sign({ alg: s.alg, kid: s.kid }, claims)
 */
export function loadDrillSigner(options: SignerOptions): DrillSigner {
  if (options.keyPath !== undefined && options.secretVar !== undefined)
    throw new UsageError('give --signer-key or --signer-secret, not both');
  if (options.secretVar !== undefined) {
    const value = (options.vars ?? process.env)[options.secretVar];
    if (value === undefined || value === '') throw new UsageError(`--signer-secret ${options.secretVar}: the variable is not set`);
    return makeSigner(pickAlg('oct', undefined, options.alg, options.algorithms), Buffer.from(value, 'utf8'), options.kid, undefined);
  }
  if (options.keyPath === undefined) throw new UsageError('no signer key: pass --signer-key PATH or --signer-secret VAR');
  const { key, jwk } = readPrivateKey(options.keyPath);
  const pub = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  const kty = String(pub.kty);
  const crv = typeof pub.crv === 'string' ? pub.crv : undefined;
  const entry = pickAlg(kty, crv, options.alg ?? (typeof jwk?.alg === 'string' ? jwk.alg : undefined), options.algorithms);
  const kid = options.kid ?? (typeof jwk?.kid === 'string' ? jwk.kid : undefined);
  return makeSigner(entry, key, kid, { ...pub, ...(kid !== undefined ? { kid } : {}), alg: entry.name, use: 'sig' });
}

/**
 * A fresh key pair the drill publishes itself (a JWK Set it serves): RSA
 * 2048 for RS and PS, the curve of ES*, Ed25519 for EdDSA.
 *
 * @example const next = generateDrillSigner('RS256', 'drill-next');
 */
export function generateDrillSigner(alg: string, kid: string): DrillSigner {
  const entry = getAlgorithm(alg);
  if (!entry || entry.kty === 'oct') throw new UsageError(`the drill publishes asymmetric keys only; ${alg} is not one`);
  const pair =
    entry.kty === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : entry.kty === 'EC'
        ? generateKeyPairSync('ec', { namedCurve: entry.curves![0]! })
        : generateKeyPairSync('ed25519');
  const pub = pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return makeSigner(entry, pair.privateKey, kid, { ...pub, kid, alg: entry.name, use: 'sig' });
}
