/**
 * check's discovery line (issue 15 item 4): the issuer's discovery
 * metadata, read from a real server on 127.0.0.1, against the contract.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiscovery } from '../../src/check/check_discovery.ts';
import { json, startServer } from '../helpers/index.ts';

test('pass, drift, unreachable, and skip when the keys do not come from discovery', async () => {
  const s = await startServer();
  try {
    s.route(
      '/.well-known/openid-configuration',
      json({ issuer: s.url, jwks_uri: `${s.url}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }),
    );
    const env = { name: 'staging', issuer: [s.url], keys: [{ discovery: true as const }] };
    const ok = await checkDiscovery({ ...env, algorithms: ['RS256'] }, 3000);
    assert.equal(ok.line.status, 'pass');
    assert.equal(ok.line.evidence.jwksUri, `${s.url}/jwks`);

    const drift = await checkDiscovery({ ...env, algorithms: ['ES256'] }, 3000);
    assert.deepEqual([drift.line.status, drift.line.code], ['fail', 'discovery_drift']);
    assert.equal(drift.findings[0]?.detail?.field, 'algorithms');

    const down = await checkDiscovery({ ...env, issuer: ['http://127.0.0.1:1'] }, 2000);
    assert.deepEqual([down.line.status, down.line.code], ['fail', 'jwks_unreachable']);

    const skipped = await checkDiscovery({ name: 'local', issuer: [s.url], keys: [{ jwksUri: `${s.url}/jwks` }] }, 3000);
    assert.equal(skipped.line.status, 'skip');
  } finally {
    await s.close();
  }
});
