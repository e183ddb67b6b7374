/**
 * The introspection endpoint from the issuer's discovery document, under the
 * key sources' trust rules, against real HTTP servers on 127.0.0.1: the
 * document must name exactly this issuer, the endpoint must be on the
 * issuer's origin (another origin never receives a request), a hanging
 * document is a timeout, a document without the endpoint says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverIntrospectionEndpoint } from '../../src/revocation/discover_introspection_endpoint.ts';
import { hang, json, startServer, type TestServer } from '../helpers/http_server.ts';

let issuer: TestServer;
let other: TestServer;
const WELL_KNOWN = '/.well-known/openid-configuration';

before(async () => {
  issuer = await startServer();
  other = await startServer({ '/introspect': json({ active: true }) });
});
after(async () => {
  await issuer.close();
  await other.close();
});

const doc = (fields: Record<string, unknown>) => json({ issuer: issuer.url, token_endpoint: `${issuer.url}/token`, ...fields });
const discover = (timeoutMs = 5000) => discoverIntrospectionEndpoint(issuer.url, { timeoutMs });

test("the document's introspection_endpoint on the issuer's origin is used", async () => {
  issuer.route(WELL_KNOWN, doc({ introspection_endpoint: `${issuer.url}/token/introspection` }));
  assert.deepEqual(await discover(), { ok: true, endpoint: `${issuer.url}/token/introspection` });
});

test('refused: another issuer in the document, an endpoint on another origin, no endpoint at all', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ issuer: `${issuer.url}/other`, introspection_endpoint: `${issuer.url}/i` }, /names issuer/],
    [{ introspection_endpoint: `${other.url}/introspect` }, /outside the issuer's origin/],
    [{ introspection_endpoint: 'not a url' }, /outside the issuer's origin/],
    [{}, /no introspection_endpoint/],
  ];
  for (const [fields, why] of cases) {
    issuer.route(WELL_KNOWN, doc(fields));
    const d = await discover();
    assert.equal(d.ok, false, JSON.stringify(fields));
    assert.equal(!d.ok && d.error, 'protocol');
    assert.match(!d.ok ? d.message : '', why);
  }
  assert.equal(other.counts.get('/introspect'), undefined, 'the other origin was never asked');
});

test('a hanging document is a timeout; a missing one unreachable', async () => {
  issuer.route(WELL_KNOWN, hang);
  const hung = await discover(300);
  assert.equal(!hung.ok && hung.error, 'timeout');
  const missing = await discoverIntrospectionEndpoint(other.url, { timeoutMs: 5000 });
  assert.equal(!missing.ok && missing.error, 'unreachable');
});
