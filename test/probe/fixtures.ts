/**
 * Probe test fixtures: an HS256 minter, a Node API on 127.0.0.1 that
 * embeds the echo handler and verifies tokens with buildDiagnoser
 * (answering 401 with an RFC 6750 challenge whose error_description is
 * our reason code), and a real nginx in front of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDiagnoser, type Diagnoser } from '../../src/diagnose.ts';
import { importSecretText } from '../../src/keys/import.ts';
import { createEchoHandler } from '../../src/probe/echo_handler.ts';
import { NOW } from '../helpers/clock.ts';
import { closeServer, listen } from '../helpers/http_server.ts';
import { stopChild } from '../helpers/process.ts';

export const SECRET = 'probe-test-secret-0123456789abcdef0123456789';
/**
 * The instant the header dumps in fixtures/headers/ were minted around
 * (iat = HEADERS_NOW - 10, exp = HEADERS_NOW + 600): the tests that
 * diagnose them check at it. Derived from the suite's NOW.
 */
export const HEADERS_NOW = NOW - 10_000_000;

/** HS256 compact JWS (RFC 7515 section 3.1). */
export function mintHs256(payload: Record<string, unknown>, secret = SECRET): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b({ alg: 'HS256', typ: 'JWT', kid: 'probe-1' })}.${b(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A token valid for audience "web" at the wall clock (the API checks at its own now). */
export function webToken(extra: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return mintHs256({ iss: 'https://auth.test', sub: 'user-1', aud: 'web', iat: now - 10, exp: now + 3600, ...extra });
}

function diagnoser(audience: string): Diagnoser {
  const key = importSecretText(SECRET, 'utf8', { kind: 'secret', location: 'test' }, { kid: 'probe-1' });
  return buildDiagnoser({ issuer: ['https://auth.test'], audience: [audience], algorithms: ['HS256'] }, { keys: [key] });
}

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The API: the echo at any path ending in /.well-known/jwt-doctor/echo;
 * /v1/me verifies aud "web"; /v1/orders verifies aud "orders-api" (the
 * route drift); /v1/public answers 200 without auth; /v1/boom 500.
 */
export async function startApi(): Promise<Running> {
  const echo = createEchoHandler();
  const verifiers: Record<string, Diagnoser> = { '/v1/me': diagnoser('web'), '/v1/orders': diagnoser('orders-api') };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    echo(req, res, () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/v1/public') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      const v = verifiers[path];
      if (!v) return void res.writeHead(path === '/v1/boom' ? 500 : 404).end();
      const auth = req.headers.authorization;
      // RFC 6750 section 3.1: no error code when the request carries no credentials.
      if (!auth) return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"' }).end();
      const m = /^Bearer ([^\s]+)$/.exec(auth);
      if (!m)
        return void res
          .writeHead(401, { 'www-authenticate': 'Bearer realm="api", error="invalid_request", error_description="header_malformed"' })
          .end();
      const d = v.diagnose(m[1]!);
      if (d.result === 'valid') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      // The most fundamental error's own code (result collapses claim failures to claim_mismatch).
      const code = d.findings.find((f) => f.severity === 'error')?.code ?? d.result;
      res.writeHead(401, { 'www-authenticate': `Bearer realm="api", error="invalid_token", error_description="${code}"` }).end();
    });
  });
  const url = await listen(server);
  return { url, port: Number(new URL(url).port), close: () => closeServer(server) };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

/**
 * The gateway under test. Every location proxies its prefix to the API
 * root (so /strip/v1/me and /strip/v1/.well-known/jwt-doctor/echo get the
 * same rules) and treats Authorization differently.
 */
export function nginxConfig(dir: string, port: number, apiPort: number): string {
  const isRoot = process.getuid?.() === 0;
  return `
${isRoot ? 'user root;' : ''}
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # Keeps the first 40 characters: "Bearer " + 33 of the token.
  map $http_authorization $auth_cut { "~^(.{0,40})" $1; default ""; }
  upstream api { server 127.0.0.1:${apiPort}; }
  server {
    listen 127.0.0.1:${port};
    location /ok/ { proxy_pass http://api/; }
    location /strip/ { proxy_pass http://api/; proxy_set_header Authorization ""; }
    location /move/ { proxy_pass http://api/; proxy_set_header X-Forwarded-Authorization $http_authorization; proxy_set_header Authorization ""; }
    location /rescheme/ { proxy_pass http://api/; proxy_set_header Authorization "Basic $http_authorization"; }
    location /cut/ { proxy_pass http://api/; proxy_set_header Authorization $auth_cut; }
  }
}
`;
}

function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`nginx exited with ${child.exitCode}`));
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > until) reject(new Error(`nginx did not listen on ${port} within ${deadlineMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Starts nginx (daemon off, its own prefix, pid and logs in a temp folder) in front of the API. */
export async function startNginx(apiPort: number): Promise<Running> {
  if (!NGINX)
    throw new Error(
      'nginx is not installed: install the Debian package "nginx" (.ci/run does this in CI); the gateway tests need a real nginx',
    );
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-nginx-'));
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(dir, d));
  chmodSync(dir, 0o755);
  const port = await closedPort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, apiPort));
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', `daemon off; pid ${dir}/nginx.pid;`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const stop = () => stopChild(child, dir);
  try {
    await waitForPort(port, child, 10_000);
  } catch (e) {
    const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    await stop();
    throw new Error(`${(e as Error).message}\n${stderr}\n${log}`, { cause: e });
  }
  return { url: `http://127.0.0.1:${port}`, port, close: stop };
}
