/**
 * Every mintable fault, for signers of every key type: mint -> diagnose
 * against the same contract -> the first finding is that fault, and it is
 * the only error (exactly one fault). A token minted without a fault is
 * valid. Keys are written to a temp folder and referenced from the
 * contract by file and variable, as a real contract would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { mintToken } from '../../src/mint/mint_token.ts';
import { MINTABLE_FAULT_CODES } from '../../src/mint/faults.ts';
import { makeKey, jwksOf, type JwsAlg } from '../helpers/mint.ts';

const NOW = 1_795_874_700;
const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-mint-'));
const SECRET = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0NTY3OA';

/** A contract whose `staging` signs with `alg`, with every expectation a fault needs. */
function contractFor(alg: JwsAlg): Contract {
  const key = makeKey(alg, { kid: `stg-${alg}` });
  const env: Record<string, unknown> = {
    issuer: 'https://auth.staging.example.com',
    audience: ['orders-staging'],
    algorithms: [alg],
    typ: 'at+jwt',
    requiredClaims: ['sub', 'exp', 'iat', 'scope'],
    claims: { scope: { includes: ['orders:read'] }, tenant: 'acme' },
    clockToleranceSeconds: 10,
    maxTokenAgeSeconds: 3600,
    policy: { tokenLifetimeSeconds: 900 },
  };
  if (key.secret) {
    env.keys = [{ secret: { env: 'MINT_TEST_SECRET', encoding: 'base64url' }, kid: `stg-${alg}` }];
    env.signer = { secret: { env: 'MINT_TEST_SECRET', encoding: 'base64url' }, kid: `stg-${alg}` };
  } else {
    const pem = join(dir, `${alg}.pem`);
    writeFileSync(pem, key.privateKey!.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(dir, `${alg}.jwks.json`), JSON.stringify(jwksOf(key)));
    env.keys = [{ jwksFile: `${alg}.jwks.json` }];
    env.signer = { privateKey: { file: `${alg}.pem` }, kid: `stg-${alg}` };
  }
  const contract = {
    environments: {
      staging: env,
      prod: { issuer: 'https://auth.example.com', audience: 'orders', production: true, keys: [{ jwksFile: `${alg}.jwks.json` }] },
    },
  };
  writeFileSync(join(dir, `contract-${alg}.json`), JSON.stringify(contract));
  return loadContract(join(dir, `contract-${alg}.json`), { vars: { MINT_TEST_SECRET: SECRET } });
}

for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'] as const) {
  test(`${alg}: every mintable fault is the first finding of diagnose, and the only error`, async () => {
    process.env.MINT_TEST_SECRET = SECRET;
    const contract = contractFor(alg);
    const doctor = await createDiagnoser(contract.environments.staging!, { contract, vars: { MINT_TEST_SECRET: SECRET } });
    const clean = mintToken(contract, 'staging', { now: NOW, vars: { MINT_TEST_SECRET: SECRET } });
    assert.equal(doctor.diagnose(clean.token, { now: NOW }).result, 'valid');
    for (const fault of MINTABLE_FAULT_CODES) {
      const minted = mintToken(contract, 'staging', { now: NOW, fault, vars: { MINT_TEST_SECRET: SECRET } });
      assert.equal(minted.fault?.code, fault);
      const d = doctor.diagnose(minted.token, { now: NOW });
      assert.equal(d.findings[0]?.code, fault, `${alg} ${fault}: ${JSON.stringify(d.findings.map((f) => f.code))}`);
      assert.deepEqual(
        d.findings.filter((f) => f.severity === 'error' && f.code !== fault).map((f) => f.code),
        [],
        `${alg} ${fault}`,
      );
    }
  });
}
