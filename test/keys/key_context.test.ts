/**
 * One key-loading context per contract environment (keyContextFor), and one
 * place that reads a key source (readKeyDocument) for both loaders: the
 * verifying one (resolveKeySpec) and rotation's inspecting one
 * (loadKeyMaterial) see the same document and fail the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract } from '../../src/contract/load.ts';
import { keyContextFor, resolveKeys, resolveKeySpec } from '../../src/keys/sources.ts';
import { loadKeyMaterial } from '../../src/rotation/load_key_material.ts';
import { startServer, json } from '../helpers/http_server.ts';
import { makeKey } from '../helpers/mint.ts';

test('keyContextFor: the environment name, its first issuer, the contract folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jd-keyctx-'));
  try {
    const key = makeKey('ES256', { kid: 'ctx-1' });
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [key.publicJwk] }));
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      'version: 1\nenvironments:\n  staging:\n    issuer: [https://auth.staging.test, https://old.staging.test]\n    keys: [{ jwksFile: jwks.json }]\n',
    );
    const contract = loadContract(file);
    const env = contract.environments.staging!;
    assert.deepEqual(keyContextFor(env, { baseDir: contract.baseDir, timeoutMs: 1500 }), {
      env: 'staging',
      issuer: 'https://auth.staging.test',
      baseDir: dir,
      timeoutMs: 1500,
    });
    // The relative jwksFile resolves against the contract's folder, and keys carry the environment.
    const r = await resolveKeys(env.keys ?? [], keyContextFor(env, { baseDir: contract.baseDir }));
    assert.deepEqual(
      r.keys.map((k) => [k.kid, k.source.env]),
      [['ctx-1', 'staging']],
    );
    assert.deepEqual(keyContextFor({ name: 'bare' }), { env: 'bare' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('both loaders read a source through readKeyDocument: same keys, same failures', async () => {
  const key = makeKey('ES256', { kid: 'both-1' });
  const s = await startServer({
    '/jwks.json': json({ keys: [key.publicJwk] }, 200, { 'cache-control': 'max-age=60' }),
    '/500': json({ error: 'x' }, 500),
  });
  try {
    const spec = { jwksUri: `${s.url}/jwks.json` };
    const verifying = await resolveKeySpec(spec, { timeoutMs: 2000 });
    const inspecting = await loadKeyMaterial(spec, { timeoutMs: 2000 });
    assert.deepEqual(
      inspecting.entries.map((e) => e.record?.thumbprint),
      verifying.keys.map((k) => k.thumbprint),
    );
    assert.equal(inspecting.sources[0]!.cacheControl, 'max-age=60');
    assert.equal(verifying.sources[0]!.cacheControl, 'max-age=60');
    for (const failing of [{ jwksUri: `${s.url}/500` }, { jwksFile: '/nonexistent/jwks.json' }, { discovery: true as const }]) {
      const a = await resolveKeySpec(failing, { timeoutMs: 2000 });
      const b = await loadKeyMaterial(failing, { timeoutMs: 2000 });
      assert.deepEqual(
        b.findings.map((f) => [f.code, f.detail?.error]),
        a.findings.map((f) => [f.code, f.detail?.error]),
        JSON.stringify(failing),
      );
      assert.deepEqual(b.sources, a.sources, JSON.stringify(failing));
      assert.equal(a.findings[0]!.code, 'jwks_unreachable');
    }
  } finally {
    await s.close();
  }
});
