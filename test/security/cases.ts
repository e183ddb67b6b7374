/**
 * The adversarial case table: forged and hostile tokens from public
 * catalogs (RFC 8725, ticarpi/jwt_tool's attack modes, CVE-2022-21449
 * psychic signatures, CVE-2018-0114 embedded jwk, jsonwebtoken
 * CVE-2022-23539/40/41), each with the environment it is checked against
 * and the reason code it must get.
 *
 * Tokens are built here with node:crypto directly, not with the project's
 * helpers: a bug in our own minting must not hide a bug in our checking.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import type { Expectations } from '../../src/expectations.ts';
import { NOW } from '../helpers/clock.ts';

/** The fixed check instant of every case: the suite's clock. */
export { NOW };
export const ISS = 'https://auth.adversarial.example.com';
export const AUD = 'api-adversarial';
/** The HMAC secret of the `hs` environment (used by the redaction test too). */
export const HS_SECRET = 'adversarial-suite-known-hmac-secret-0123456789';

const FIXTURES = new URL('../fixtures/keys/', import.meta.url);

export const b64u = (data: string | Buffer | object): string =>
  (typeof data === 'string' || Buffer.isBuffer(data) ? Buffer.from(data as string) : Buffer.from(JSON.stringify(data))).toString(
    'base64url',
  );

export interface KeyMaterial {
  rsa: { privateKey: KeyObject; publicKey: KeyObject };
  ec: { privateKey: KeyObject; publicKey: KeyObject };
  /** Keys the attacker owns (never in any environment). */
  attackerRsa: { privateKey: KeyObject; publicKey: KeyObject };
  attackerEc: { privateKey: KeyObject; publicKey: KeyObject };
  /** The certificate environment's key (test/fixtures/keys/cert-signer.*). */
  certPem: string;
  certKey: KeyObject;
}

export function makeKeyMaterial(): KeyMaterial {
  const certPem = readFileSync(new URL('cert-signer.crt.pem', FIXTURES), 'utf8');
  return {
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    attackerRsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    attackerEc: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    certPem,
    certKey: createPrivateKey(readFileSync(new URL('cert-signer.key.pem', FIXTURES), 'utf8')),
  };
}

export type EnvName = 'rs' | 'rsOpen' | 'es' | 'cert' | 'hs';

/**
 * The environments the cases run against. `rs` pins RS256; `rsOpen` and
 * `es` list no algorithms (what the keys can verify), the setting where
 * algorithm confusion bites; `cert` trusts an X.509 certificate; `hs` a
 * shared secret.
 */
export function environments(km: KeyMaterial): Record<EnvName, Expectations> {
  const common = { issuer: [ISS], audience: [AUD], requiredClaims: ['sub', 'exp'] };
  const spki = (k: KeyObject) => k.export({ format: 'pem', type: 'spki' }).toString();
  return {
    rs: { name: 'rs', ...common, algorithms: ['RS256'], keys: [{ pem: spki(km.rsa.publicKey), kid: 'rs-1' }] },
    rsOpen: { name: 'rsOpen', ...common, keys: [{ jwk: { ...(km.rsa.publicKey.export({ format: 'jwk' }) as object), kid: 'rs-1' } }] },
    es: { name: 'es', ...common, keys: [{ pem: spki(km.ec.publicKey), kid: 'es-1' }] },
    cert: { name: 'cert', ...common, keys: [{ pem: km.certPem }] },
    hs: { name: 'hs', ...common, algorithms: ['HS256'], keys: [{ secret: { value: HS_SECRET, encoding: 'utf8' }, kid: 'hs-1' }] },
  };
}

/** A valid claim set at NOW. */
export function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISS, aud: AUD, sub: 'user-1', iat: NOW - 60, exp: NOW + 3600, ...extra };
}

const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** header.payload from objects or exact JSON text / bytes. */
export function signingInput(header: object | string | Buffer, payload: object | string | Buffer): string {
  return `${b64u(header)}.${b64u(payload)}`;
}

export function hmac(alg: string, secret: string | Buffer, input: string): string {
  return createHmac(HASH[alg.slice(2)]!, secret).update(input).digest('base64url');
}

export function rsSign(key: KeyObject, input: string, hash = 'sha256'): string {
  return cryptoSign(hash, Buffer.from(input), key).toString('base64url');
}

export function esSign(key: KeyObject, input: string, encoding: 'ieee-p1363' | 'der' = 'ieee-p1363'): string {
  return cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: encoding }).toString('base64url');
}

