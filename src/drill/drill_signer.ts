import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { Contract } from '../contract/load.ts';
import { UsageError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import { getAlgorithm } from '../keys/algorithms.ts';
import { jwkThumbprint } from '../keys/import.ts';
import { b64urlJson } from '../mint/encode.ts';
import { loadSigner, type Signer, type SignerSpec } from '../mint/load_signer.ts';
import { environmentSigner } from '../mint/mint_token.ts';
import { signJws } from '../mint/sign_jws.ts';

/**
 * The drill's way to make a token the target should accept: the shared
 * signer of `jwt-doctor mint` (src/mint: loadSigner reads the key,
 * signJws signs) behind `sign(header, payload) -> token`, because a drill
 * needs exact headers and claims (shifted times, crit, kid) that mintToken's
 * contract-shaped tokens do not take. Nothing here ever prints or returns
 * key material beyond the public JWK.
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

/** A loaded mint signer as the drill uses it. */
export function toDrillSigner(signer: Signer): DrillSigner {
  const { alg, key, kid } = signer;
  const publicJwk =
    signer.kty === 'oct'
      ? undefined
      : {
          ...(createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>),
          ...(kid !== undefined ? { kid } : {}),
          alg: alg.name,
          use: 'sig',
        };
  return {
    alg: alg.name,
    ...(kid !== undefined ? { kid } : {}),
    ...(publicJwk ? { publicJwk } : {}),
    sign(header, payload) {
      const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
      return `${input}.${signJws(alg, key, input).toString('base64url')}`;
    },
  };
}

/**
 * The signer from `--signer-key PATH` or `--signer-secret VAR`.
 *
 * @example const s = loadDrillSigner({ keyPath: 'staging-signer.pem', kid: 'staging-2026-11', algorithms: ['RS256'] }); s.sign({ alg: s.alg, kid: s.kid }, claims)
 */
export function loadDrillSigner(options: SignerOptions): DrillSigner {
  if (options.keyPath !== undefined && options.secretVar !== undefined)
    throw new UsageError('give --signer-key or --signer-secret, not both');
  if (options.keyPath === undefined && options.secretVar === undefined)
    throw new UsageError('no signer key: pass --signer-key PATH or --signer-secret VAR');
  const flag = options.keyPath !== undefined ? `--signer-key ${options.keyPath}` : `--signer-secret ${options.secretVar!}`;
  const spec: SignerSpec = {
    ...(options.keyPath !== undefined ? { privateKey: { file: options.keyPath } } : { secret: { env: options.secretVar! } }),
    ...(options.alg !== undefined ? { alg: options.alg } : {}),
    ...(options.kid !== undefined ? { kid: options.kid } : {}),
  };
  // The messages name what was expected and found, never the key text (load_signer.ts).
  const fail = (field: string, expected: string, found: string) =>
    new UsageError(
      `${flag}${field && field !== 'privateKey' && field !== 'secret' ? ` (${field})` : ''}: expected ${expected}, found ${found}`,
    );
  return toDrillSigner(loadSigner(spec, options.algorithms, options.vars ? { vars: options.vars } : {}, fail));
}

/**
 * The environment's own `signer:` section (the one `jwt-doctor mint` signs
 * with), when it has one: the drill's signer when no flag names another.
 *
 * @example const s = contractDrillSigner(contract, contract.environments.staging);
 */
export function contractDrillSigner(contract: Contract, env: Expectations): DrillSigner | undefined {
  return env.signer === undefined ? undefined : toDrillSigner(environmentSigner(contract, env, {}));
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
  return toDrillSigner({
    alg: entry,
    kid,
    key: pair.privateKey,
    kty: entry.kty,
    ...(typeof pub.crv === 'string' ? { crv: pub.crv } : {}),
    thumbprint: jwkThumbprint(pub),
    location: 'generated by the drill',
  });
}
