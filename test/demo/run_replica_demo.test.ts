/**
 * The demo end to end on the real replica (panva's oidc-provider, the
 * middleware API, the Node gateway, all on 127.0.0.1): the steps' codes,
 * the guide's six-line claim delta, output free of ports, paths, tokens
 * and secrets, and nothing left listening or on disk afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO } from '../helpers/index.ts';
import { startReplica } from '../../src/demo/start_replica.ts';
import { runReplicaDemo } from '../../src/demo/run_replica_demo.ts';
import { LOCAL_CLIENT, PROD_AUDIENCE, PROD_ISSUER, STAGING_CLIENT } from '../../src/demo/replica_contract.ts';

const POST_FIX_REPORT = [
  'signature = pass',
  'issuer = pass',
  'audience = pass',
  'clock_skew_seconds = 0',
  'refresh_flow = pass',
  'status = stable',
];

/** Resolves with the connect error code (ECONNREFUSED when nothing listens), or 'connected'. */
function tryConnect(origin: string): Promise<string> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

test('the replica demo: rejected through the gateway, diagnosed, fixed, accepted, checked; nothing left behind', async () => {
  const replica = await startReplica({ examplesDir: join(REPO, 'examples') });
  let out = '';
  const secrets: string[] = [];
  try {
    const result = await runReplicaDemo(replica, (t) => (out += t));
    secrets.push(...[LOCAL_CLIENT, STAGING_CLIENT].map((c) => readFileSync(join(replica.dir, 'secrets', `${c}.secret`), 'utf8')));
    const step = (name: string) => result.steps.find((s) => s.step === name);
    assert.deepEqual(
      result.steps.map((s) => s.step),
      ['obtain', 'reject', 'diagnose', 'fix', 'accept', 'check'],
    );
    assert.deepEqual(step('reject'), {
      step: 'reject',
      command: 'jwt-doctor probe local.jwt --base-url $GATEWAY --route /v1/orders',
      ok: true,
      codes: ['issuer_mismatch'],
      httpStatus: 401,
    });
    assert.equal(step('diagnose')?.result, 'claim_mismatch');
    assert.deepEqual(step('diagnose')?.codes, ['issuer_mismatch', 'audience_mismatch']);
    assert.deepEqual(step('fix')?.codes.sort(), ['audience', 'issuer']);
    assert.equal(step('accept')?.httpStatus, 200);
    assert.equal(step('check')?.result, 'stable');
    assert.deepEqual(step('check')?.codes, []);
    assert.equal(result.ok, true);
  } finally {
    await replica.close();
  }
  const lines = out.split('\n');
  const i = lines.indexOf('iss_token = $OP');
  assert.deepEqual(lines.slice(i, i + 6), [
    'iss_token = $OP',
    `iss_expected = ${PROD_ISSUER}`,
    'aud_token = web-staging',
    `aud_expected = ${PROD_AUDIENCE}`,
    'signature = pass',
    'result = claim_mismatch',
  ]);
  assert.ok(lines.includes('www-authenticate = Bearer realm="staging", error="invalid_token", error_description="issuer_mismatch"'));
  // The guide's post-fix report, line for line, at the very end.
  assert.deepEqual(lines.filter(Boolean).slice(-6), POST_FIX_REPORT);
  // Deterministic and secret-free: no port, no folder, no token, no client secret.
  assert.doesNotMatch(out, /127\.0\.0\.1:\d/);
  assert.equal(out.includes(replica.dir), false);
  assert.doesNotMatch(out, /eyJ[\w-]*\.[\w-]+\./);
  for (const s of secrets) assert.equal(out.includes(s), false);
  // Every server stopped, the folder (client secrets included) removed.
  for (const origin of Object.values(replica.origins)) assert.equal(await tryConnect(origin), 'ECONNREFUSED');
  assert.equal(existsSync(replica.dir), false);
});

test('a provider that refuses its configuration after its server listens: that port is closed before the error goes up', async () => {
  const issuers: string[] = [];
  class RefusingProvider {
    constructor(issuer: string) {
      issuers.push(issuer);
      throw new TypeError('invalid configuration');
    }
    callback(): never {
      throw new Error('unreachable');
    }
  }
  await assert.rejects(startReplica({ examplesDir: join(REPO, 'examples'), loadProvider: async () => RefusingProvider }), TypeError);
  assert.equal(issuers.length, 1);
  assert.equal(await tryConnect(issuers[0]!), 'ECONNREFUSED');
});

test('a replica whose signer key is missing fails with the file error', async () => {
  await assert.rejects(startReplica({ examplesDir: join(REPO, 'no-such-examples') }), { code: 'ENOENT' });
});