export interface AdversarialCase {
  /** Unique, names the attack. */
  name: string;
  /** Which catalog entry it comes from. */
  source: string;
  env: EnvName;
  token: string;
  /** The diagnosis result it must get. */
  code: string;
  /** Codes that must be among the diagnosis' findings besides the result. */
  findings?: string[];
  /** The middleware's error_description, when it names a more specific code than the result. */
  mw?: string;
  /** The middleware status when it is not 401. */
  status?: number;
  /**
   * Signed by the environment's real key with benign intent (claims-shape
   * cases): such a token may be valid. Every other case is forged and must
   * never be.
   */
  signerMade?: boolean;
  /** Cannot travel in an HTTP header (CR/LF): the middleware case calls the verifier in process. */
  inProcess?: boolean;
}

const ALG_NONE_SPELLINGS = ['none', 'None', 'NONE', 'nOnE', 'NoNe', 'nONE'];

/** Every forged / hostile token, built from the key material and the listener URL (jku/x5u). */
export function buildCases(km: KeyMaterial, listener: string): AdversarialCase[] {
  const out: AdversarialCase[] = [];
  const add = (c: AdversarialCase) => out.push(c);
  const rsReal = (header: object | string, payload: object | string | Buffer) => {
    const input = signingInput(header, payload);
    return `${input}.${rsSign(km.rsa.privateKey, input)}`;
  };
  const rsHeader = { alg: 'RS256', typ: 'JWT', kid: 'rs-1' };

  // RFC 8725 section 2.1 / 3.1; jsonwebtoken CVE-2022-23540: alg none, any case, with and without a signature.
  for (const alg of ALG_NONE_SPELLINGS) {
    for (const env of ['rs', 'hs'] as const) {
      const input = signingInput({ alg, typ: 'JWT' }, claims());
      add({
        name: `alg ${alg}, empty signature (${env})`,
        source: 'RFC 8725 3.1; jwt_tool -X a',
        env,
        token: `${input}.`,
        code: 'alg_none',
      });
      add({
        name: `alg ${alg}, with a signature (${env})`,
        source: 'RFC 8725 3.1; CVE-2022-23540',
        env,
        token: `${input}.${rsSign(km.attackerRsa.privateKey, input)}`,
        code: 'alg_none',
      });
    }
    const kidInput = signingInput({ alg, kid: 'rs-1' }, claims());
    add({
      name: `alg ${alg} with the real kid and the real key's RS256 signature`,
      source: 'jwt_tool -X a',
      env: 'rs',
      token: `${kidInput}.${rsSign(km.rsa.privateKey, kidInput)}`,
      code: 'alg_none',
    });
  }

  // RFC 8725 section 2.1 / 3.1; jwt_tool -X k; CVE-2022-23541: the public key, in every encoding, as the HMAC secret.
  const rsaPub = km.rsa.publicKey;
  const spkiPem = rsaPub.export({ format: 'pem', type: 'spki' }).toString();
  const pkcs1Pem = rsaPub.export({ format: 'pem', type: 'pkcs1' }).toString();
  const oneLine = (pem: string) => pem.replace(/\r?\n/g, '');
  const rsaSecrets: Record<string, string | Buffer> = {
    'SPKI PEM': spkiPem,
    'SPKI PEM without trailing newline': spkiPem.trimEnd(),
    'SPKI PEM without newlines': oneLine(spkiPem),
    'SPKI PEM with CRLF': spkiPem.replace(/\n/g, '\r\n'),
    'PKCS#1 PEM': pkcs1Pem,
    'PKCS#1 PEM without newlines': oneLine(pkcs1Pem),
    'SPKI DER': rsaPub.export({ format: 'der', type: 'spki' }),
    'PKCS#1 DER': rsaPub.export({ format: 'der', type: 'pkcs1' }),
    'JWK JSON': JSON.stringify(rsaPub.export({ format: 'jwk' })),
    'JWK JSON with kid': JSON.stringify({ ...(rsaPub.export({ format: 'jwk' }) as object), kid: 'rs-1' }),
    'modulus n (base64url text)': (rsaPub.export({ format: 'jwk' }) as { n: string }).n,
  };
  for (const [label, secret] of Object.entries(rsaSecrets)) {
    for (const alg of ['HS256', 'HS512']) {
      for (const env of ['rs', 'rsOpen'] as const) {
        for (const kid of [undefined, 'rs-1']) {
          const input = signingInput({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }, claims());
          add({
            name: `${alg} keyed with the RSA public key as ${label} (${env}, ${kid ? 'kid' : 'no kid'})`,
            source: 'RFC 8725 2.1; jwt_tool -X k; CVE-2022-23541',
            env,
            token: `${input}.${hmac(alg, secret, input)}`,
            code: 'alg_not_allowed',
          });
        }
      }
    }
  }
  const cert = new X509Certificate(km.certPem);
  const certSecrets: Record<string, string | Buffer> = {
    'certificate PEM': km.certPem,
    'certificate PEM without newlines': oneLine(km.certPem),
    'certificate DER': cert.raw,
    "certificate's SPKI PEM": cert.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
  for (const [label, secret] of Object.entries(certSecrets)) {
    const input = signingInput({ alg: 'HS256', typ: 'JWT' }, claims());
    add({
      name: `HS256 keyed with the ${label}`,
      source: 'RFC 8725 2.1; jwt_tool -X k',
      env: 'cert',
      token: `${input}.${hmac('HS256', secret, input)}`,
      code: 'alg_not_allowed',
    });
  }
  const ecPub = km.ec.publicKey;
  const ecJwk = ecPub.export({ format: 'jwk' }) as { x: string; y: string };
  const ecSecrets: Record<string, string | Buffer> = {
    'SPKI PEM': ecPub.export({ format: 'pem', type: 'spki' }).toString(),
    'SPKI PEM without newlines': oneLine(ecPub.export({ format: 'pem', type: 'spki' }).toString()),
    'SPKI DER': ecPub.export({ format: 'der', type: 'spki' }),
    'JWK JSON': JSON.stringify(ecJwk),
    'uncompressed point': Buffer.concat([Buffer.from([4]), Buffer.from(ecJwk.x, 'base64url'), Buffer.from(ecJwk.y, 'base64url')]),
  };
  for (const [label, secret] of Object.entries(ecSecrets)) {
    for (const kid of [undefined, 'es-1']) {
      const input = signingInput({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) }, claims());
      add({
        name: `HS256 keyed with the EC public key as ${label} (${kid ? 'kid' : 'no kid'})`,
        source: 'RFC 8725 2.1; CVE-2022-23541',
        env: 'es',
        token: `${input}.${hmac('HS256', secret, input)}`,
        code: 'alg_not_allowed',
      });
    }
  }
  // Other algorithm swaps against a pinned RS256 verifier.
  for (const alg of ['PS256', 'RS512', 'rs256', 'ES256', 'EdDSA', 'HS256 ']) {
    const input = signingInput({ alg, kid: 'rs-1' }, claims());
    add({
      name: `alg ${JSON.stringify(alg)} against RS256 only`,
      source: 'RFC 8725 3.1',
      env: 'rs',
      token: `${input}.${rsSign(km.rsa.privateKey, input)}`,
      code: 'alg_not_allowed',
    });
  }
  {
    const input = signingInput({ alg: '', kid: 'rs-1' }, claims());
    add({
      name: 'alg "" (empty string)',
      source: 'RFC 7515 4.1.1',
      env: 'rs',
      token: `${input}.${rsSign(km.rsa.privateKey, input)}`,
      code: 'alg_not_allowed',
    });
  }
  for (const alg of [null, 256, ['RS256'], { name: 'RS256' }]) {
    const input = signingInput({ alg, kid: 'rs-1' }, claims());
    add({
      name: `alg ${JSON.stringify(alg)} (not a non-empty string)`,
      source: 'RFC 7515 4.1.1',
      env: 'rs',
      token: `${input}.${rsSign(km.rsa.privateKey, input)}`,
      code: 'malformed_token',
    });
  }
  {
    const input = signingInput({ typ: 'JWT', kid: 'rs-1' }, claims());
    add({
      name: 'no alg member',
      source: 'RFC 7515 4.1.1',
      env: 'rs',
      token: `${input}.${rsSign(km.rsa.privateKey, input)}`,
      code: 'malformed_token',
    });
  }

  addKeyReferenceCases(add, km, listener);
  addKidCases(add, km);
  addEcdsaCases(add, km);
  addHeaderCases(add, km, rsReal, rsHeader);
  addClaimCases(add, rsReal, rsHeader);
  addEncodingCases(add, km, rsReal, rsHeader);
  return out;
}

