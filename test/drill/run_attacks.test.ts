/**
 * The attacks and skew drills against two real verifiers on 127.0.0.1:
 * jwt-doctor's middleware (every forged token rejected, the drill passes,
 * the boundary measured to the contract's tolerance) and a deliberately
 * vulnerable one (each of its mistakes named as
 * verifier_accepts_forged_token with the attack and route, its jku fetch
 * recorded, its missing exp check measured as unbounded).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contract } from '../../src/contract/load.ts';
import { runDrill } from '../../src/drill/run_drill.ts';
import { loadDrillSigner, type DrillSigner } from '../../src/drill/drill_signer.ts';
import type { DrillReport } from '../../src/drill/types.ts';
import {
  AUD,
  ISS,
  NOW,
  signerFiles,
  startSecureApi,
  startVulnerableApi,
  writeContract,
  type Running,
  type SignerFiles,
} from './helpers.ts';

let keys: SignerFiles;
let secure: Running;
let vulnerable: Running & { fetched: string[] };
let contract: Contract;
let signer: DrillSigner;

const ROUTES = [{ path: '/v1/me' }, { path: '/v1/orders', method: 'POST' }];

function environment(baseUrl: string) {
  return {
    issuer: ISS,
    audience: AUD,
    algorithms: ['RS256'],
    clockToleranceSeconds: 10,
    requiredClaims: ['sub', 'exp', 'iat'],
    keys: [{ jwk: keys.publicJwk }],
    api: { baseUrl, routes: ROUTES },
  };
}

before(async () => {
  keys = signerFiles('drill-k1');
  secure = await startSecureApi(
    {
      name: 'secure',
      issuer: [ISS],
      audience: [AUD],
      algorithms: ['RS256'],
      clockToleranceSeconds: 10,
      requiredClaims: ['sub', 'exp', 'iat'],
      keys: [{ jwk: keys.publicJwk }],
    },
    { now: () => NOW, offloadSignatures: false },
  );
  vulnerable = await startVulnerableApi(keys.publicKey);
  contract = writeContract(keys.dir, { secure: environment(secure.url), vulnerable: environment(vulnerable.url) }).contract;
  signer = loadDrillSigner({ keyPath: keys.keyPath, kid: 'drill-k1', algorithms: ['RS256'] });
});

after(async () => {
  await secure?.close();
  await vulnerable?.close();
  keys?.cleanup();
});

const accepted = (r: DrillReport) =>
  r.findings
    .filter((f) => f.code === 'verifier_accepts_forged_token')
    .map((f) => `${String(f.detail!.attack)} ${String(f.detail!.route)}`)
    .sort();

test('against jwt-doctor middleware every forged token is rejected on every route: the attacks drill passes', async () => {
  const r = await runDrill(contract, 'secure', { scenarios: ['attacks'], signer, now: () => NOW * 1000 });
  const drill = r.drills[0]!;
  assert.equal(drill.scenario, 'attacks');
  assert.deepEqual(
    drill.steps.filter((s) => !s.pass),
    [],
  );
  assert.equal(r.ready, true);
  const names = new Set(drill.steps.map((s) => s.name));
  for (const n of [
    'alg_none:none',
    'alg_none:None',
    'alg_none:NONE',
    'alg_none:nOnE',
    'empty_signature',
    'hs256_public_key:pem',
    'hs256_public_key:pem_no_newline',
    'hs256_public_key:pkcs1_pem',
    'hs256_public_key:der',
    'hs256_public_key:jwk_json',
    'embedded_jwk',
    'jku',
    'x5u',
    'kid:path_traversal',
    'kid:sql_injection',
    'kid:command_injection',
    'tampered_payload',
    'expired',
    'not_yet_valid',
    'psychic_signature:p1363',
    'psychic_signature:der',
    'unknown_crit',
    'jku:fetch',
    'x5u:fetch',
  ]) {
    assert.ok(names.has(n), `attack ${n} ran`);
  }
  // The baseline proves the routes accept a valid token, so each rejection means something.
  assert.deepEqual(
    drill.steps.filter((s) => s.name === 'baseline').map((s) => [s.route, s.observed]),
    [
      ['GET /v1/me', 'accepted'],
      ['POST /v1/orders', 'accepted'],
    ],
  );
  // Our middleware names the reason: alg none is alg_none, algorithm confusion alg_not_allowed.
  assert.equal(drill.steps.find((s) => s.name === 'alg_none:nOnE')!.evidence.reason, 'alg_none');
  assert.equal(drill.steps.find((s) => s.name === 'hs256_public_key:pem')!.evidence.reason, 'alg_not_allowed');
  assert.equal(drill.steps.find((s) => s.name === 'expired')!.evidence.reason, 'token_expired');
  assert.deepEqual(accepted(r), []);
});

test('the vulnerable verifier: each accepted attack is verifier_accepts_forged_token (critical) with the attack and route; its jku fetch is recorded', async () => {
  const r = await runDrill(contract, 'vulnerable', { scenarios: ['attacks'], signer, now: () => NOW * 1000 });
  assert.equal(r.ready, false);
  const perRoute = [
    'alg_none:NONE',
    'alg_none:None',
    'alg_none:nOnE',
    'alg_none:none',
    'embedded_jwk',
    'expired',
    'hs256_public_key:pem',
    'jku',
    'not_yet_valid',
    'unknown_crit',
  ];
  assert.deepEqual(accepted(r), [...perRoute.map((a) => `${a} GET /v1/me`), ...perRoute.map((a) => `${a} POST /v1/orders`)].sort());
  const forged = r.findings.find((f) => f.code === 'verifier_accepts_forged_token')!;
  assert.equal(forged.owner, 'verifier');
  assert.equal(forged.detail!.critical, true);
  // The fetch: one per route, at the path the token named, reported as its own critical finding.
  const fetches = r.findings.filter((f) => f.code === 'verifier_fetches_token_url');
  assert.deepEqual(
    fetches.map((f) => [f.detail!.attack, f.detail!.route, f.detail!.requests]),
    [
      ['jku', 'GET /v1/me', 1],
      ['jku', 'POST /v1/orders', 1],
    ],
  );
  assert.equal(vulnerable.fetched.length, 2);
  assert.ok(vulnerable.fetched.every((u) => u.startsWith(String(r.drills[0]!.summary.listener))));
  // It never follows x5u, and the DER / JWK encodings of the key do not match its PEM secret.
  const step = (name: string) => r.drills[0]!.steps.find((s) => s.name === name && s.route === 'GET /v1/me')!;
  assert.equal(step('x5u:fetch').pass, true);
  assert.equal(step('hs256_public_key:der').pass, true);
  assert.equal(step('jku').code, 'verifier_accepts_forged_token');
});

test('skew against the middleware: within accepted, beyond rejected, boundary measured at the tolerance for exp, nbf and iat', async () => {
  const r = await runDrill(contract, 'secure', { scenarios: ['skew'], signer, now: () => NOW * 1000 });
  const drill = r.drills[0]!;
  assert.deepEqual(
    drill.steps.map((s) => [s.name, s.observed, s.pass]),
    [
      ['exp:within', 'accepted', true],
      ['exp:beyond', 'rejected', true],
      ['nbf:within', 'accepted', true],
      ['nbf:beyond', 'rejected', true],
      ['iat:within', 'accepted', true],
      ['iat:beyond', 'rejected', true],
    ],
  );
  assert.deepEqual(drill.summary.measured, { exp: 10, nbf: 10, iat: 10 });
  assert.equal(r.ready, true);
});

test('skew against the verifier that skips exp and nbf: beyond accepted is a forged-token acceptance, boundary unbounded', async () => {
  const r = await runDrill(contract, 'vulnerable', { scenarios: ['skew'], signer, now: () => NOW * 1000 });
  const drill = r.drills[0]!;
  assert.equal(drill.ready, false);
  assert.deepEqual(drill.summary.measured, { exp: null, nbf: null, iat: null });
  assert.deepEqual(
    drill.steps.filter((s) => !s.pass).map((s) => [s.name, s.code]),
    [
      ['exp:beyond', 'verifier_accepts_forged_token'],
      ['nbf:beyond', 'verifier_accepts_forged_token'],
      ['iat:beyond', 'verifier_accepts_forged_token'],
    ],
  );
});
