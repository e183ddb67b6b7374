/**
 * RFC 7662 introspection as a revocation source against a real OpenID
 * provider (panva's oidc-provider on 127.0.0.1): a client_credentials access
 * token is active, then revoked through the provider's RFC 7009 revocation
 * endpoint and answered inactive; wrong client credentials, a closed port, a
 * hanging endpoint and a non-RFC answer are failures with their kind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createIntrospectionSource } from '../../src/revocation/introspection_source.ts';
import { createRevocationSource } from '../../src/revocation/from_config.ts';
import { UsageError } from '../../src/errors.ts';
import { loadContract } from '../../src/contract/load.ts';
import { readPolicySection } from '../../src/contract/sections.ts';
import { ContractError } from '../../src/errors.ts';
import { hang, json, startServer, type TestServer } from '../helpers/http_server.ts';
import { freePort } from '../helpers/redis_server.ts';

const CLIENT_SECRET = 'api-secret-api-secret-api-secret-0000';
let server: Server;
let issuer: string;
let fake: TestServer;

before(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: () => true },
      revocation: { enabled: true, allowedPolicy: () => true },
    },
    ttl: { ClientCredentials: 600 },
    clients: [
      { client_id: 'api', client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
    ],
  });
  server.on('request', provider.callback());
  fake = await startServer({ '/hang': hang, '/odd': json({ ok: true }) });
});

after(async () => {
  await fake.close();
  await new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
});

const basic = 'Basic ' + Buffer.from(`api:${CLIENT_SECRET}`).toString('base64');
const form = { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' };

async function accessToken(): Promise<string> {
  const r = await fetch(`${issuer}/token`, { method: 'POST', headers: form, body: 'grant_type=client_credentials' });
  assert.equal(r.status, 200);
  return ((await r.json()) as { access_token: string }).access_token;
}

test('an active token is not revoked; after RFC 7009 revocation at the provider it is (active: false)', async () => {
  const token = await accessToken();
  const source = createIntrospectionSource({ endpoint: `${issuer}/token/introspection`, clientId: 'api', clientSecret: CLIENT_SECRET });
  assert.deepEqual(await source.isRevoked({ claims: {}, token }), { ok: true, revoked: false, source: source.name });
  const revoke = await fetch(`${issuer}/token/revocation`, { method: 'POST', headers: form, body: `token=${token}` });
  assert.equal(revoke.status, 200);
  assert.deepEqual(await source.isRevoked({ claims: {}, token }), { ok: true, revoked: true, source: source.name, by: 'inactive' });
});

test('wrong client credentials are unauthorized; the secret is never in the answer', async () => {
  const token = await accessToken();
  const source = createIntrospectionSource({ endpoint: `${issuer}/token/introspection`, clientId: 'api', clientSecret: 'not-the-secret' });
  const a = await source.isRevoked({ claims: {}, token });
  assert.equal(!a.ok && a.error, 'unauthorized');
  assert.ok(!JSON.stringify(a).includes('not-the-secret') && !JSON.stringify(a).includes(token));
});

test('endpoint down, hanging, or answering without a boolean "active": unreachable, timeout, protocol', async () => {
  // Only the hanging endpoint needs a short deadline; the others answer (a short one would turn a slow answer into a timeout).
  const at = (endpoint: string, timeoutMs = 5000) =>
    createIntrospectionSource({ endpoint, clientId: 'api', clientSecret: CLIENT_SECRET, timeoutMs }).isRevoked({
      claims: {},
      token: 'opaque',
    });
  const kind = (a: Awaited<ReturnType<typeof at>>) => (!a.ok ? a.error : 'answered');
  assert.equal(kind(await at(`http://127.0.0.1:${await freePort()}/introspect`)), 'unreachable');
  assert.equal(kind(await at(`${fake.url}/hang`, 200)), 'timeout');
  assert.equal(kind(await at(`${fake.url}/odd`)), 'protocol');
  assert.equal(
    kind(
      await createIntrospectionSource({ endpoint: `${fake.url}/odd`, clientId: 'a', clientSecret: 'b' }).isRevoked({
        claims: { jti: 'x' },
      }),
    ),
    'no_token',
  );
});

test('from the contract: the client secret from a variable; an unset variable is a usage error naming it', async () => {
  const config = {
    kind: 'introspection' as const,
    endpoint: `${issuer}/token/introspection`,
    clientId: 'api',
    clientSecret: { env: 'INTROSPECTION_SECRET' },
  };
  const source = createRevocationSource(config, { vars: { INTROSPECTION_SECRET: CLIENT_SECRET } });
  assert.deepEqual(await source.isRevoked({ claims: {}, token: await accessToken() }), { ok: true, revoked: false, source: source.name });
  assert.throws(
    () => createRevocationSource(config, { vars: {} }),
    (e: unknown) => e instanceof UsageError && /INTROSPECTION_SECRET is not set/.test(e.message),
  );
});

test("no endpoint: the provider's discovery names it (introspection_endpoint); active, then revoked after RFC 7009 revocation", async () => {
  const source = createIntrospectionSource({ issuer, clientId: 'api', clientSecret: CLIENT_SECRET });
  const token = await accessToken();
  assert.deepEqual(await source.isRevoked({ claims: {}, token }), { ok: true, revoked: false, source: source.name });
  const revoke = await fetch(`${issuer}/token/revocation`, { method: 'POST', headers: form, body: `token=${token}` });
  assert.equal(revoke.status, 200);
  assert.deepEqual(await source.isRevoked({ claims: {}, token }), { ok: true, revoked: true, source: source.name, by: 'inactive' });
});

test("the discovery document is read once for many lookups; a failed discovery is that lookup's answer, retried at the next", async () => {
  const op = await startServer({ '/introspect': json({ active: true }) });
  try {
    const source = createIntrospectionSource({ issuer: op.url, clientId: 'api', clientSecret: CLIENT_SECRET });
    const down = await source.isRevoked({ claims: {}, token: 'opaque' });
    assert.equal(!down.ok && down.error, 'unreachable');
    op.route(
      '/.well-known/openid-configuration',
      json({ issuer: op.url, token_endpoint: `${op.url}/token`, introspection_endpoint: `${op.url}/introspect` }),
    );
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await source.isRevoked({ claims: {}, token: 'opaque' }), { ok: true, revoked: false, source: source.name });
    assert.equal(op.counts.get('/.well-known/openid-configuration'), 2);
    assert.equal(op.counts.get('/introspect'), 3);
    assert.ok(!source.name.includes(CLIENT_SECRET));
  } finally {
    await op.close();
  }
});

test("from the contract: introspection without endpoint discovers it from the environment's first issuer; a non-URL issuer needs the endpoint", async () => {
  const introspection = { clientId: 'api', clientSecret: { env: 'INTROSPECTION_SECRET' } };
  const contract = loadContract(
    {
      environments: {
        stg: { issuer: [issuer, 'urn:other'], policy: { revocation: { introspection } } },
        bare: { issuer: 'urn:issuer', policy: { revocation: { introspection } } },
      },
    },
    { baseDir: '/tmp' },
  );
  const config = readPolicySection(contract, contract.environments.stg!).revocationSource!;
  assert.deepEqual(config, { kind: 'introspection', issuer, ...introspection });
  const source = createRevocationSource(config, { vars: { INTROSPECTION_SECRET: CLIENT_SECRET } });
  assert.deepEqual(await source.isRevoked({ claims: {}, token: await accessToken() }), { ok: true, revoked: false, source: source.name });
  assert.throws(
    () => readPolicySection(contract, contract.environments.bare!),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.bare.policy.revocation.introspection.endpoint',
  );
});
