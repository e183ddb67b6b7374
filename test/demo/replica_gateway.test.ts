/**
 * The replica's Node gateway against a real upstream on 127.0.0.1: what it
 * forwards (Authorization intact, X-Forwarded-*, no hop-by-hop fields) and
 * its 502 when there is no upstream or the upstream is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/index.ts';
import { startReplicaGateway } from '../../src/demo/replica_gateway.ts';
import { fixedClock } from '../../src/demo/replica_clock.ts';

test('the gateway forwards method, path, Authorization and body, and adds X-Forwarded-*', async () => {
  const upstream = await serve(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
  const gateway = await startReplicaGateway(fixedClock());
  try {
    gateway.setUpstream(upstream.url);
    const res = await fetch(`${gateway.origin}/v1/orders?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer a.b.c', 'proxy-connection': 'keep-alive' },
      body: 'hello',
    });
    assert.equal(res.status, 200);
    const seen = (await res.json()) as { method: string; url: string; body: string; headers: Record<string, string> };
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v1/orders?x=1');
    assert.equal(seen.body, 'hello');
    assert.equal(seen.headers.authorization, 'Bearer a.b.c');
    assert.equal(seen.headers['x-forwarded-host'], new URL(gateway.origin).host);
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers.host, new URL(upstream.url).host);
    assert.equal(seen.headers['proxy-connection'], undefined);
  } finally {
    await gateway.close();
    await upstream.close();
  }
});

test('no upstream yet, or an upstream that is gone: 502 bad_gateway, with the replica clock as Date', async () => {
  const gateway = await startReplicaGateway(fixedClock('2026-11-28T12:05:00Z'));
  const upstream = await serve((_req, res) => void res.end('up'));
  try {
    const before = await fetch(`${gateway.origin}/v1/orders`);
    assert.equal(before.status, 502);
    assert.equal(before.headers.get('date'), 'Sat, 28 Nov 2026 12:05:00 GMT');
    assert.deepEqual(await before.json(), { error: 'bad_gateway' });
    gateway.setUpstream(upstream.url);
    assert.equal(await (await fetch(`${gateway.origin}/`)).text(), 'up');
    await upstream.close();
    const gone = await fetch(`${gateway.origin}/`);
    assert.equal(gone.status, 502);
    await gone.body?.cancel();
  } finally {
    await gateway.close();
  }
});