type Add = (c: AdversarialCase) => void;
type RsReal = (header: object | string, payload: object | string | Buffer) => string;

/** CVE-2018-0114, jwt_tool -X i / -X s / -X u: keys the token brings with it. Nothing may be fetched or trusted. */
function addKeyReferenceCases(add: Add, km: KeyMaterial, listener: string): void {
  const attackerJwk = { ...(km.attackerRsa.publicKey.export({ format: 'jwk' }) as object), kid: 'rs-1' };
  const certB64 = new X509Certificate(km.certPem).raw.toString('base64');
  const refs: Record<string, object> = {
    'embedded jwk (attacker key, real kid)': { jwk: attackerJwk, kid: 'rs-1' },
    'embedded jwk (attacker key, no kid)': { jwk: attackerJwk },
    'embedded jwk (attacker key, own kid)': { jwk: { ...attackerJwk, kid: 'evil' }, kid: 'evil' },
    'jku to a listener (real kid)': { jku: `${listener}/jwks.json`, kid: 'rs-1' },
    'jku to a listener (own kid)': { jku: `${listener}/jwks.json`, kid: 'evil' },
    'x5u to a listener': { x5u: `${listener}/cert.pem`, kid: 'rs-1' },
    'x5u to a listener, no kid': { x5u: `${listener}/cert.pem` },
    'jku and x5u together': { jku: `${listener}/jwks.json`, x5u: `${listener}/cert.pem` },
    'jwk with jku inside': { jwk: { ...attackerJwk, jku: `${listener}/jwks.json` } },
  };
  for (const [label, extra] of Object.entries(refs)) {
    const input = signingInput({ alg: 'RS256', typ: 'JWT', ...extra }, claims());
    const kid = (extra as { kid?: string }).kid;
    add({
      name: label,
      source: 'CVE-2018-0114; jwt_tool -X i/-X s; RFC 8725 3.10',
      env: 'rs',
      token: `${input}.${rsSign(km.attackerRsa.privateKey, input)}`,
      code: kid === 'evil' ? 'key_not_found' : 'signature_invalid',
    });
  }
  // x5c carrying the cert whose private key signed: trusted only if the contract names it (here it does not).
  const input = signingInput({ alg: 'RS256', x5c: [certB64] }, claims());
  add({
    name: 'x5c with a self-supplied certificate',
    source: 'jwt_tool -X s; RFC 8725 3.10',
    env: 'rs',
    token: `${input}.${rsSign(km.certKey, input)}`,
    code: 'signature_invalid',
  });
  const octInput = signingInput({ alg: 'HS256', jwk: { kty: 'oct', k: b64u('attacker') } }, claims());
  add({
    name: 'embedded oct jwk, HS256 with its k',
    source: 'CVE-2018-0114',
    env: 'rs',
    token: `${octInput}.${hmac('HS256', 'attacker', octInput)}`,
    code: 'alg_not_allowed',
  });
  add({
    name: 'embedded oct jwk, HS256 with its k (hs env)',
    source: 'CVE-2018-0114',
    env: 'hs',
    token: `${octInput}.${hmac('HS256', 'attacker', octInput)}`,
    code: 'signature_invalid',
  });
}

