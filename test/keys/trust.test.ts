/**
 * The key-source trust rules (src/keys/trust.ts): one decision per key,
 * shared by `keys` (inspectKeys) and the verifying paths (screenJwks via
 * resolveKeySpec), so a key `keys` reports as an error never verifies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessKey, checkDiscoveryDocument, discoveryTarget, screenJwks } from '../../src/keys/trust.ts';
import { importJwk, type KeySourceInfo } from '../../src/keys/import.ts';
import { resolveKeySpec } from '../../src/keys/sources.ts';
import { inspectKeys } from '../../src/rotation/inspect_keys.ts';
import type { KeyEntry } from '../../src/rotation/load_key_material.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { NOW } from '../helpers/index.ts';

const rsaJwk = (bits: number, extra: Record<string, unknown> = {}, publicExponent = 65537) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent });
  return {
    privateKey,
    pub: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), ...extra },
    priv: { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), ...extra },
  };
};
const good = rsaJwk(2048, { kid: 'good', alg: 'RS256', use: 'sig' });
const small512 = rsaJwk(512, { kid: 'r512', alg: 'RS256', use: 'sig' });
const small1024 = rsaJwk(1024, { kid: 'r1024', alg: 'RS256', use: 'sig' });
const e3 = rsaJwk(2048, { kid: 'e3', alg: 'RS256', use: 'sig' }, 3);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecJwk: Record<string, string> = {
  ...(ec.publicKey.export({ format: 'jwk' }) as Record<string, string>),
  kid: 'ec',
  alg: 'ES256',
  use: 'sig',
};
// Flip the last byte of y: (x, y') is not on P-256 (the invalid-curve attack input).
const yBytes = Buffer.from(ecJwk.y as string, 'base64url');
yBytes[yBytes.length - 1]! ^= 0x01;
const offCurve = { ...ecJwk, kid: 'off', y: yBytes.toString('base64url') };
const oct = { kty: 'oct', kid: 'hs', alg: 'HS256', use: 'sig', k: randomBytes(32).toString('base64url') };

/** Every key of the matrix, with whether it may verify when published in a fetched JWKS. */
const MATRIX: [string, Record<string, unknown>, boolean][] = [
  ['good', good.pub, true],
  ['RSA 512 bits', small512.pub, false],
  ['RSA 1024 bits', small1024.pub, false],
  ['RSA e = 3', e3.pub, false],
  ['RSA e = 1', { ...good.pub, kid: 'e1', e: 'AQ' }, false],
  ['EC point off the curve', offCurve, false],
  ['EC good', ecJwk, true],
  ['oct key', oct, false],
  ['RSA with private members', { ...good.priv, kid: 'leak' }, false],
];

function entriesOf(keys: Record<string, unknown>[], source: KeySourceInfo, published: boolean): KeyEntry[] {
  return keys.map((jwk, index) => {
    const e: KeyEntry = { index, jwk, source, published };
    try {
      e.record = importJwk(jwk, source);
    } catch (err) {
      e.importError = (err as Error).message;
    }
    return e;
  });
}

test('published set: keys reports an error exactly for the keys the verifying path leaves out', () => {
  const source: KeySourceInfo = { kind: 'jwks_uri', location: 'https://issuer.example/jwks.json' };
  const doc = { keys: MATRIX.map(([, jwk]) => jwk) };
  const screened = screenJwks(doc, source, true);
  const usableKids = new Set(screened.keys.map((k) => k.kid));
  const inspection = inspectKeys(entriesOf(doc.keys, source, true), { now: NOW });
  MATRIX.forEach(([name, jwk, expectUsable], index) => {
    const kid = jwk.kid as string;
    assert.equal(usableKids.has(kid), expectUsable, `${name}: usable`);
    const errors = inspection.findings.filter((f) => f.severity === 'error' && f.detail?.index === index);
    assert.equal(errors.length > 0, !expectUsable, `${name}: keys calls it an error exactly when it is left out`);
  });
  const codeOf = (kid: string) => screened.findings.filter((f) => f.detail?.kid === kid).map((f) => f.code);
  assert.deepEqual(codeOf('r512'), ['rsa_key_too_small']);
  assert.deepEqual(codeOf('r1024'), ['rsa_key_too_small']);
  assert.deepEqual(codeOf('e3'), ['rsa_exponent_weak']);
  assert.deepEqual(codeOf('e1'), ['rsa_exponent_weak']);
  assert.deepEqual(codeOf('off'), ['ec_point_invalid']);
  assert.deepEqual(codeOf('hs'), ['private_key_published']);
  assert.deepEqual(codeOf('leak'), ['private_key_published']);
  for (const f of screened.findings) assert.equal(f.detail?.excluded, true, f.code);
  assert.deepEqual(screened.leaked, [screened.findings.find((f) => f.detail?.kid === 'leak')!.detail!.thumbprint]);
});

