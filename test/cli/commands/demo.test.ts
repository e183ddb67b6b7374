/**
 * `jwt-doctor demo` (npm start): the replica run through the real CLI, and
 * the offline demo it falls back to where oidc-provider is not installed
 * (the published package: no dev dependencies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, SEED_LINES } from '../../helpers/index.ts';
import { runDemo, REPLICA_UNAVAILABLE } from '../../../src/cli/commands/demo.ts';
import { loadOidcProvider, ReplicaUnavailableError } from '../../../src/demo/replica_provider.ts';

test('npm start: the replica story through the CLI, exit 0, the six-line delta, nothing on stderr', async () => {
  const r = await runCli(['demo']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  const i = lines.indexOf('iss_token = $OP');
  assert.ok(i > 0, r.stdout);
  // The seed's delta, with the replica's provider as the token's issuer.
  assert.deepEqual(lines.slice(i, i + 6), ['iss_token = $OP', ...SEED_LINES.slice(1)]);
  assert.ok(lines.includes('$ jwt-doctor check --env staging --contract $REPLICA/auth-contract.yaml'));
  assert.equal(lines.filter(Boolean).at(-1), 'status = stable');
});

test('oidc-provider not installed: one line says so, then the offline demo (the bundled example)', async () => {
  await assert.rejects(loadOidcProvider('jwt-doctor-no-such-package'), ReplicaUnavailableError);
  let out = '';
  const result = await runDemo(
    { write: (t: string) => (out += t) },
    { loadProvider: () => loadOidcProvider('jwt-doctor-no-such-package') },
  );
  assert.equal(result.mode, 'offline');
  assert.equal(result.ok, true);
  assert.deepEqual(result.mode === 'offline' ? result.codes : [], ['issuer_mismatch', 'audience_mismatch']);
  const lines = out.split('\n');
  assert.equal(lines[0], REPLICA_UNAVAILABLE);
  const i = lines.indexOf(SEED_LINES[0]!);
  assert.deepEqual(lines.slice(i, i + 6), SEED_LINES);
});

test('demo --offline runs only the bundled example', async () => {
  const r = await runCli(['demo', '--offline']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.includes('$OP'), false);
  assert.ok(r.stdout.includes('most_likely_minted_by'));
});