/** jwt_tool -I -hc kid -hv ...: kid traversal, injection, empty, huge, not a string. */
function addKidCases(add: Add, km: KeyMaterial): void {
  const kids: Record<string, unknown> = {
    'path traversal to /dev/null': '../../../../../../dev/null',
    'absolute /dev/null': '/dev/null',
    'path traversal to /etc/passwd': '../../../../etc/passwd',
    'URL-encoded traversal': '..%2f..%2f..%2fdev%2fnull',
    'SQL injection (OR 1=1)': "x' OR '1'='1",
    'SQL injection (UNION key)': "x' UNION SELECT 'secret' --",
    'command injection ($())': '$(touch /tmp/jwt-doctor-pwned)',
    'command injection (pipe)': 'key|id',
    'command injection (backticks)': '`id`',
    'NUL byte': 'rs-1\u0000',
    'kid of the real key plus a suffix': 'rs-1 ',
    'empty kid': '',
    '10 KB kid': 'K'.repeat(10 * 1024),
  };
  for (const [label, kid] of Object.entries(kids)) {
    // jwt_tool signs these with HS256 and an empty or predictable secret (the contents of /dev/null).
    const hsInput = signingInput({ alg: 'HS256', kid }, claims());
    add({
      name: `kid ${label}, HS256 with an empty secret (hs env)`,
      source: 'jwt_tool -I -hc kid',
      env: 'hs',
      token: `${hsInput}.${hmac('HS256', '', hsInput)}`,
      code: 'key_not_found',
    });
    const rsInput = signingInput({ alg: 'RS256', kid }, claims());
    add({
      name: `kid ${label}, attacker RS256`,
      source: 'jwt_tool -I -hc kid',
      env: 'rs',
      token: `${rsInput}.${rsSign(km.attackerRsa.privateKey, rsInput)}`,
      code: 'key_not_found',
    });
  }
  for (const kid of [123, null, true, ['rs-1'], { id: 'rs-1' }]) {
    const input = signingInput({ alg: 'RS256', kid }, claims());
    add({
      name: `kid ${JSON.stringify(kid)} (not a string), attacker RS256`,
      source: 'RFC 7515 4.1.4',
      env: 'rs',
      token: `${input}.${rsSign(km.attackerRsa.privateKey, input)}`,
      code: 'malformed_token',
    });
  }
}

