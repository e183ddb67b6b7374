/**
 * diagnoseAsync verifies RSA/EC/EdDSA signatures on libuv's thread pool; it
 * must give exactly the diagnosis diagnose() gives, also when many calls
 * overlap (the hot path decodes signatures into reused scratch space).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagnoser, type Diagnosis } from '../../src/diagnose.ts';
import { importJwk, importSecretText, type KeyRecord } from '../../src/keys/import.ts';
import { claimsAt, makeKey, signJws, type JwsAlg, type TestKey } from '../helpers/mint.ts';
import { codes, NOW } from '../helpers/index.ts';

const ALGS: JwsAlg[] = ['HS256', 'RS256', 'PS256', 'ES256', 'ES512', 'EdDSA'];

function doctorKey(k: TestKey): KeyRecord {
  return k.secret
    ? importSecretText(k.secret.toString('hex'), 'hex', { kind: 'secret' }, { kid: k.kid! })
    : importJwk(k.publicJwk, { kind: 'jwk' });
}

function summary(d: Diagnosis) {
  return { result: d.result, signature: d.signature.status, kid: d.signature.kid, codes: codes(d) };
}

/** A valid token, one with a flipped signature bit, one with another audience. */
function tokensFor(key: TestKey): string[] {
  const good = signJws(key, claimsAt(NOW, { iss: 'https://auth.example.com', aud: 'api' }));
  const [h, p, s] = good.split('.');
  const sig = Buffer.from(s!, 'base64url');
  sig[0]! ^= 1;
  const tampered = `${h}.${p}.${sig.toString('base64url')}`;
  const otherAud = signJws(key, claimsAt(NOW, { iss: 'https://auth.example.com', aud: 'web' }));
  return [good, tampered, otherAud];
}

test('diagnoseAsync gives the same diagnosis as diagnose for every algorithm, valid and tampered', async () => {
  for (const alg of ALGS) {
    const key = makeKey(alg, { kid: `k-${alg}` });
    const doctor = buildDiagnoser({ issuer: ['https://auth.example.com'], audience: ['api'] }, { keys: [doctorKey(key)] });
    const [good, tampered, otherAud] = tokensFor(key);
    for (const token of [good!, tampered!, otherAud!]) {
      const sync = doctor.diagnose(token, { now: NOW });
      const async = await doctor.diagnoseAsync(token, { now: NOW });
      assert.deepEqual(summary(async), summary(sync), alg);
    }
    assert.equal((await doctor.diagnoseAsync(good!, { now: NOW })).result, 'valid', alg);
    assert.equal((await doctor.diagnoseAsync(tampered!, { now: NOW })).result, 'signature_invalid', alg);
  }
});

test('overlapping diagnoseAsync calls each keep their own signature (no shared scratch between tokens)', async () => {
  const rs = makeKey('RS256', { kid: 'rs' });
  const es = makeKey('ES256', { kid: 'es' });
  const doctor = buildDiagnoser({ issuer: ['https://auth.example.com'], audience: ['api'] }, { keys: [doctorKey(rs), doctorKey(es)] });
  const tokens = [...tokensFor(rs), ...tokensFor(es)];
  const batch = Array.from({ length: 60 }, (_, i) => tokens[i % tokens.length]!);
  const results = await Promise.all(batch.map((t) => doctor.diagnoseAsync(t, { now: NOW })));
  results.forEach((d, i) => assert.deepEqual(summary(d), summary(doctor.diagnose(batch[i]!, { now: NOW })), `token ${i}`));
  assert.equal(results.filter((d) => d.result === 'valid').length, 20);
});

test('overlapping diagnoseAsync calls keep their signature through key provenance, which runs after the thread-pool hop', async () => {
  const trusted = makeKey('RS256', { fresh: true }); // no kid: a candidate for every RS256 token
  const prodKey = makeKey('RS256', { kid: 'prod-1', fresh: true });
  const prod = doctorKey(prodKey);
  prod.source = { kind: 'jwk', env: 'prod' };
  const doctor = buildDiagnoser({ audience: ['api'] }, { keys: [doctorKey(trusted)], otherKeys: [prod] });
  const batch = Array.from({ length: 40 }, (_, i) => signJws(prodKey, claimsAt(NOW, { aud: 'api', jti: `t${i}` })));
  const results = await Promise.all(batch.map((t) => doctor.diagnoseAsync(t, { now: NOW })));
  for (const d of results) {
    assert.equal(d.result, 'signature_invalid');
    assert.equal(d.findings.find((f) => f.code === 'key_from_other_environment')?.detail?.env, 'prod');
  }
});
