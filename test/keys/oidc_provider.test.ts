/**
 * A real OpenID provider (panva's oidc-provider v9) on 127.0.0.1:
 * discovery -> its JWKS -> verify a token signed with the provider's
 * configured signing key. The provider's server is closed at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { resolveKeySpec } from '../../src/keys/sources.ts';
import { jwkThumbprint } from '../../src/keys/import.ts';
import { NOW, claimsAt, makeKey, signJws } from '../helpers/index.ts';

const signer = makeKey('RS256', { kid: 'op-key-1' });
let server: Server;
let issuer: string;

test.before(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const privateJwk = {
    ...(signer.privateKey!.export({ format: 'jwk' }) as Record<string, unknown>),
    kid: 'op-key-1',
    alg: 'RS256',
    use: 'sig',
  };
  const provider = new Provider(issuer, {
    jwks: { keys: [privateJwk] },
    features: { devInteractions: { enabled: false } },
    clients: [{ client_id: 'web', client_secret: 'web-secret-web-secret-web-secret-00', redirect_uris: ['http://127.0.0.1/cb'] }],
  });
  server.on('request', provider.callback());
});

test.after(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

test('discovery against oidc-provider finds its JWKS; the published key is the configured one (public half only)', async () => {
  const r = await resolveKeySpec({ discovery: issuer, timeoutMs: 5000 }, { env: 'op' });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.keys.map((k) => k.kid),
    ['op-key-1'],
  );
  assert.equal(r.keys[0]!.thumbprint, jwkThumbprint(signer.publicJwk!));
  assert.equal(r.sources[0]!.jwksUri!.startsWith(issuer), true);
});

test('a token signed with the provider key is valid; a token from another key is not', async () => {
  const d = await createDiagnoser({ issuer: [issuer], audience: ['api'], keys: [{ discovery: true }] }, { timeoutMs: 5000 });
  const ok = d.diagnose(signJws(signer, claimsAt(NOW, { iss: issuer })), { now: NOW });
  assert.equal(ok.result, 'valid');
  assert.equal(ok.signature.kid, 'op-key-1');
  assert.equal(ok.signature.source!.kind, 'discovery');
  const forged = d.diagnose(signJws(makeKey('RS256', { kid: 'op-key-1', fresh: true }), claimsAt(NOW, { iss: issuer })), { now: NOW });
  assert.equal(forged.result, 'signature_invalid');
  const trailing = d.diagnose(signJws(signer, claimsAt(NOW, { iss: `${issuer}/` })), { now: NOW });
  assert.equal(trailing.findings.find((f) => f.code === 'issuer_mismatch')!.detail!.nearMiss, 'trailing_slash');
});