/** P-256 order n. */
const N_P256 = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');

/** CVE-2022-21449 psychic signatures and other ECDSA encodings. */
function addEcdsaCases(add: Add, km: KeyMaterial): void {
  const zero = Buffer.alloc(32);
  const one = Buffer.alloc(32);
  one[31] = 1;
  const nPlus = (k: number) => {
    const b = Buffer.from(N_P256);
    b[31] = b[31]! + k;
    return b;
  };
  const ff = Buffer.alloc(32, 0xff);
  const raw: Record<string, Buffer> = {
    'r = s = 0': Buffer.concat([zero, zero]),
    'r = s = 0, kid-less': Buffer.concat([zero, zero]),
    'r = 0, s = 1': Buffer.concat([zero, one]),
    'r = s = n': Buffer.concat([N_P256, N_P256]),
    'r = n, s = 1': Buffer.concat([N_P256, one]),
    'r = 1, s = n + 1': Buffer.concat([one, nPlus(1)]),
    'r = s = 2^256 - 1': Buffer.concat([ff, ff]),
    'empty signature': Buffer.alloc(0),
    '63 zero bytes': Buffer.alloc(63),
    '65 zero bytes': Buffer.alloc(65),
  };
  for (const [label, sig] of Object.entries(raw)) {
    const kid = label.includes('kid-less') ? {} : { kid: 'es-1' };
    const input = signingInput({ alg: 'ES256', ...kid }, claims());
    add({ name: `ES256 ${label}`, source: 'CVE-2022-21449', env: 'es', token: `${input}.${b64u(sig)}`, code: 'signature_invalid' });
  }
  // The real key's valid signature with s replaced by n - s (malleability) verifies in ECDSA: signerMade, any verdict fine but checked for no crash.
  const input = signingInput({ alg: 'ES256', kid: 'es-1' }, claims());
  add({
    name: 'ES256 real key, DER-encoded signature instead of raw r||s',
    source: 'RFC 7518 3.4',
    env: 'es',
    token: `${input}.${esSign(km.ec.privateKey, input, 'der')}`,
    code: 'signature_invalid',
  });
  const attackerInput = signingInput({ alg: 'ES256', kid: 'es-1' }, claims({ sub: 'admin' }));
  add({
    name: 'ES256 attacker key with the real kid',
    source: 'RFC 8725 3.1',
    env: 'es',
    token: `${attackerInput}.${esSign(km.attackerEc.privateKey, attackerInput)}`,
    code: 'signature_invalid',
  });
}

