/** Key sources from files, env and literals (no network): every contract key form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKeys, resolveKeySpec } from '../../src/keys/sources.ts';
import { jwkThumbprint } from '../../src/keys/import.ts';
import { jwksOf, makeKey, spkiPem } from '../helpers/mint.ts';
import { codes, NOW } from '../helpers/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-keys-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const rs = makeKey('RS256', { kid: 'r1' });
const ec = makeKey('ES256', { kid: 'e1' });
writeFileSync(join(dir, 'set.jwks.json'), JSON.stringify(jwksOf(rs, ec)));
writeFileSync(join(dir, 'one.jwk.json'), JSON.stringify(ec.publicJwk));
writeFileSync(join(dir, 'rs.pem'), spkiPem(rs));
writeFileSync(join(dir, 'rs.pkcs1.pem'), rs.publicKey!.export({ format: 'pem', type: 'pkcs1' }).toString());
writeFileSync(join(dir, 'secret.txt'), 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n');
writeFileSync(join(dir, 'broken.json'), '{ nope');

test('jwksFile, jwk (file, inline, inline JWKS), pem (file, inline, PKCS#1) resolve relative to baseDir', async () => {
  const r = await resolveKeys(
    [
      { jwksFile: 'set.jwks.json' },
      { jwk: 'one.jwk.json' },
      { jwk: ec.publicJwk! },
      { jwk: jwksOf(rs) },
      { pem: 'rs.pem', kid: 'pem-kid' },
      { pem: spkiPem(rs) },
      { pem: 'rs.pkcs1.pem' },
    ],
    { baseDir: dir, env: 'staging' },
  );
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.keys.map((k) => k.kid ?? null),
    ['r1', 'e1', 'e1', 'e1', 'r1', 'pem-kid', null, null],
  );
  assert.ok(r.keys.every((k) => k.source.env === 'staging'));
  assert.deepEqual(
    r.sources.map((s) => [s.kind, s.ok]),
    [
      ['jwks_file', true],
      ['jwk', true],
      ['jwk', true],
      ['jwks_file', true],
      ['pem', true],
      ['pem', true],
      ['pem', true],
    ],
  );
  assert.equal(r.keys[0]!.thumbprint, jwkThumbprint(rs.publicJwk!));
});

test('secret: literal, env and file, each encoding; the source names the env var or file, never the value', async () => {
  const vars = { JWT_SECRET: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==' };
  const r = await resolveKeys(
    [
      { secret: 'literal-secret-literal-secret-32b' },
      { secret: { env: 'JWT_SECRET', encoding: 'base64' } },
      { secret: { file: 'secret.txt', encoding: 'base64' }, kid: 'file' },
      { secret: { value: '00112233445566778899aabbccddeeff', encoding: 'hex' } },
      { secret: { value: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', encoding: 'base64url' } },
    ],
    { baseDir: dir, vars },
  );
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.keys.map((k) => k.source.encoding),
    ['utf8', 'base64', 'base64', 'hex', 'base64url'],
  );
  assert.deepEqual(
    r.keys.map((k) => k.source.location),
    ['literal', 'env:JWT_SECRET', 'secret.txt', 'literal', 'literal'],
  );
  assert.equal(r.keys[1]!.fingerprint, r.keys[2]!.fingerprint, 'same bytes, same fingerprint (file newline trimmed)');
  assert.equal(r.keys[1]!.fingerprint, r.keys[4]!.fingerprint);
  assert.equal(r.keys[3]!.bits, 128);
  assert.equal(JSON.stringify(r).includes(vars.JWT_SECRET), false);
});

test('a source that fails is a jwks_unreachable finding, never a throw', async () => {
  const cases = [
    { spec: { jwksFile: 'missing.json' }, kind: 'jwks_file' },
    { spec: { jwksFile: 'broken.json' }, kind: 'jwks_file' },
    { spec: { jwksFile: 'one.jwk.json' }, kind: 'jwks_file' }, // a JWK, not a JWKS
    { spec: { pem: 'missing.pem' }, kind: 'pem' },
    { spec: { jwk: { kty: 'RSA' } }, kind: 'jwk' },
    { spec: { secret: { env: 'UNSET_FOR_SURE_123' } }, kind: 'secret' },
    { spec: { secret: { value: 'zz', encoding: 'hex' as const } }, kind: 'secret' },
    { spec: { secret: { file: 'missing.secret' } }, kind: 'secret' },
    { spec: { discovery: true as const }, kind: 'discovery' },
  ];
  for (const c of cases) {
    const r = await resolveKeySpec(c.spec, { baseDir: dir, vars: {} });
    assert.equal(r.keys.length, 0, JSON.stringify(c.spec));
    assert.deepEqual(codes(r), ['jwks_unreachable'], JSON.stringify(c.spec));
    assert.equal(r.findings[0]!.detail!.source, c.kind);
    assert.equal(r.sources[0]!.ok, false);
  }
});

test('an unreachable key source surfaces as jwks_unreachable in the diagnosis (not key_not_found)', async () => {
  const { createDiagnoser } = await import('../../src/diagnose/create_diagnoser.ts');
  const { signJws, claimsAt } = await import('../helpers/mint.ts');
  const d = await createDiagnoser({ keys: [{ jwksFile: join(dir, 'missing.json') }] });
  const r = d.diagnose(signJws(ec, claimsAt(NOW)), { now: NOW });
  assert.equal(r.result, 'jwks_unreachable');
  assert.equal(r.signature.status, 'skipped');
});
