/**
 * The middleware walkthrough of README (Verifier middleware), runnable:
 *   node --import tsx examples/middleware-server.ts
 * Starts a node:http server on 127.0.0.1 with the bundled contract's
 * staging environment, sends a few requests, prints what came back, the
 * log lines, the debug endpoint and the metrics, then stops.
 * The signing key is the bundled demo key (examples/keys): never a real one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createSign } from 'node:crypto';
import { Registry } from 'prom-client';
import { loadContract } from '../src/contract/load.ts';
import { createVerifier, createJsonLineLogger, withJwtAuth } from '../src/middleware/index.ts';

const contract = loadContract(new URL('../examples/auth-contract.yaml', import.meta.url).pathname);
const registry = new Registry();
const verifier = createVerifier(contract.environments.staging!, {
  contract,
  registry,
  logger: createJsonLineLogger(process.stdout),
  debugEndpoint: true,
  metricsPath: '/metrics',
});

const server = createServer(
  withJwtAuth(
    verifier,
    (req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub, kid: req.auth.kid })),
    {
      route: (req) => (req.url?.startsWith('/v1/orders/') ? '/v1/orders/:id' : undefined),
    },
  ),
);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const now = Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const pem = readFileSync(new URL('../examples/keys/staging-signer.private.pem', import.meta.url));
const mint = (claims: Record<string, unknown>) => {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'staging-2026-11' })}.${b64({ sub: 'user-17', iat: now - 30, exp: now + 600, ...claims })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(pem, 'base64url')}`;
};

async function show(title: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  const www = res.headers.get('www-authenticate');
  console.log(`--- ${title}: GET ${path}`);
  console.log(`HTTP ${res.status}${www ? `\nWWW-Authenticate: ${www}` : ''}`);
  console.log(await res.text());
}

await show('valid token', '/v1/orders/981', { authorization: `Bearer ${mint({ iss: 'https://auth.example.com', aud: 'web-prod' })}` });
await show('no token', '/v1/orders/981');
await show('wrong scheme', '/v1/orders/981', { authorization: 'Token abc' });
await show('token minted for the staging issuer (the bundled drift)', '/v1/orders/981', {
  authorization: `Bearer ${mint({ iss: 'https://auth.staging.example.com', aud: 'web-staging' })}`,
  'x-request-id': 'req-7f3a',
});
await show('expired 15 s ago', '/v1/orders/981', {
  authorization: `Bearer ${mint({ iss: 'https://auth.example.com', aud: 'web-prod', iat: now - 615, exp: now - 15 })}`,
});
await show('debug endpoint', '/.well-known/jwt-doctor/keys');
const metrics = await (await fetch(base + '/metrics')).text();
console.log('--- metrics (jwt_auth_* series)');
console.log(
  metrics
    .split('\n')
    .filter((l) => /^jwt_auth_/.test(l))
    .join('\n'),
);
verifier.close();
server.closeAllConnections();
server.close();
