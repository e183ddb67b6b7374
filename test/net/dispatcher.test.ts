/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and lower case) for every request
 * the tool makes: fetchText (JWKS, discovery, metrics, debug endpoint)
 * through undici's EnvHttpProxyAgent, and the probe's raw node:http
 * requests (absolute form, CONNECT tunnel), against a real forward proxy
 * on 127.0.0.1 that counts what passes through it.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { fetchText } from '../../src/net/fetch_text.ts';
import { proxyFor, proxySettings } from '../../src/net/dispatcher.ts';
import { sendRequest } from '../../src/probe/send_request.ts';
import { startServer, type TestServer } from '../helpers/http_server.ts';
import { runCli } from '../helpers/cli.ts';
import { jwksKey, signToken } from '../helpers/index.ts';

/** A forward proxy: absolute-form requests relayed, CONNECT tunnelled; `seen` lists each request line. */
async function startProxy(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const up = httpRequest(new URL(req.url!), { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.slice(req.url!.lastIndexOf(':') + 1))];
    const up = netConnect(port, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]));
const setEnv = (vars: Record<string, string>) => {
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
};

let proxy: Awaited<ReturnType<typeof startProxy>>;
let origin: TestServer;
let seenAuth: (string | undefined)[] = [];
before(async () => {
  proxy = await startProxy();
  origin = await startServer({
    '/doc': (req, res) => {
      seenAuth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('through');
    },
  });
});
afterEach(() => {
  proxy.seen.length = 0;
  seenAuth = [];
  setEnv(Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)) as Record<string, string>);
});
after(async () => {
  await proxy.close();
  await origin.close();
});

