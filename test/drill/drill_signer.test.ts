/**
 * The drill's signer, on the shared minting code (src/mint: loadSigner,
 * signJws): every key form it reads signs tokens that jose (the oracle)
 * verifies with the public half, the algorithm follows the environment,
 * the contract's signer: section is the one mint uses, and bad input is a
 * usage error that never echoes the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, importJWK } from 'jose';
import { loadContract } from '../../src/contract/load.ts';
import { contractDrillSigner, generateDrillSigner, loadDrillSigner } from '../../src/drill/drill_signer.ts';
import { mintToken } from '../../src/mint/mint_token.ts';
import { signerFiles } from './helpers.ts';

test("a PEM signer signs RS256 (or the environment's PS256) that jose verifies; the kid comes from the flag", async () => {
  const files = signerFiles('k-pem');
  try {
    const rs = loadDrillSigner({ keyPath: files.keyPath, kid: 'k-pem', algorithms: ['ES256', 'RS256'] });
    assert.equal(rs.alg, 'RS256');
    const token = rs.sign({ alg: rs.alg, kid: rs.kid }, { sub: 'a' });
    const { protectedHeader } = await compactVerify(token, files.publicKey);
    assert.deepEqual(protectedHeader, { alg: 'RS256', kid: 'k-pem' });
    const ps = loadDrillSigner({ keyPath: files.keyPath, algorithms: ['PS256'] });
    assert.equal(ps.alg, 'PS256');
    await compactVerify(ps.sign({ alg: 'PS256' }, { sub: 'a' }), files.publicKey);
    assert.equal(rs.publicJwk!.d, undefined, 'the published half has no private members');
  } finally {
    files.cleanup();
  }
});

test('a private JWK file: alg and kid from the JWK; an EC key signs ES256 in JOSE (P1363) form', async () => {
  const files = signerFiles();
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const path = join(files.dir, 'ec.jwk.json');
    writeFileSync(path, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256' }));
    const s = loadDrillSigner({ keyPath: path });
    assert.deepEqual([s.alg, s.kid], ['ES256', 'ec-1']);
    await compactVerify(s.sign({ alg: 'ES256', kid: 'ec-1' }, { sub: 'a' }), publicKey);
  } finally {
    files.cleanup();
  }
});

test('an HMAC secret from a variable signs HS256 (the environment may ask for HS384)', async () => {
  const secret = 'a-drill-secret-of-at-least-thirty-two-bytes!!';
  const s = loadDrillSigner({ secretVar: 'DRILL_SECRET', vars: { DRILL_SECRET: secret }, algorithms: ['HS384'] });
  assert.equal(s.alg, 'HS384');
  assert.equal(s.publicJwk, undefined);
  await compactVerify(s.sign({ alg: 'HS384' }, { sub: 'a' }), new TextEncoder().encode(secret));
});

test('a generated signer publishes its public JWK, which verifies its tokens', async () => {
  const s = generateDrillSigner('ES256', 'drill-next');
  const key = await importJWK(s.publicJwk!, 'ES256');
  await compactVerify(s.sign({ alg: 'ES256', kid: 'drill-next' }, { sub: 'a' }), key);
  assert.equal(s.publicJwk!.kid, 'drill-next');
});

test('bad signer input is a usage error that never shows the key', () => {
  const files = signerFiles();
  try {
    const notKey = join(files.dir, 'not-a-key.pem');
    writeFileSync(notKey, 'SECRET-MATERIAL-NOT-A-KEY');
    const usage = (fn: () => unknown) =>
      assert.throws(fn, (e: Error & { code?: string }) => e.code === 'ERR_USAGE' && !e.message.includes('SECRET-MATERIAL'));
    usage(() => loadDrillSigner({ keyPath: notKey }));
    usage(() => loadDrillSigner({ keyPath: join(files.dir, 'missing.pem') }));
    usage(() => loadDrillSigner({ secretVar: 'UNSET', vars: {} }));
    usage(() => loadDrillSigner({}));
    usage(() => loadDrillSigner({ keyPath: files.keyPath, secretVar: 'X' }));
    usage(() => loadDrillSigner({ keyPath: files.keyPath, alg: 'ES256' }));
    usage(() => generateDrillSigner('HS256', 'x'));
  } finally {
    files.cleanup();
  }
});

test("the environment's signer: section is the drill's signer too: same alg and kid as mint, tokens the same key verifies", async () => {
  const files = signerFiles();
  try {
    const contract = loadContract(
      {
        environments: {
          stg: {
            issuer: 'https://auth.stg.test',
            audience: 'api',
            algorithms: ['PS256'],
            signer: { privateKey: { file: 'signer.pem' }, kid: 'stg-1' },
          },
          none: { issuer: 'https://auth.none.test' },
        },
      },
      { baseDir: files.dir },
    );
    writeFileSync(join(files.dir, 'signer.pem'), readFileSync(files.keyPath));
    const s = contractDrillSigner(contract, contract.environments.stg!)!;
    const minted = mintToken(contract, 'stg', { now: 1_800_000_000 });
    assert.deepEqual([s.alg, s.kid], [minted.signer.alg, minted.signer.kid]);
    const { protectedHeader } = await compactVerify(s.sign({ alg: s.alg, kid: s.kid }, { sub: 'a' }), files.publicKey);
    assert.deepEqual(protectedHeader, { alg: 'PS256', kid: 'stg-1' });
    await compactVerify(minted.token, files.publicKey);
    assert.equal(contractDrillSigner(contract, contract.environments.none!), undefined);
  } finally {
    files.cleanup();
  }
});
