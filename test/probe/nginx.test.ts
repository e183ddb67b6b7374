/**
 * A real nginx on 127.0.0.1 in front of a Node API that embeds the echo
 * handler: probe must name each route's fate (forwarded, stripped, moved,
 * re-schemed, truncated) and the route drift behind an intact header.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeApi, type ProbeReport, type RouteResult } from '../../src/probe/probe_api.ts';
import type { ApiConfig } from '../../src/contract/api_section.ts';
import { fingerprintToken } from '../../src/probe/fingerprint.ts';
import { runCli } from '../helpers/cli.ts';
import { NGINX, startApi, startNginx, webToken, type Running } from './fixtures.ts';

let api: Running;
let gateway: Running;
let dir: string;

before(async () => {
  // CI installs nginx (.ci/run); a missing nginx fails loudly instead of skipping.
  assert.ok(NGINX, 'nginx is not installed: apt-get install nginx (.ci/run does this); these tests need a real nginx');
  api = await startApi();
  gateway = await startNginx(api.port);
  dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-probe-'));
});

after(async () => {
  await gateway?.close();
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ROUTES = ['/ok/v1/me', '/ok/v1/orders', '/strip/v1/me', '/move/v1/me', '/rescheme/v1/me', '/cut/v1/me'];

function config(): ApiConfig {
  return {
    baseUrl: gateway.url,
    routes: ROUTES.map((path) => ({ path, method: 'GET', expectStatus: 200, echo: true })),
    header: 'authorization',
    scheme: 'Bearer',
    echoPath: '/.well-known/jwt-doctor/echo',
  };
}

const byPath = (r: ProbeReport, path: string): RouteResult => r.routes.find((x) => x.path === path)!;

test('probe names the fate of the header on every nginx location', async () => {
  const token = webToken();
  const r = await probeApi(config(), token, { timeoutMs: 5000, env: 'gateway' });
  assert.equal(r.schema, 'jwt-doctor/probe/v1');
  assert.equal(r.token.sha256, fingerprintToken(token));

  const ok = byPath(r, '/ok/v1/me');
  assert.equal(ok.status, 200);
  assert.equal(ok.outcome, 'accepted');
  assert.equal(ok.header.status, 'intact');
  assert.equal(ok.echoPath, '/ok/v1/.well-known/jwt-doctor/echo');
  assert.equal(ok.ok, true);

  const strip = byPath(r, '/strip/v1/me');
  assert.equal(strip.status, 401);
  assert.equal(strip.outcome, 'header_missing');
  assert.equal(strip.code, 'header_missing');
  assert.equal(strip.header.status, 'missing');
  // The API's own challenge agrees: Bearer without an error code (RFC 6750 section 3.1).
  assert.equal(strip.rejection?.source, 'no_error_code');

  const move = byPath(r, '/move/v1/me');
  assert.equal(move.outcome, 'header_modified');
  assert.equal(move.header.status, 'modified');
  assert.equal(move.header.status === 'modified' && move.header.kind, 'moved');
  assert.equal(move.header.status === 'modified' && move.header.header, 'x-forwarded-authorization');
  const moveFinding = move.findings.find((f) => f.code === 'header_modified')!;
  assert.equal(moveFinding.detail!.kind, 'moved');
  assert.equal(moveFinding.detail!.header, 'x-forwarded-authorization');

  const rescheme = byPath(r, '/rescheme/v1/me');
  assert.equal(rescheme.outcome, 'header_modified');
  assert.equal(rescheme.header.status === 'modified' && rescheme.header.kind, 're_schemed');
  assert.equal(rescheme.header.status === 'modified' && rescheme.header.detail.receivedScheme, 'Basic');
  assert.equal(rescheme.rejection?.code, 'header_malformed');

  const cut = byPath(r, '/cut/v1/me');
  assert.equal(cut.outcome, 'header_modified');
  assert.equal(cut.header.status === 'modified' && cut.header.kind, 'truncated');
  assert.equal(cut.header.status === 'modified' && cut.header.detail.receivedLength, 33);
  assert.equal(cut.header.status === 'modified' && cut.header.detail.sentLength, token.length);

  // Same gateway rule, intact header, another verifier: the API states the reason.
  const orders = byPath(r, '/ok/v1/orders');
  assert.equal(orders.outcome, 'rejected');
  assert.equal(orders.header.status, 'intact');
  assert.equal(orders.code, 'audience_mismatch');
  assert.equal(orders.rejection?.source, 'error_description');

  const drift = r.findings.find((f) => f.code === 'route_drift')!;
  assert.ok(drift, 'route_drift reported');
  assert.deepEqual(drift.detail!.accepted, ['GET /ok/v1/me']);
  const rejected = drift.detail!.rejected as { route: string; reason: string }[];
  assert.deepEqual(rejected.map((x) => x.route).sort(), [
    'GET /cut/v1/me',
    'GET /move/v1/me',
    'GET /ok/v1/orders',
    'GET /rescheme/v1/me',
    'GET /strip/v1/me',
  ]);
  assert.equal(rejected.find((x) => x.route === 'GET /ok/v1/orders')!.reason, 'audience_mismatch');
  assert.equal(r.ok, false);
  assert.ok(!JSON.stringify(r).includes(token), 'the report never carries the token');
});

test('probe CLI through nginx: JSON report, exit 1 when routes differ from the contract, no token in output', async () => {
  const token = webToken();
  const contract = join(dir, 'contract.json');
  writeFileSync(
    contract,
    JSON.stringify({
      version: 1,
      environments: {
        gateway: {
          issuer: 'https://auth.test',
          audience: 'web',
          api: {
            baseUrl: gateway.url,
            routes: [{ path: '/ok/v1/me' }, { path: '/strip/v1/me' }, { path: '/cut/v1/me' }, { path: '/ok/v1/orders', expectStatus: 401 }],
          },
        },
      },
    }),
  );
  const json = await runCli([
    'probe',
    '--contract',
    contract,
    '--env',
    'gateway',
    '--token',
    token,
    '--format',
    'json',
    '--timeout',
    '5000',
  ]);
  assert.equal(json.code, 1, json.stderr);
  const report = JSON.parse(json.stdout) as ProbeReport;
  assert.deepEqual(
    report.routes.map((x) => [x.path, x.outcome, x.ok]),
    [
      ['/ok/v1/me', 'accepted', true],
      ['/strip/v1/me', 'header_missing', false],
      ['/cut/v1/me', 'header_modified', false],
      ['/ok/v1/orders', 'rejected', true],
    ],
  );
  assert.ok(!json.stdout.includes(token));

  const text = await runCli([
    'probe',
    '--contract',
    contract,
    '--env',
    'gateway',
    '--token',
    token,
    '--route',
    '/ok/v1/me',
    '--route',
    '/ok/v1/orders',
  ]);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^result = pass$/m);
  assert.ok(!text.stdout.includes(token));
});
