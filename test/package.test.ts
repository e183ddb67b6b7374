/**
 * What a consumer of the npm package runs: the esbuild output in dist/
 * (package.json "exports"), not the TypeScript sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPO } from './helpers/cli.ts';

test('the built entry points load and diagnose the bundled example like the sources do', () => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
  const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')) as { exports: Record<string, { default: string }> };
  const script = `
    const { loadContract, diagnose } = await import(${JSON.stringify(`${REPO}/${pkg.exports['.']!.default}`)});
    const mw = await import(${JSON.stringify(`${REPO}/${pkg.exports['./middleware']!.default}`)});
    const probe = await import(${JSON.stringify(`${REPO}/${pkg.exports['./probe']!.default}`)});
    const rotation = await import(${JSON.stringify(`${REPO}/${pkg.exports['./rotation']!.default}`)});
    const fs = await import('node:fs');
    const contract = loadContract(${JSON.stringify(`${REPO}/examples/auth-contract.yaml`)});
    const token = fs.readFileSync(${JSON.stringify(`${REPO}/examples/tokens/local-login.jwt`)}, 'utf8');
    const d = await diagnose(token, contract.environments.staging, { contract, now: Date.parse('2026-11-28T12:05:00Z') / 1000 });
    console.log(JSON.stringify({ result: d.result, signature: d.signature.status, mw: typeof mw.createVerifier, probe: typeof probe.probeApi, rotation: typeof rotation.checkRotation }));
  `;
  // Plain node, no tsx loader: exactly a consumer's process.
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { result: 'claim_mismatch', signature: 'pass', mw: 'function', probe: 'function', rotation: 'function' });
});
