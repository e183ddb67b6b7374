/**
 * OIDC discovery drift (issue 15 item 4): the issuer's published metadata
 * against the contract, field by field; through `keys --env` against a
 * real discovery server on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareDiscovery, readDiscoveryMetadata } from '../../src/keys/discovery_drift.ts';
import { json, makeKey, runCli, startServer, jwksOf } from '../helpers/index.ts';

const URL0 = 'https://auth.example.com/.well-known/openid-configuration';
const doc = (over: Record<string, unknown> = {}) => ({
  issuer: 'https://auth.example.com',
  jwks_uri: 'https://auth.example.com/jwks',
  id_token_signing_alg_values_supported: ['RS256'],
  ...over,
});

test('no drift: the same issuer, a JWKS URL the issuer publishes, an algorithm it signs with', () => {
  const meta = readDiscoveryMetadata(doc(), URL0);
  const env = {
    issuer: ['https://auth.example.com'],
    algorithms: ['RS256', 'ES256'],
    keys: [{ jwksUri: 'https://auth.example.com/jwks' }],
  };
  assert.deepEqual(compareDiscovery(env, meta), []);
});

test('each field that drifts is one finding naming the field', () => {
  const meta = readDiscoveryMetadata(doc({ issuer: 'https://auth.example.com/', jwks_uri: 'https://keys.example.com/v2/jwks' }), URL0);
  const env = { issuer: ['https://auth.example.com'], algorithms: ['ES256'], keys: [{ jwksUri: 'https://auth.example.com/jwks' }] };
  const found = compareDiscovery(env, meta).map((f) => [f.code, f.detail?.field, f.severity]);
  assert.deepEqual(found, [
    ['discovery_issuer_mismatch', 'issuer', 'error'],
    ['discovery_drift', 'jwks_uri', 'warning'],
    ['discovery_drift', 'algorithms', 'error'],
  ]);
});

test('a document without the compared fields, or with junk in them, reads as null and is not guessed at', () => {
  const meta = readDiscoveryMetadata({ issuer: 7, id_token_signing_alg_values_supported: ['RS256', 1] }, URL0);
  assert.deepEqual([meta.issuer, meta.jwksUri, meta.signingAlgorithms], [null, null, null]);
  assert.deepEqual(
    compareDiscovery({ algorithms: ['RS256'], keys: [{ jwksUri: 'https://x/jwks' }] }, meta).map((f) => f.code),
    [],
  );
  assert.equal(readDiscoveryMetadata('not an object', URL0).issuer, null);
});

test("keys --env reads the issuer's discovery document from a real server and reports the drift", async () => {
  const key = makeKey('RS256', { kid: 'k1' });
  const s = await startServer({ '/jwks': json(jwksOf(key)), '/v2/jwks': json(jwksOf(key)) });
  try {
    s.route(
      '/.well-known/openid-configuration',
      json({ issuer: s.url, jwks_uri: `${s.url}/v2/jwks`, id_token_signing_alg_values_supported: ['ES256'] }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-drift-'));
    const contract = join(dir, 'c.json');
    const env = { issuer: s.url, algorithms: ['RS256'], keys: [{ jwksUri: `${s.url}/jwks` }] };
    writeFileSync(contract, JSON.stringify({ version: 1, environments: { prod: env } }));
    const r = await runCli(['keys', '--env', 'prod', '--contract', contract, '--discovery', '--format', 'json']);
    const report = JSON.parse(r.stdout);
    assert.equal(report.discovery.jwksUri, `${s.url}/v2/jwks`);
    const drift = report.findings
      .filter((f: { code: string }) => f.code === 'discovery_drift')
      .map((f: { detail: { field: string } }) => f.detail.field);
    assert.deepEqual(drift.sort(), ['algorithms', 'jwks_uri']);
    assert.equal(r.code, 1, 'the algorithm drift is an error');
    // Without --discovery and without a discovery key source, the document is not fetched.
    const before = s.counts.get('/.well-known/openid-configuration');
    await runCli(['keys', '--env', 'prod', '--contract', contract]);
    assert.equal(s.counts.get('/.well-known/openid-configuration'), before);
    // An unreachable issuer is a finding, not a crash.
    writeFileSync(contract, JSON.stringify({ version: 1, environments: { prod: { ...env, issuer: 'http://127.0.0.1:1' } } }));
    const down = await runCli(['keys', '--env', 'prod', '--contract', contract, '--discovery', '--format', 'json', '--timeout', '2000']);
    assert.ok(
      JSON.parse(down.stdout).findings.some(
        (f: { code: string; detail?: { stage?: string } }) => f.code === 'jwks_unreachable' && f.detail?.stage === 'discovery',
      ),
    );
  } finally {
    await s.close();
  }
});