test('private_key_published names the owner: secrets for a published oct key, signer for private asymmetric members', () => {
  const at = {};
  const octV = assessKey({ jwk: oct, record: importJwk(oct, { kind: 'jwks_uri' }), published: true, at });
  assert.deepEqual(
    octV.findings.map((f) => [f.code, f.severity, f.owner, f.actual]),
    [['private_key_published', 'error', 'secrets', ['k']]],
  );
  assert.equal(octV.usable, false);
  const rsaV = assessKey({ jwk: good.priv, record: importJwk(good.priv, { kind: 'jwks_uri' }), published: true, at });
  assert.deepEqual(
    rsaV.findings.map((f) => [f.code, f.severity, f.owner]),
    [['private_key_published', 'error', 'signer']],
  );
  assert.deepEqual(rsaV.findings[0]!.actual, ['d', 'p', 'q', 'dp', 'dq', 'qi']);
  assert.equal(rsaV.usable, false);
});

test('a local JWK Set file may hold shared secrets; private members there are a warning, the key still verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-trust-'));
  try {
    writeFileSync(join(dir, 'local.jwks.json'), JSON.stringify({ keys: [oct, { ...good.priv, kid: 'mine' }] }));
    const r = await resolveKeySpec({ jwksFile: 'local.jwks.json' }, { baseDir: dir });
    assert.deepEqual(r.keys.map((k) => k.kid).sort(), ['hs', 'mine']);
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.severity, f.detail?.kid]),
      [['private_key_published', 'warning', 'mine']],
    );
    // Same verdict from `keys`.
    const inspection = inspectKeys(entriesOf([oct, { ...good.priv, kid: 'mine' }], { kind: 'jwks_file' }, false), { now: NOW });
    assert.deepEqual(
      inspection.findings.filter((f) => f.code === 'private_key_published').map((f) => f.severity),
      ['warning'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 512-bit RSA key in a local PEM file is refused too: no verification, the finding says why', async () => {
  const pem = small512.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const r = await resolveKeySpec({ pem, kid: 'local-small' });
  assert.deepEqual(r.keys, []);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.severity, f.actual, f.detail?.excluded]),
    [['rsa_key_too_small', 'error', 512, true]],
  );
  const d = await createDiagnoser({ keys: [{ pem, kid: 'local-small' }] });
  assert.equal(d.keys.length, 0);
  const diagnosis = d.diagnose('eyJhbGciOiJSUzI1NiIsImtpZCI6ImxvY2FsLXNtYWxsIn0.e30.c2ln', { now: NOW });
  assert.equal(diagnosis.result, 'rsa_key_too_small');
});

test('discovery document: exact issuer (OIDC Discovery 1.0 section 4.3), no https -> http jwks_uri', () => {
  const url = 'https://auth.example.com/.well-known/openid-configuration';
  assert.equal(
    checkDiscoveryDocument(
      'https://auth.example.com',
      { issuer: 'https://auth.example.com', jwks_uri: 'https://auth.example.com/jwks' },
      url,
    ),
    undefined,
  );
  for (const issuer of ['https://auth.example.com/', 'https://AUTH.example.com', 'https://evil.example', undefined, 42]) {
    const f = checkDiscoveryDocument('https://auth.example.com', { issuer, jwks_uri: 'https://auth.example.com/jwks' }, url)!;
    assert.equal(f.code, 'discovery_issuer_mismatch', String(issuer));
    assert.equal(f.expected, 'https://auth.example.com');
    assert.equal(f.actual, typeof issuer === 'string' ? issuer : null);
    assert.deepEqual([f.detail!.expected, f.detail!.actual], [f.expected, f.actual]);
  }
  const down = checkDiscoveryDocument(
    'https://auth.example.com',
    { issuer: 'https://auth.example.com', jwks_uri: 'http://auth.example.com/jwks' },
    url,
  )!;
  assert.deepEqual([down.code, down.detail!.error], ['jwks_unreachable', 'insecure_jwks_uri']);
  assert.deepEqual(discoveryTarget('https://a.example/tenant/'), {
    issuer: 'https://a.example/tenant/',
    url: 'https://a.example/tenant/.well-known/openid-configuration',
  });
  assert.deepEqual(discoveryTarget('https://a.example/.well-known/openid-configuration'), {
    issuer: 'https://a.example',
    url: 'https://a.example/.well-known/openid-configuration',
  });
});
