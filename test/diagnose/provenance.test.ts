/**
 * Key provenance (issue 2, requirement 7): key_from_other_environment and
 * secret_encoding_mismatch, with identities only (kid + RFC 7638
 * thumbprint, or a secret fingerprint), never material.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadContract } from '../../src/contract/load.ts';
import { createContractDiagnosers, matchEnvironments } from '../../src/match.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { jwkThumbprint, fingerprintSecret } from '../../src/keys/import.ts';
import { claimsAt, makeKey, signJws } from '../helpers/mint.ts';
import { codes, NOW } from '../helpers/index.ts';

const stagingKey = makeKey('RS256', { kid: 'staging-1' });
const prodKey = makeKey('ES256', { kid: 'prod-1' });

function contractWith(extra: Record<string, unknown> = {}) {
  return loadContract({
    environments: {
      staging: { issuer: 'https://auth.staging.example.com', audience: 'web-staging', keys: [{ jwk: { keys: [stagingKey.publicJwk] } }] },
      prod: { issuer: 'https://auth.example.com', audience: 'web-prod', keys: [{ jwk: { keys: [prodKey.publicJwk] } }] },
      ...extra,
    },
  });
}

test('key_from_other_environment names the environment, kid and thumbprint', async () => {
  const ds = await createContractDiagnosers(contractWith());
  const token = signJws(stagingKey, claimsAt(NOW, { iss: 'https://auth.example.com', aud: 'web-prod' }));
  const d = ds.get('prod')!.diagnose(token, { now: NOW });
  assert.notEqual(d.result, 'valid');
  const f = d.findings.find((x) => x.code === 'key_from_other_environment')!;
  assert.ok(f, JSON.stringify(codes(d)));
  assert.equal(f.detail!.env, 'staging');
  const k = f.detail!.key as Record<string, unknown>;
  assert.equal(k.kid, 'staging-1');
  assert.equal(k.thumbprint, jwkThumbprint(stagingKey.publicJwk!));
  assert.equal(JSON.stringify(f).includes(String(stagingKey.publicJwk!.n)), false, 'no key material');
});

test('createDiagnoser with { contract } also finds the other environment', async () => {
  const contract = contractWith();
  const d = await createDiagnoser(contract.environments.prod!, { contract });
  const r = d.diagnose(signJws(stagingKey, claimsAt(NOW)), { now: NOW });
  assert.equal(r.findings.find((x) => x.code === 'key_from_other_environment')?.detail!.env, 'staging');
});

test('a kid that names a key of this environment but a signature from another is still traced', async () => {
  const imposter = makeKey('ES256', { kid: 'prod-1', fresh: true });
  const contract = loadContract({
    environments: {
      dev: { keys: [{ jwk: { keys: [imposter.publicJwk] } }] },
      prod: { keys: [{ jwk: { keys: [prodKey.publicJwk] } }] },
    },
  });
  const ds = await createContractDiagnosers(contract);
  const d = ds.get('prod')!.diagnose(signJws(imposter, claimsAt(NOW)), { now: NOW });
  assert.equal(d.result, 'signature_invalid');
  assert.equal(d.findings.find((x) => x.code === 'key_from_other_environment')!.detail!.env, 'dev');
});

test('secret_encoding_mismatch: the configured text verifies only under another encoding', async () => {
  const raw = randomBytes(32);
  const cases: { configured: 'utf8' | 'base64' | 'hex' | 'base64url'; text: string; signerBytes: Buffer; verifiesAs: string }[] = [
    { configured: 'utf8', text: raw.toString('base64'), signerBytes: raw, verifiesAs: 'base64' },
    { configured: 'utf8', text: raw.toString('hex'), signerBytes: raw, verifiesAs: 'hex' },
    { configured: 'base64', text: raw.toString('hex'), signerBytes: Buffer.from(raw.toString('hex'), 'utf8'), verifiesAs: 'utf8' },
    { configured: 'hex', text: raw.toString('hex'), signerBytes: Buffer.from(raw.toString('hex'), 'utf8'), verifiesAs: 'utf8' },
  ];
  for (const c of cases) {
    const signer = makeKey('HS256', { secret: c.signerBytes });
    const d = await createDiagnoser({ keys: [{ secret: { value: c.text, encoding: c.configured } }] });
    const r = d.diagnose(signJws(signer, claimsAt(NOW)), { now: NOW });
    assert.equal(r.result, 'signature_invalid', `${c.configured} -> ${c.verifiesAs}`);
    const f = r.findings.find((x) => x.code === 'secret_encoding_mismatch');
    assert.ok(f, `${c.configured} -> ${c.verifiesAs}`);
    assert.equal(f.detail!.verifiesAs, c.verifiesAs);
    assert.equal(f.detail!.configuredEncoding, c.configured);
    assert.equal(f.detail!.fingerprint, fingerprintSecret(c.signerBytes));
    const text = JSON.stringify(r);
    assert.equal(text.includes(c.text), false, 'secret text never in the diagnosis');
    assert.equal(text.includes(c.signerBytes.toString('base64')), false);
  }
});

test('secret of another environment, read under another encoding, is traced too', async () => {
  const raw = randomBytes(32);
  const contract = loadContract({
    environments: {
      local: { keys: [{ secret: { value: raw.toString('base64'), encoding: 'utf8' } }] },
      staging: { keys: [{ jwk: { keys: [stagingKey.publicJwk] } }], algorithms: ['RS256', 'HS256'] },
    },
  });
  const ds = await createContractDiagnosers(contract);
  const r = ds.get('staging')!.diagnose(signJws(makeKey('HS256', { secret: raw }), claimsAt(NOW)), { now: NOW });
  const f = r.findings.find((x) => x.code === 'key_from_other_environment')!;
  assert.equal(f.detail!.env, 'local');
  assert.equal(f.detail!.encoding, 'base64');
});

test('match: one row per environment, mintedBy, validIn', async () => {
  const contract = contractWith();
  const token = signJws(stagingKey, claimsAt(NOW, { iss: 'https://auth.staging.example.com', aud: 'web-staging' }));
  const m = await matchEnvironments(token, contract, { now: NOW });
  assert.equal(m.schema, 'jwt-doctor/match/v1');
  assert.deepEqual(
    m.rows.map((r) => r.env),
    ['staging', 'prod'],
  );
  assert.equal(m.mintedBy, 'staging');
  assert.deepEqual(m.validIn, ['staging']);
  const prod = m.rows.find((r) => r.env === 'prod')!;
  assert.notEqual(prod.result, 'valid');
  assert.ok(prod.failing.length > 0);
  assert.equal(m.rows.find((r) => r.env === 'staging')!.signature, 'pass');
  // Nothing matches: no mintedBy, valid nowhere.
  const stranger = makeKey('ES256', { kid: 'x', fresh: true });
  const none = await matchEnvironments(signJws(stranger, claimsAt(NOW, { iss: 'https://elsewhere', aud: 'x' })), contract, { now: NOW });
  assert.equal(none.mintedBy, undefined);
  assert.deepEqual(none.validIn, []);
});
