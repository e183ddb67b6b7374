/**
 * The echo handler on real servers (node:http and express) and the
 * classification of what it saw against what was sent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createEchoHandler, type EchoReport } from '../../src/probe/echo_handler.ts';
import { classifyEcho } from '../../src/probe/classify_echo.ts';
import { fingerprintToken } from '../../src/probe/fingerprint.ts';
import { sendRequest } from '../../src/probe/send_request.ts';
import { webToken } from './fixtures.ts';

let plain: Server;
let viaExpress: Server;
let plainUrl: string;
let expressUrl: string;

before(async () => {
  plain = createServer(createEchoHandler({ headers: ['x-api-key-token'] }));
  const app = express();
  app.use(createEchoHandler());
  app.get('/v1/me', (_req, res) => void res.status(200).json({ route: true }));
  viaExpress = createServer(app);
  await Promise.all([
    new Promise<void>((r) => plain.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => viaExpress.listen(0, '127.0.0.1', r)),
  ]);
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  expressUrl = `http://127.0.0.1:${(viaExpress.address() as AddressInfo).port}`;
});

after(async () => {
  for (const s of [plain, viaExpress]) s.closeAllConnections();
  await Promise.all([new Promise((r) => plain.close(r)), new Promise((r) => viaExpress.close(r))]);
});

async function echo(
  headers: Record<string, string>,
  base = plainUrl,
  path = '/any/prefix/.well-known/jwt-doctor/echo',
): Promise<EchoReport> {
  const r = await sendRequest(base + path, { headers, timeoutMs: 2000 });
  assert.ok(r.ok);
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'no-store');
  return JSON.parse(r.body) as EchoReport;
}

const sent = (token: string) => ({ header: 'authorization', scheme: 'Bearer', token });

test('reports what arrived: scheme, length, SHA-256, decodes, cookie names; never the token or a cookie value', async () => {
  const token = webToken();
  // "curl/7.88.1" has three dot-separated segments: it must not pass for a token.
  const e = await echo({
    authorization: `Bearer ${token}`,
    'x-amzn-oidc-data': token,
    cookie: 'session=s3cr3t-value; theme=dark',
    'x-api-key-token': 'abc',
    'user-agent': 'curl/7.88.1',
  });
  assert.equal(e.schema, 'jwt-doctor/echo/v1');
  const auth = e.headers.find((h) => h.name === 'authorization')!;
  assert.equal(auth.scheme, 'Bearer');
  assert.equal(auth.credentials.length, token.length);
  assert.equal(auth.credentials.sha256, fingerprintToken(token));
  assert.equal(auth.token?.decodes, true);
  assert.equal(auth.token?.alg, 'HS256');
  assert.deepEqual(
    e.headers.map((h) => h.name),
    ['authorization', 'x-amzn-oidc-data', 'x-api-key-token'],
  );
  assert.deepEqual(e.cookies, ['session', 'theme']);
  const raw = JSON.stringify(e);
  assert.ok(!raw.includes(token) && !raw.includes('s3cr3t-value'));
  assert.equal(classifyEcho(sent(token), e).status, 'intact');
});

test('embedded in express: answers under any prefix, passes other paths on', async () => {
  const token = webToken();
  const e = await echo({ authorization: `Bearer ${token}` }, expressUrl, '/v1/.well-known/jwt-doctor/echo');
  assert.equal(e.path, '/v1/.well-known/jwt-doctor/echo');
  const route = await sendRequest(`${expressUrl}/v1/me`, { timeoutMs: 2000 });
  assert.ok(route.ok);
  assert.deepEqual(JSON.parse(route.body), { route: true });
});

test('classifies stripped, moved, truncated, re-schemed, re-encoded, replaced and duplicated headers', async () => {
  const token = webToken();
  const other = webToken({ sub: 'someone-else' });
  const fate = async (headers: Record<string, string>) => classifyEcho(sent(token), await echo(headers));

  const missing = await fate({ cookie: 'sid=1' });
  assert.equal(missing.status, 'missing');
  assert.deepEqual(missing.status === 'missing' && missing.cookies, ['sid']);

  const moved = await fate({ 'x-forwarded-authorization': `Bearer ${token}` });
  assert.equal(moved.status === 'modified' && moved.kind, 'moved');
  assert.equal(moved.status === 'modified' && moved.header, 'x-forwarded-authorization');

  const movedBare = await fate({ 'x-custom-jwt': token });
  assert.equal(movedBare.status === 'modified' && movedBare.header, 'x-custom-jwt');

  const cut = await fate({ authorization: `Bearer ${token.slice(0, 100)}` });
  assert.equal(cut.status === 'modified' && cut.kind, 'truncated');
  assert.equal(cut.status === 'modified' && cut.detail.receivedLength, 100);

  const lower = await fate({ authorization: `bearer ${token}` });
  assert.equal(lower.status === 'modified' && lower.kind, 're_schemed');
  assert.equal(lower.status === 'modified' && lower.detail.receivedScheme, 'bearer');

  const b64 = await fate({ authorization: `Basic ${Buffer.from(`Bearer ${token}`).toString('base64')}` });
  assert.equal(b64.status === 'modified' && b64.kind, 're_encoded');
  assert.equal(b64.status === 'modified' && b64.detail.encoding, 'base64_of_header_value');

  const quoted = await fate({ authorization: `Bearer "${token}"` });
  assert.equal(quoted.status === 'modified' && quoted.kind, 're_encoded');

  const replaced = await fate({ authorization: `Bearer ${other}` });
  assert.equal(replaced.status === 'modified' && replaced.kind, 'replaced');
  assert.equal(replaced.status === 'modified' && (replaced.detail.otherToken as { decodes: boolean }).decodes, true);

  // Node joins a repeated Authorization; a raw echo report with count 2 is a duplicate.
  const dup = classifyEcho(sent(token), {
    schema: 'jwt-doctor/echo/v1',
    method: 'GET',
    path: '/',
    cookies: [],
    headers: [{ name: 'authorization', count: 2, length: 1, scheme: null, credentials: { length: 1, sha256: 'x' } }],
  });
  assert.equal(dup.status === 'modified' && dup.kind, 'duplicated');

  assert.equal(classifyEcho(sent(token), { not: 'an echo' }).status, 'unknown');
});

test('a bare-token API (scheme null): intact only when the whole value is the token', async () => {
  const token = webToken();
  const bare = { header: 'x-auth-token', scheme: null, token };
  assert.equal(classifyEcho(bare, await echo({ 'x-auth-token': token })).status, 'intact');
  const prefixed = classifyEcho(bare, await echo({ 'x-auth-token': `Bearer ${token}` }));
  assert.equal(prefixed.status === 'modified' && prefixed.kind, 're_schemed');
});
