/**
 * The forged tokens themselves, checked offline: each is what its name
 * says (the jwt_tool shape), jwt-doctor's own diagnoser rejects every one
 * with the expected reason, the x5u certificate is a real self-signed
 * certificate, and docs/cli/drill.md documents every attack family.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { ATTACKS, buildAttacks, makeAttacker, type AttackInput } from '../../src/drill/attacks.ts';
import { drillClaims, drillHeader } from '../../src/drill/claims.ts';
import { generateDrillSigner } from '../../src/drill/drill_signer.ts';
import { importJwk } from '../../src/keys/import.ts';
import type { Expectations } from '../../src/expectations.ts';
import { REPO } from '../helpers/cli.ts';

const NOW = 1_800_000_000;
const signer = generateDrillSigner('RS256', 'env-key');
const env: Expectations = {
  name: 'staging',
  issuer: ['https://auth.drill.test'],
  audience: ['api'],
  algorithms: ['RS256'],
  typ: 'at+jwt',
  clockToleranceSeconds: 30,
  requiredClaims: ['sub', 'scope'],
  claims: { scope: { includes: ['read', 'write'] }, tenant: { oneOf: ['acme', 'other'] } },
};
const publicKey = importJwk(signer.publicJwk, { kind: 'jwk', location: 'test' });
const input: AttackInput = {
  env,
  signer,
  publicKeys: [{ kid: 'env-key', key: publicKey.keyObject }],
  attacker: makeAttacker(NOW),
  listenerUrl: 'http://127.0.0.1:9',
  now: NOW,
};
const parts = (t: string) => t.split('.');
const header = (t: string) => JSON.parse(Buffer.from(parts(t)[0]!, 'base64url').toString()) as Record<string, unknown>;

test("the drill claims and header pass the environment's own verifier: the baseline is a valid token", () => {
  const d = buildDiagnoser(env, { keys: [publicKey] }).diagnose(signer.sign(drillHeader(env, signer), drillClaims(env, NOW)), { now: NOW });
  assert.equal(d.result, 'valid', JSON.stringify(d.findings));
});

test('each forged token has its shape, and jwt-doctor rejects every one', () => {
  const attacks = buildAttacks(input, 3);
  const byName = new Map(attacks.map((a) => [a.name, a]));
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const t = byName.get(`alg_none:${alg}`)!.token;
    assert.equal(header(t).alg, alg);
    assert.equal(parts(t)[2], '');
  }
  const pem = byName.get('hs256_public_key:pem')!.token;
  const [h, p, s] = parts(pem);
  assert.equal(
    s,
    createHmac('sha256', publicKey.keyObject.export({ format: 'pem', type: 'spki' }).toString())
      .update(`${h}.${p}`)
      .digest('base64url'),
  );
  assert.deepEqual(Buffer.from(parts(byName.get('psychic_signature:p1363')!.token)[2]!, 'base64url'), Buffer.alloc(64));
  assert.equal(header(byName.get('jku')!.token).jku, 'http://127.0.0.1:9/.well-known/jwt-doctor/drill/jku/3.json');
  assert.equal(byName.get('jku')!.fetchPath, '/.well-known/jwt-doctor/drill/jku/3.json');
  assert.deepEqual(header(byName.get('embedded_jwk')!.token).jwk, input.attacker.jwk);
  assert.equal(header(byName.get('kid_spoofing')!.token).kid, 'env-key');
  assert.equal(header(byName.get('kid:path_traversal')!.token).kid, '../../../../../../../../dev/null');

  const diagnoser = buildDiagnoser(env, { keys: [publicKey] });
  const want: Record<string, string> = {
    'alg_none:nOnE': 'alg_none',
    'hs256_public_key:der': 'alg_not_allowed',
    tampered_payload: 'signature_invalid',
    expired: 'token_expired',
    not_yet_valid: 'token_not_yet_valid',
    unknown_crit: 'malformed_token',
    kid_spoofing: 'signature_invalid',
  };
  for (const a of attacks) {
    const d = diagnoser.diagnose(a.token, { now: NOW });
    assert.notEqual(d.result, 'valid', `${a.name} must be rejected`);
    if (want[a.name]) assert.equal(d.result, want[a.name], a.name);
  }
});

test('the x5u document is a self-signed certificate of the attacker key, valid around now', () => {
  const cert = new X509Certificate(input.attacker.certificate);
  assert.equal(cert.subject, 'CN=jwt-doctor drill attacker');
  assert.equal(cert.verify(cert.publicKey), true);
  assert.deepEqual(cert.publicKey.export({ format: 'jwk' }), { kty: 'RSA', n: input.attacker.jwk.n, e: input.attacker.jwk.e });
  assert.ok(Date.parse(cert.validFrom) < NOW * 1000 && NOW * 1000 < Date.parse(cert.validTo));
});

test('docs/cli/drill.md documents every attack family', () => {
  const doc = readFileSync(`${REPO}docs/cli/drill.md`, 'utf8');
  for (const a of ATTACKS) assert.ok(doc.includes(`| \`${a.name}\` |`), `docs/cli/drill.md has a row for ${a.name}`);
});