test('fetchText goes through HTTP_PROXY (upper or lower case); NO_PROXY bypasses it', async () => {
  setEnv({ HTTP_PROXY: proxy.url });
  let r = await fetchText(`${origin.url}/doc`, { timeoutMs: 3000 });
  assert.equal(r.ok && r.text, 'through');
  assert.equal(proxy.seen.length, 1, proxy.seen.join());
  assert.ok(proxy.seen[0]!.includes(`127.0.0.1:${origin.port}`));

  setEnv({ http_proxy: proxy.url });
  r = await fetchText(`${origin.url}/doc`, { timeoutMs: 3000 });
  assert.equal(r.ok, true);
  assert.equal(proxy.seen.length, 2);

  for (const noProxy of ['127.0.0.1', `127.0.0.1:${origin.port}`, '*', 'example.com, 127.0.0.1']) {
    setEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
    r = await fetchText(`${origin.url}/doc`, { timeoutMs: 3000 });
    assert.equal(r.ok, true, noProxy);
  }
  assert.equal(proxy.seen.length, 2, 'NO_PROXY matches bypass the proxy');

  setEnv({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' });
  await fetchText(`${origin.url}/doc`, { timeoutMs: 3000 });
  assert.equal(proxy.seen.length, 3, 'another port in NO_PROXY does not bypass');
});

test('fetchText: an https:// URL is tunnelled through HTTPS_PROXY with CONNECT', async () => {
  setEnv({ HTTPS_PROXY: proxy.url });
  // The origin speaks plain HTTP, so TLS inside the tunnel fails: the CONNECT is what this shows.
  const r = await fetchText(`https://127.0.0.1:${origin.port}/doc`, { timeoutMs: 3000 });
  assert.equal(r.ok, false);
  assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${origin.port}`]);
});

test("the probe's raw requests: absolute form through HTTP_PROXY (headers kept), CONNECT for https, NO_PROXY bypass", async () => {
  setEnv({ HTTP_PROXY: proxy.url });
  const r = await sendRequest(`${origin.url}/doc?x=1`, { headers: { authorization: 'Bearer abc' }, timeoutMs: 3000 });
  assert.equal(r.ok && r.status, 200);
  assert.deepEqual(proxy.seen, [`GET ${origin.url}/doc?x=1`]);
  assert.deepEqual(seenAuth, ['Bearer abc']);

  setEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
  const tls = await sendRequest(`https://127.0.0.1:${origin.port}/doc`, { timeoutMs: 3000 });
  assert.equal(tls.ok, false);
  assert.equal(!tls.ok && tls.error, 'tls', 'TLS to the target inside the tunnel (a plain-HTTP origin here)');
  assert.equal(proxy.seen[1], `CONNECT 127.0.0.1:${origin.port}`);

  setEnv({ HTTP_PROXY: proxy.url, no_proxy: '.0.0.1,localhost' });
  assert.equal((await sendRequest(`${origin.url}/doc`, { timeoutMs: 3000 })).ok, true);
  assert.equal(proxy.seen.length, 2, 'NO_PROXY bypass');

  // A dead proxy is the request's own transport error, never a throw or a hang.
  setEnv({ HTTP_PROXY: 'http://127.0.0.1:1' });
  const dead = await sendRequest(`${origin.url}/doc`, { timeoutMs: 3000 });
  assert.equal(!dead.ok && dead.error, 'refused');
});

test('proxyFor follows the same NO_PROXY rules as undici', () => {
  const s = (noProxy: string) => proxySettings({ HTTP_PROXY: 'http://p:3128', NO_PROXY: noProxy });
  const via = (url: string, noProxy: string) => proxyFor(new URL(url), s(noProxy));
  assert.equal(via('http://api.example.com/x', ''), 'http://p:3128');
  assert.equal(via('http://api.example.com/x', 'example.com'), undefined, 'subdomain');
  assert.equal(via('http://api.example.com/x', '.example.com'), undefined);
  assert.equal(via('http://api.example.com/x', '*.example.com'), undefined);
  assert.equal(via('http://badexample.com/x', 'example.com'), 'http://p:3128', 'not a suffix match on the name');
  assert.equal(via('http://api.example.com:8080/x', 'api.example.com:8080'), undefined);
  assert.equal(via('http://api.example.com/x', 'api.example.com:8080'), 'http://p:3128');
  assert.equal(via('http://API.example.com/x', 'api.EXAMPLE.com'), undefined);
  assert.equal(via('http://[::1]:9/x', '[::1]'), undefined);
  assert.equal(
    proxyFor(new URL('https://a/x'), proxySettings({ HTTP_PROXY: 'http://p:1' })),
    'http://p:1',
    'https falls back to HTTP_PROXY',
  );
  assert.equal(
    proxyFor(new URL('https://a/x'), proxySettings({ HTTPS_PROXY: 'http://s:1', https_proxy: 'http://l:1' })),
    'http://l:1',
    'lower case wins',
  );
});

test('CLI: diagnose fetches the JWKS through HTTPS_PROXY / HTTP_PROXY and exits normally', async () => {
  const key = jwksKey('k1');
  const issuer = await startServer({
    '/jwks.json': (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] })),
  });
  try {
    const now = Math.floor(Date.now() / 1000);
    const token = signToken(key, { iss: 'https://issuer.test', aud: 'api', sub: 'u', iat: now - 5, exp: now + 300 });
    const args = [
      'diagnose',
      token,
      '--iss',
      'https://issuer.test',
      '--aud',
      'api',
      '--alg',
      'RS256',
      '--jwks-url',
      `${issuer.url}/jwks.json`,
      '--format',
      'json',
    ];
    const r = await runCli(args, { env: { HTTP_PROXY: proxy.url, NO_PROXY: undefined, no_proxy: undefined, http_proxy: undefined } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(proxy.seen.length, 1, proxy.seen.join());
    const direct = await runCli(args, {
      env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1', no_proxy: undefined, http_proxy: undefined },
    });
    assert.equal(direct.code, 0);
    assert.equal(proxy.seen.length, 1, 'NO_PROXY: direct');
  } finally {
    await issuer.close();
  }
});
