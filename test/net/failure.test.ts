/**
 * The two HTTP clients (fetchText for documents, the probe's sendRequest on
 * raw node:http) report failures in one vocabulary (src/net/failure.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchText } from '../../src/net/fetch_text.ts';
import { NET_ERROR_KINDS } from '../../src/net/failure.ts';
import { sendRequest } from '../../src/probe/send_request.ts';
import { startServer, hang } from '../helpers/http_server.ts';

test('refused, timeout and invalid URL: both clients answer with kinds of the shared vocabulary', async () => {
  const live = await startServer({ '/hang': hang });
  const closed = await startServer();
  const deadUrl = closed.url;
  await closed.close();
  try {
    const cases = [
      { url: `${deadUrl}/x`, fetch: 'network', probe: 'refused' },
      { url: `${live.url}/hang`, fetch: 'timeout', probe: 'timeout' },
      { url: 'ftp://127.0.0.1/x', fetch: 'invalid_url', probe: 'invalid_url' },
    ];
    for (const c of cases) {
      const [f, p] = await Promise.all([fetchText(c.url, { timeoutMs: 300 }), sendRequest(c.url, { timeoutMs: 300 })]);
      assert.equal(f.ok, false);
      assert.equal(p.ok, false);
      if (f.ok || p.ok) continue;
      assert.deepEqual([f.error, p.error], [c.fetch, c.probe], c.url);
      for (const r of [f, p]) {
        assert.ok((NET_ERROR_KINDS as readonly string[]).includes(r.error), r.error);
        assert.equal(r.url, c.url);
        assert.equal(typeof r.message, 'string');
        assert.equal(typeof r.elapsedMs, 'number');
      }
    }
  } finally {
    await live.close();
  }
});
