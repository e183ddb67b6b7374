/**
 * The rotation drill for real: the contract points the environment's
 * verifier (jwt-doctor's middleware, with its JWKS cache, debug endpoint
 * and metrics) at a loopback JWKS URL; the drill serves it, publishes the
 * next key, proves the overlap, retires the old key until the verifier
 * rejects it, and closes with the rotation retire checklist. Real clocks
 * on both sides: the cache TTL is real time (1 s here).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { runDrill } from '../../src/drill/run_drill.ts';
import { AUD, ISS, signerFiles, startSecureApi, writeContract, type Running, type SignerFiles } from './helpers.ts';

let files: SignerFiles;
let api: Running;
let jwksUrl: string;

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

before(async () => {
  files = signerFiles();
  jwksUrl = `http://127.0.0.1:${await freePort()}/jwks.json`;
  // The verifier refreshes after 1 s and may refetch on an unknown kid at once: the drill waits for it, not a fixed time.
  api = await startSecureApi(
    { name: 'drill', issuer: [ISS], audience: [AUD], algorithms: ['ES256'], keys: [{ jwksUri: jwksUrl }] },
    {
      debugEndpoint: true,
      metricsPath: '/metrics',
      cache: { defaultTtlSeconds: 1, minTtlSeconds: 1, cooldownSeconds: 0 },
      offloadSignatures: false,
    },
  );
});

after(async () => {
  await api?.close();
  files?.cleanup();
});

test('rotation through a drill-served JWKS: new key accepted, old key through the overlap, retired, retirement checklist passes', async () => {
  const { contract } = writeContract(files.dir, {
    drill: {
      issuer: ISS,
      audience: AUD,
      algorithms: ['ES256'],
      keys: [{ jwksUri: jwksUrl }],
      api: { baseUrl: api.url, routes: [{ path: '/v1/me' }, { path: '/v1/orders' }] },
      verifier: { debugUrl: `${api.url}/.well-known/jwt-doctor/keys`, metricsUrl: `${api.url}/metrics`, cacheTtlSeconds: 1 },
    },
  });
  const r = await runDrill(contract, 'drill', {
    scenarios: ['rotation'],
    propagationTimeoutMs: 20_000,
    pollIntervalMs: 100,
    metricsIntervalSeconds: 0.2,
  });
  const drill = r.drills[0]!;
  assert.deepEqual(
    drill.steps.filter((s) => !s.pass),
    [],
  );
  assert.deepEqual(
    drill.steps.map((s) => [s.name, s.route ?? '-', s.observed]),
    [
      ['baseline', 'GET /v1/me', 'accepted'],
      ['baseline', 'GET /v1/orders', 'accepted'],
      ['new_key_accepted', 'GET /v1/me', 'accepted'],
      ['old_key_in_overlap', 'GET /v1/me', 'accepted'],
      ['new_key_accepted', 'GET /v1/orders', 'accepted'],
      ['old_key_in_overlap', 'GET /v1/orders', 'accepted'],
      ['old_key_retired', 'GET /v1/me', 'rejected'],
      ['new_key_after_retirement', 'GET /v1/me', 'accepted'],
      ['old_key_retired', 'GET /v1/orders', 'rejected'],
      ['new_key_after_retirement', 'GET /v1/orders', 'accepted'],
      ['retirement', '-', 'passed'],
    ],
  );
  const retirement = drill.steps.at(-1)!;
  assert.deepEqual(retirement.evidence.items, {
    not_published: 'pass',
    not_trusted: 'pass',
    cache_refreshed: 'pass',
    residual_traffic: 'pass',
  });
  // The retired key is the one the verifier rejects: its kid, and the reason our middleware gives.
  const retired = drill.steps.find((s) => s.name === 'old_key_retired')!;
  assert.equal(retired.evidence.kid, drill.summary.oldKid);
  assert.equal(retired.evidence.reason, 'key_not_found');
  assert.equal(drill.summary.jwks, jwksUrl);
  assert.equal(r.ready, true);
});

test('rotation needs a served JWKS: an environment whose keys live elsewhere is a usage error', async () => {
  const { contract } = writeContract(
    files.dir,
    {
      other: {
        issuer: ISS,
        audience: AUD,
        keys: [{ jwksUri: 'https://auth.example.com/jwks.json' }],
        api: { baseUrl: api.url, routes: ['/v1/me'] },
      },
    },
    'other.json',
  );
  await assert.rejects(runDrill(contract, 'other', { scenarios: ['rotation'] }), (e: Error & { code?: string }) => e.code === 'ERR_USAGE');
});