/** RFC 7515 4.1.11 crit, RFC 7797 b64, zip on a JWS, duplicate header members. */
function addHeaderCases(add: Add, km: KeyMaterial, rsReal: RsReal, rsHeader: object): void {
  add({
    name: 'crit names an unknown extension',
    source: 'RFC 7515 4.1.11; RFC 8725 3.?',
    env: 'rs',
    token: rsReal({ ...rsHeader, crit: ['x-unknown'], 'x-unknown': 1 }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'crit names a registered member (exp)',
    source: 'RFC 7515 4.1.11',
    env: 'rs',
    token: rsReal({ ...rsHeader, crit: ['exp'], exp: NOW + 10 }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'crit empty list',
    source: 'RFC 7515 4.1.11',
    env: 'rs',
    token: rsReal({ ...rsHeader, crit: [] }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'crit not a list',
    source: 'RFC 7515 4.1.11',
    env: 'rs',
    token: rsReal({ ...rsHeader, crit: 'b64' }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'b64 false with crit (RFC 7797 unencoded payload)',
    source: 'RFC 7797; RFC 8725',
    env: 'rs',
    token: rsReal({ ...rsHeader, b64: false, crit: ['b64'] }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'b64 false without crit',
    source: 'RFC 7797 section 6',
    env: 'rs',
    token: rsReal({ ...rsHeader, b64: false }, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  const deflated = deflateRawSync(Buffer.from(JSON.stringify(claims())));
  add({
    name: 'zip DEF with a deflated payload (JWE-only member)',
    source: 'RFC 7516 4.1.3; RFC 8725 3.6',
    env: 'rs',
    token: rsReal({ ...rsHeader, zip: 'DEF' }, deflated),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'duplicate alg member (RS256 then none)',
    source: 'RFC 7515 5.2; RFC 8725',
    env: 'rs',
    token: rsReal('{"alg":"RS256","kid":"rs-1","alg":"none"}', claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'duplicate alg member (none then RS256)',
    source: 'RFC 7515 5.2',
    env: 'rs',
    token: rsReal('{"alg":"none","kid":"rs-1","alg":"RS256"}', claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'duplicate kid member',
    source: 'RFC 7515 5.2',
    env: 'rs',
    token: rsReal('{"alg":"RS256","kid":"evil","kid":"rs-1"}', claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'header is a JSON array',
    source: 'RFC 7515 5.2',
    env: 'rs',
    token: rsReal('["RS256"]', claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'header is JSON null',
    source: 'RFC 7515 5.2',
    env: 'rs',
    token: rsReal('null', claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  add({
    name: 'header has a __proto__ member',
    source: 'prototype pollution',
    env: 'rs',
    token: rsReal('{"alg":"RS256","kid":"rs-1","__proto__":{"alg":"none","polluted":true}}', claims()),
    code: 'valid',
    signerMade: true,
  });
  void km;
}

/** Claim shapes: duplicates, prototype keys, NumericDates, aud, payload types, nesting, UTF-8. */
function addClaimCases(add: Add, rsReal: RsReal, rsHeader: object): void {
  const c = JSON.stringify(claims()).slice(1, -1);
  const signed = (payload: object | string | Buffer, code: string, name: string, extra: Partial<AdversarialCase> = {}) =>
    add({
      name,
      source: extra.source ?? 'RFC 7519 / RFC 8725',
      env: 'rs',
      token: rsReal(rsHeader, payload),
      code,
      signerMade: true,
      ...extra,
    });
  signed(`{${c},"sub":"admin"}`, 'malformed_token', 'duplicate sub claim (admin last)', { source: 'RFC 7519 section 4; jwt_tool' });
  signed(`{"sub":"admin",${c}}`, 'malformed_token', 'duplicate sub claim (admin first)');
  signed(`{${c},"exp":${NOW + 99999999}}`, 'malformed_token', 'duplicate exp claim');
  signed(`{${c},"__proto__":{"isAdmin":true,"sub":"admin"}}`, 'valid', '__proto__ claim (object)', { source: 'prototype pollution' });
  signed(`{${c},"constructor":{"prototype":{"isAdmin":true}}}`, 'valid', 'constructor.prototype claim', { source: 'prototype pollution' });
  signed(`{${c},"__proto__":null}`, 'valid', '__proto__ null claim', { source: 'prototype pollution' });
  signed(`{${c},"__proto__":{"a":1},"__proto__":{"b":2}}`, 'malformed_token', 'duplicate __proto__ claims', {
    source: 'prototype pollution',
  });
  signed(`{${c},"toString":"x","hasOwnProperty":"y","valueOf":1}`, 'valid', 'Object.prototype method names as claims', {
    source: 'prototype pollution',
  });
  // NumericDates: RFC 7519 section 2, a JSON number; out-of-range values must not crash date formatting.
  const dates: [string, string, string][] = [
    ['exp as a string', `"exp":"${NOW + 3600}"`, 'malformed_token'],
    ['exp 1e400 (Infinity)', '"exp":1e400', 'malformed_token'],
    ['exp 1e300', '"exp":1e300', 'valid'],
    ['exp beyond the Date range (8.64e12 s + 1)', '"exp":8640000000001', 'valid'],
    ['exp -1e300 (expired)', '"exp":-1e300', 'token_expired'],
    ['exp beyond the Date range, negative', '"exp":-8640000000001', 'token_expired'],
    ['nbf 1e300 (not yet valid)', '"nbf":1e300', 'token_not_yet_valid'],
    ['nbf beyond the Date range', '"nbf":8640000000001', 'token_not_yet_valid'],
    ['iat 1e300 (in the future)', '"iat":1e300', 'iat_in_future'],
    ['iat beyond the Date range', '"iat":8640000000001', 'iat_in_future'],
    ['iat as a string', `"iat":"${NOW}"`, 'malformed_token'],
    ['nbf as a boolean', '"nbf":true', 'malformed_token'],
    ['exp as null', '"exp":null', 'malformed_token'],
    ['exp fractional, half a second ago', `"exp":${NOW - 1}.5`, 'token_expired'],
    ['exp -0', '"exp":-0', 'token_expired'],
  ];
  const base = claims() as Record<string, unknown>;
  for (const [name, member, code] of dates) {
    const key = member.slice(1, member.indexOf('"', 1));
    const rest = JSON.stringify(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))).slice(1, -1);
    signed(`{${rest},${member}}`, code, `NumericDate: ${name}`, { source: 'RFC 7519 section 2' });
  }
  // -1e308 is a finite JSON number: now - iat must not overflow to Infinity in reports or metrics.
  signed(
    `{${JSON.stringify(claims())
      .slice(1, -1)
      .replace(/"iat":\d+/, '"iat":-1e308')
      .replace(/"exp":\d+/, `"exp":${NOW - 5}`)}}`,
    'token_expired',
    'iat -1e308 with exp just past',
    { source: 'RFC 7519 section 2' },
  );
  signed(
    `{${JSON.stringify(claims())
      .slice(1, -1)
      .replace(/"iat":\d+/, '"iat":-1.7e308')
      .replace(/"exp":\d+/, '"exp":1.7e308')}}`,
    'valid',
    'iat -1.7e308, exp 1.7e308 (lifetime overflows)',
    { source: 'RFC 7519 section 2' },
  );
  signed({ ...claims(), aud: [] }, 'claim_mismatch', 'aud: []', { mw: 'audience_mismatch', source: 'RFC 7519 4.1.3' });
  signed({ ...claims(), aud: [''] }, 'claim_mismatch', 'aud: [""]', { mw: 'audience_mismatch' });
  signed({ ...claims(), aud: [AUD, 1] }, 'malformed_token', 'aud with a number inside');
  signed({ ...claims(), aud: { 0: AUD } }, 'malformed_token', 'aud as an object');
  signed({ ...claims(), iss: [ISS] }, 'malformed_token', 'iss as an array');
  for (const [name, text] of [
    ['array', `[${JSON.stringify(claims())}]`],
    ['string', '"hello"'],
    ['number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['empty', ''],
  ] as const) {
    signed(text, 'malformed_token', `payload is JSON ${name}`, { source: 'RFC 7519 section 7.2' });
  }
  // Deep nesting inside the size cap (issue 8 item 4): 5,500 nested arrays.
  const deep = `{${c},"x":${'['.repeat(5500)}${']'.repeat(5500)}}`;
  signed(deep, 'malformed_token', 'payload nested 5,500 arrays deep', { source: 'issue 8 item 4' });
  signed(`{${c},"x":${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}}`, 'malformed_token', 'payload nested 1,500 objects deep', {
    source: 'issue 8 item 4',
  });
  signed(`{${c},"x":${'['.repeat(65)}${']'.repeat(65)}}`, 'malformed_token', 'payload nested 65 arrays deep (just over the limit)', {
    source: 'issue 8 item 4',
  });
  add({
    name: 'header nested 5,000 arrays deep',
    source: 'issue 8 item 4',
    env: 'rs',
    token: rsReal(`{"alg":"RS256","kid":"rs-1","x":${'['.repeat(5000)}${']'.repeat(5000)}}`, claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  // Invalid UTF-8 (issue 8 item 5): RFC 8259 section 8.1, RFC 3629.
  const json = Buffer.from(JSON.stringify(claims()));
  const withBytes = (bytes: number[]) =>
    Buffer.concat([json.subarray(0, -1), Buffer.from(',"x":"'), Buffer.from(bytes), Buffer.from('"}')]);
  signed(withBytes([0xff, 0xfe]), 'malformed_token', 'payload with bytes 0xFF 0xFE', { source: 'issue 8 item 5' });
  signed(withBytes([0xc0, 0xaf]), 'malformed_token', 'payload with an overlong encoding', { source: 'issue 8 item 5' });
  signed(withBytes([0xed, 0xa0, 0x80]), 'malformed_token', 'payload with an encoded lone surrogate', { source: 'issue 8 item 5' });
  signed(withBytes([0xe2, 0x82]), 'malformed_token', 'payload with a truncated sequence', { source: 'issue 8 item 5' });
  add({
    name: 'header with invalid UTF-8',
    source: 'issue 8 item 5',
    env: 'rs',
    token: rsReal(Buffer.concat([Buffer.from('{"alg":"RS256","kid":"rs-1","x":"'), Buffer.from([0xff]), Buffer.from('"}')]), claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  signed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]), 'malformed_token', 'payload with a UTF-8 BOM', {
    source: 'RFC 8259 section 8.1',
  });
  add({
    name: 'header with a UTF-8 BOM',
    source: 'RFC 8259 section 8.1',
    env: 'rs',
    token: rsReal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(rsHeader))]), claims()),
    code: 'malformed_token',
    signerMade: true,
  });
  // Item 7: header checks whenever the header decodes, even when the payload does not.
  // The result stays malformed_token (DESIGN.md ranking: token before algorithm); the header finding must be there too.
  add({
    name: 'alg none with an undecodable payload',
    source: 'issue 8 item 7',
    env: 'rs',
    token: `${b64u({ alg: 'none' })}.${b64u('not json')}.`,
    code: 'malformed_token',
    findings: ['alg_none'],
  });
  add({
    name: 'HS256 against RS256-only with an undecodable payload',
    source: 'issue 8 item 7',
    env: 'rs',
    token: `${b64u({ alg: 'HS256' })}.${b64u('[1')}.${hmac('HS256', 'x', 'y')}`,
    code: 'malformed_token',
    findings: ['alg_not_allowed'],
  });
}

/** RFC 7515 section 2 / RFC 4648: only canonical base64url; segment counts; the size cap. */
function addEncodingCases(add: Add, km: KeyMaterial, rsReal: RsReal, rsHeader: object): void {
  // A payload whose base64url uses '-' and '_' so the standard alphabet differs.
  let payload = claims({ sub: 'user-1' });
  for (let i = 0; !/[-_]/.test(b64u(payload)); i++) payload = claims({ sub: `user-${i}?>~` });
  const good = rsReal(rsHeader, payload);
  const [h, p, s] = good.split('.') as [string, string, string];
  const std = (x: string) => x.replace(/-/g, '+').replace(/_/g, '/');
  const pad = (x: string) => x + '='.repeat((4 - (x.length % 4)) % 4 || 0);
  const flipTrailing = (x: string) => {
    // The last character carries unused low bits when length % 4 is 2 or 3: set them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(x.at(-1)!);
    const unused = x.length % 4 === 2 ? 4 : 2;
    return x.slice(0, -1) + alphabet[last | ((1 << unused) - 1)]!;
  };
  const noncanonical: [string, string, Partial<AdversarialCase>?][] = [
    ['payload in the standard alphabet (+ /)', `${h}.${std(p)}.${s}`],
    ['payload with = padding', `${h}.${pad(p + (p.length % 4 === 0 ? 'A' : ''))}.${s}`],
    ['signature in the standard alphabet', `${h}.${p}.${std(s).replace(/^[^+/]*$/, (x) => x.slice(0, -2) + '+/')}`],
    ['signature with = padding', `${h}.${p}.${pad(s)}=`],
    ['header with = padding', `${pad(h)}=.${p}.${s}`],
    ['payload with non-zero trailing bits', `${h}.${p.length % 4 === 0 ? p : flipTrailing(p)}.${s}`],
    ['signature with non-zero trailing bits', `${h}.${p}.${flipTrailing(s)}`],
    // diagnose strips whitespace from a pasted token (reported in input.stripped), so the signer's token is valid there; the middleware refuses it (RFC 6750 b64token).
    ['payload with an embedded space', `${h}.${p.slice(0, 8)} ${p.slice(8)}.${s}`, { code: 'valid' }],
    ['payload with an embedded tab', `${h}.${p.slice(0, 8)}\t${p.slice(8)}.${s}`, { code: 'valid' }],
    ['payload with an embedded newline', `${h}.${p.slice(0, 8)}\n${p.slice(8)}.${s}`, { code: 'valid', inProcess: true }],
    ['payload with a non-ASCII letter', `${h}.${p.slice(0, 8)}é${p.slice(8)}.${s}`, { inProcess: true }],
    ['two dots only', '..'],
    ['four segments', `${h}.${p}.${s}.${s}`],
    ['a thousand dots', `${h}.${'.'.repeat(1000)}`],
    ['a dot between every character', good.slice(0, 400).split('').join('.')],
    ['empty header segment', `.${p}.${s}`],
    ['empty payload segment', `${h}..${s}`],
    ['two segments', `${h}.${p}`],
    ['one segment', h],
  ];
  for (const [name, token, extra] of noncanonical) {
    add({ name, source: 'RFC 7515 section 2; RFC 4648 3.5', env: 'rs', token, code: 'malformed_token', signerMade: true, ...extra });
  }
  add({
    name: 'five segments (JWE shape)',
    source: 'RFC 7516',
    env: 'rs',
    token: `${b64u({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.AAAA.AAAA.AAAA.AAAA`,
    code: 'token_encrypted',
  });
  // 10 MB: refused by the size cap before any decoding (the code is asserted, not the time).
  const bigPayload = Buffer.from(JSON.stringify({ ...claims(), pad: 'A'.repeat(7_600_000) }));
  const big = `${b64u({ alg: 'RS256', kid: 'rs-1' })}.${bigPayload.toString('base64url')}.${s}`;
  add({
    name: '10 MB token',
    source: 'RFC 8725 3.? (size caps)',
    env: 'rs',
    token: big,
    code: 'malformed_token',
    signerMade: false,
    status: 401,
  });
  add({ name: '10 MB of dots', source: 'size cap', env: 'rs', token: '.'.repeat(10 * 1024 * 1024), code: 'malformed_token' });
  add({
    name: 'just over the 16 KiB cap, otherwise valid',
    source: 'size cap',
    env: 'rs',
    token: rsReal(rsHeader, { ...claims(), pad: 'A'.repeat(12_300) }),
    code: 'malformed_token',
    signerMade: true,
  });
  void km;
}
