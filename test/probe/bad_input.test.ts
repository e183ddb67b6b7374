/**
 * Bad input for probe, all on 127.0.0.1: refused connections, TLS to a
 * plain-HTTP port, redirects to another origin, a server that never
 * answers, a server that writes garbage, one that hangs up. Each route is
 * reported with a code; nothing hangs or throws.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import { probeApi, type ProbeReport } from '../../src/probe/probe_api.ts';
import type { ApiConfig } from '../../src/contract/api_section.ts';
import { sendRequest } from '../../src/probe/send_request.ts';
import { runCli } from '../helpers/cli.ts';
import { closedPort, webToken } from './fixtures.ts';

let http: Server;
let httpUrl: string;
let garbage: TcpServer;
let garbagePort: number;
let hangup: TcpServer;
let hangupPort: number;
let refusedPort: number;
let other: Server;
let otherUrl: string;
const otherSaw: (string | undefined)[] = [];
const sockets = new Set<Socket>();

before(async () => {
  refusedPort = await closedPort();
  http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/same') return void res.writeHead(302, { location: '/target' }).end();
    if (path === '/to-other') return void res.writeHead(307, { location: `${otherUrl}/landing` }).end();
    if (path === '/away') return void res.writeHead(302, { location: `http://127.0.0.1:${refusedPort}/elsewhere?code=secret` }).end();
    if (path === '/target')
      return void res.writeHead(req.headers.authorization ? 200 : 401, { 'www-authenticate': 'Bearer realm="t"' }).end();
    if (path === '/slow') return; // never answers
    if (path === '/missing') return void res.writeHead(404).end();
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  other = createServer((req, res) => {
    otherSaw.push(req.headers.authorization);
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  garbage = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.end('SSH-2.0-OpenSSH_9.2 not http at all\r\n\r\n');
  });
  await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
  garbagePort = (garbage.address() as AddressInfo).port;
  hangup = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('data', () => s.destroy());
  });
  await new Promise<void>((r) => hangup.listen(0, '127.0.0.1', r));
  hangupPort = (hangup.address() as AddressInfo).port;
});

after(async () => {
  for (const s of sockets) s.destroy();
  http.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([
    new Promise((r) => other.close(r)),
    new Promise((r) => http.close(r)),
    new Promise((r) => garbage.close(r)),
    new Promise((r) => hangup.close(r)),
  ]);
});

function api(baseUrl: string, paths: string[]): ApiConfig {
  return {
    baseUrl,
    routes: paths.map((path) => ({ path, method: 'GET', expectStatus: 200, echo: false })),
    header: 'authorization',
    scheme: 'Bearer',
    echoPath: '/.well-known/jwt-doctor/echo',
  };
}

const only = (r: ProbeReport) => r.routes[0]!;

test('refused connection: transport_error, error refused', async () => {
  const r = await probeApi(api(`http://127.0.0.1:${refusedPort}`, ['/v1/me']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(r).outcome, 'transport_error');
  assert.equal(only(r).transport?.error, 'refused');
  assert.equal(only(r).transport?.code, 'ECONNREFUSED');
  assert.equal(r.findings[0]!.code, 'transport_error');
  assert.equal(r.ok, false);
});

test('https to a plain-HTTP port: transport_error, error tls', async () => {
  const r = await probeApi(api(httpUrl.replace('http:', 'https:'), ['/v1/me']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(r).outcome, 'transport_error');
  assert.equal(only(r).transport?.error, 'tls');
});

test('a server that writes garbage: non_http; one that hangs up: reset', async () => {
  const g = await probeApi(api(`http://127.0.0.1:${garbagePort}`, ['/v1/me']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(g).transport?.error, 'non_http');
  assert.match(only(g).transport?.code ?? '', /^HPE_/);
  const h = await probeApi(api(`http://127.0.0.1:${hangupPort}`, ['/v1/me']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(h).transport?.error, 'reset');
});

test('a server that never answers: timeout within the per-route deadline, other routes unaffected', async () => {
  const r = await probeApi(api(httpUrl, ['/slow', '/ok']), webToken(), { timeoutMs: 300 });
  assert.equal(r.routes[0]!.outcome, 'transport_error');
  assert.equal(r.routes[0]!.transport?.error, 'timeout');
  assert.equal(r.findings.find((f) => f.code === 'transport_error')!.detail!.timeoutMs, 300);
  assert.equal(r.routes[1]!.outcome, 'accepted');
});

test('redirects: same origin followed with the token, another origin blocked unless allowed (then without the token)', async () => {
  const same = await probeApi(api(httpUrl, ['/same']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(same).outcome, 'accepted');
  assert.equal(only(same).redirects.length, 1);
  assert.equal(only(same).redirects[0]!.crossOrigin, false);

  const away = await probeApi(api(httpUrl, ['/away']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(away).outcome, 'redirect_blocked');
  assert.equal(only(away).code, 'redirect_blocked');
  const f = away.findings.find((x) => x.code === 'redirect_blocked')!;
  assert.equal(f.detail!.location, `http://127.0.0.1:${refusedPort}/elsewhere`, 'query (codes, tokens) dropped from the report');

  const allowed = await probeApi(api(httpUrl, ['/away']), webToken(), { timeoutMs: 2000, allowRedirects: true });
  assert.equal(only(allowed).outcome, 'transport_error');
  assert.equal(only(allowed).transport?.error, 'refused');

  const followed = await probeApi(api(httpUrl, ['/to-other']), webToken(), { timeoutMs: 2000, allowRedirects: true });
  assert.equal(only(followed).status, 200);
  assert.equal(only(followed).redirects[0]!.crossOrigin, true);
  assert.deepEqual(otherSaw, [undefined], 'the token is never sent to another origin');
});

test('unexpected status: route_unexpected_status with expected and actual', async () => {
  const r = await probeApi(api(httpUrl, ['/missing']), webToken(), { timeoutMs: 2000 });
  assert.equal(only(r).outcome, 'unexpected_status');
  const f = r.findings.find((x) => x.code === 'route_unexpected_status')!;
  assert.equal(f.expected, 200);
  assert.equal(f.actual, 404);
});

test('sendRequest never throws: invalid URL, unsupported scheme, header with a line break', async () => {
  assert.equal((await sendRequest('not a url')).ok, false);
  const ftp = await sendRequest('ftp://127.0.0.1/');
  assert.equal(!ftp.ok && ftp.error, 'invalid_url');
  const bad = await sendRequest(`${httpUrl}/ok`, { headers: { authorization: 'Bearer a\nb' }, timeoutMs: 1000 });
  assert.equal(!bad.ok && bad.error, 'invalid_request');
});

test('probe CLI: usage errors exit 2 without a stack trace; transport errors exit 1 per route', async () => {
  const noToken = await runCli(['probe', '--base-url', httpUrl, '--route', '/ok']);
  assert.equal(noToken.code, 2);
  assert.doesNotMatch(noToken.stderr, /^\s{4}at /m);
  const badUrl = await runCli(['probe', '--base-url', 'ftp://x', '--route', '/ok', '--token', webToken()]);
  assert.equal(badUrl.code, 2);
  const r = await runCli([
    'probe',
    '--base-url',
    `http://127.0.0.1:${refusedPort}`,
    '--route',
    '/a',
    '--route',
    '/b',
    '--token',
    webToken(),
    '--format',
    'json',
    '--timeout',
    '1000',
  ]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as ProbeReport;
  assert.deepEqual(
    report.routes.map((x) => x.transport?.error),
    ['refused', 'refused'],
  );
});
