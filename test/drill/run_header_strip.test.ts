/**
 * The header-stripping drill through a real nginx (test/probe/fixtures.ts)
 * in front of jwt-doctor's middleware with the echo handler: the /ok/
 * location forwards Authorization, /strip/ blanks it. The drill runs from
 * the CLI, as an operator would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DrillReport } from '../../src/drill/types.ts';
import { runCli } from '../helpers/cli.ts';
import { NGINX, startNginx, type Running as Gateway } from '../probe/fixtures.ts';
import { AUD, ISS, signerFiles, startSecureApi, writeContract, type Running, type SignerFiles } from './helpers.ts';

let files: SignerFiles;
let api: Running;
let gateway: Gateway;

before(async () => {
  assert.ok(NGINX, 'nginx is not installed: apt-get install nginx (scripts/test.sh does this); these tests need a real nginx');
  files = signerFiles('drill-k1');
  api = await startSecureApi(
    { name: 'gateway', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk: files.publicJwk }] },
    { offloadSignatures: false },
  );
  gateway = await startNginx(api.port);
});

after(async () => {
  await gateway?.close();
  await api?.close();
  files?.cleanup();
});

test('header-strip through nginx: the forwarding route passes, the stripping route is header_missing proven by the echo', async () => {
  const { path } = writeContract(files.dir, {
    gateway: {
      issuer: ISS,
      audience: AUD,
      algorithms: ['RS256'],
      keys: [{ jwk: files.publicJwk }],
      api: { baseUrl: gateway.url, routes: [{ path: '/ok/v1/me' }, { path: '/strip/v1/me' }] },
    },
  });
  const r = await runCli([
    'drill',
    '--contract',
    path,
    '--env',
    'gateway',
    '--scenario',
    'header-strip',
    '--signer-key',
    files.keyPath,
    '--signer-kid',
    'drill-k1',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as DrillReport;
  const steps = report.drills[0]!.steps;
  assert.deepEqual(
    steps.map((s) => [s.name, s.route, s.pass, s.code ?? null]),
    [
      ['delivered', 'GET /ok/v1/me', true, null],
      ['stripped_rejected', 'GET /ok/v1/me', true, null],
      ['delivered', 'GET /strip/v1/me', false, 'header_missing'],
      ['stripped_rejected', 'GET /strip/v1/me', true, null],
    ],
  );
  assert.equal(steps[0]!.evidence.header, 'intact');
  assert.equal(steps[2]!.evidence.header, 'missing');
  assert.equal(steps[3]!.evidence.status, 401);
  assert.equal(report.ready, false);
  assert.ok(report.findings.some((f) => f.code === 'header_missing' && f.detail?.route === 'GET /strip/v1/me'));

  const text = await runCli([
    'drill',
    '--contract',
    path,
    '--env',
    'gateway',
    '--scenario',
    'header-strip',
    '--signer-key',
    files.keyPath,
    '--signer-kid',
    'drill-k1',
  ]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^header_strip = fail \(3\/4 steps\)$/m);
  assert.match(text.stdout, /^ {2}delivered GET \/strip\/v1\/me = header_missing /m);
  assert.match(text.stdout, /^status = not_ready$/m);
});

test('header-strip passes when every route forwards the header', async () => {
  const { path } = writeContract(
    files.dir,
    {
      gateway: {
        issuer: ISS,
        audience: AUD,
        algorithms: ['RS256'],
        keys: [{ jwk: files.publicJwk }],
        api: { baseUrl: gateway.url, routes: [{ path: '/ok/v1/me' }, { path: '/ok/v1/orders' }] },
      },
    },
    'ok.json',
  );
  const r = await runCli([
    'drill',
    '--contract',
    path,
    '--env',
    'gateway',
    '--scenario',
    'header-strip',
    '--signer-key',
    files.keyPath,
    '--signer-kid',
    'drill-k1',
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^status = ready$/m);
});
