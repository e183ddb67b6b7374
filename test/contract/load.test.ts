import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContract, ContractError } from '../../src/contract/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-contract-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
function contractError(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ContractError, String(e));
    return e;
  }
  assert.fail('expected a ContractError');
}

const YAML = `
version: 1
owners: { signer: identity-team, verifier: api-platform, secrets: security-ops }
defaults:
  clockToleranceSeconds: 5
environments:
  local:
    issuer: \${LOCAL_ISS:-http://localhost:4000}
    audience: web-local
    algorithms: [HS256]
    keys:
      - secret: { env: JWT_SECRET, encoding: utf8 }
  staging:
    issuer: [https://auth.staging.example.com, https://auth.example.com]
    audience: [web-staging]
    algorithms: [RS256, ES256]
    typ: JWT
    requiredClaims: [sub, exp]
    claims: { azp: web, scope: { includes: orders:read }, tier: { oneOf: [gold, silver] }, admin: { equals: false } }
    clockToleranceSeconds: 10
    maxTokenAgeSeconds: 3600
    owners: { verifier: orders-team }
    keys:
      - jwksFile: keys/staging.jwks.json
      - jwksUri: https://auth.staging.example.com/.well-known/jwks.json
        timeoutMs: 2000
      - discovery: https://auth.staging.example.com
      - discovery: true
      - pem: keys/spki.pem
        kid: pem-1
        alg: RS256
      - pem: keys/cert.crt
      - jwk: keys/one.jwk.json
      - jwk: { kty: EC, crv: P-256, x: abc, y: def }
      - secret: literal-secret
      - secret: { value: "\${STAGING_SECRET}", encoding: base64 }
      - secret: { file: keys/hs.secret, encoding: hex }
      - secret: { env: JWT_SECRET, encoding: base64url }
        kid: hs-1
        alg: HS512
`;

test('YAML contract: environments normalized, defaults merged, owners top-level + per environment, ${VAR} substituted', () => {
  const c = loadContract(file('c.yaml', YAML), { vars: { STAGING_SECRET: 'c2VjcmV0' } });
  assert.equal(c.version, 1);
  assert.equal(c.baseDir, dir);
  assert.deepEqual(Object.keys(c.environments), ['local', 'staging']);
  const local = c.environments.local!;
  assert.deepEqual(local.issuer, ['http://localhost:4000']);
  assert.deepEqual(local.audience, ['web-local']);
  assert.equal(local.clockToleranceSeconds, 5);
  assert.equal(local.name, 'local');
  const st = c.environments.staging!;
  assert.deepEqual(st.issuer, ['https://auth.staging.example.com', 'https://auth.example.com']);
  assert.equal(st.clockToleranceSeconds, 10);
  assert.deepEqual(st.owners, { signer: 'identity-team', verifier: 'orders-team', secrets: 'security-ops' });
  assert.deepEqual(local.owners, { signer: 'identity-team', verifier: 'api-platform', secrets: 'security-ops' });
  assert.equal(st.keys!.length, 12);
  assert.deepEqual(st.keys![9], { secret: { value: 'c2VjcmV0', encoding: 'base64' } });
  assert.deepEqual(st.claims!.scope, { includes: 'orders:read' });
  const withVar = loadContract(file('c2.yaml', YAML), { vars: { STAGING_SECRET: 'x', LOCAL_ISS: 'http://127.0.0.1:4000' } });
  assert.deepEqual(withVar.environments.local!.issuer, ['http://127.0.0.1:4000']);
});

test('JSON contract and an object contract load the same way', () => {
  const doc = { environments: { prod: { issuer: 'https://auth.example.com', audience: 'web-prod', keys: [{ jwksFile: 'k.json' }] } } };
  const a = loadContract(file('c.json', JSON.stringify(doc)));
  const b = loadContract(doc, { baseDir: dir });
  assert.deepEqual(a.environments, b.environments);
  assert.equal(b.path, undefined);
  assert.equal(a.path, join(dir, 'c.json'));
});

test('an unset ${VAR} without default is a ContractError naming the field path', () => {
  const e = contractError(() => loadContract(file('unset.yaml', YAML), { vars: {} }));
  assert.equal(e.code, 'ERR_CONTRACT_INVALID');
  assert.equal(e.path, 'environments.staging.keys[9].secret.value');
  assert.match(e.expected, /STAGING_SECRET/);
  assert.equal(e.file, join(dir, 'unset.yaml'));
});

test('unknown fields, wrong types and bad values name the path; secrets are never echoed', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ environments: { prod: { issuer: 'x', audiense: 'y' } } }, 'environments.prod.audiense'],
    [{ environments: { prod: { clockToleranceSeconds: 'ten' } } }, 'environments.prod.clockToleranceSeconds'],
    [{ environments: { prod: { algorithms: ['RS256', 'none'] } } }, 'environments.prod.algorithms[1]'],
    [{ environments: { prod: { keys: [{ jwksUri: 'ftp://x' }] } } }, 'environments.prod.keys[0].jwksUri'],
    [
      { environments: { prod: { keys: [{ secret: { value: 's3cr3t-value', encoding: 'rot13' } }] } } },
      'environments.prod.keys[0].secret.encoding',
    ],
    [{ environments: { prod: { owners: { signer: 1 } } } }, 'environments.prod.owners.signer'],
    [{ owners: { boss: 'me' }, environments: { prod: {} } }, 'owners.boss'],
    [{ environments: {} }, 'environments'],
    [{ envs: {} }, 'envs'],
    [{ version: 2, environments: { prod: {} } }, 'version'],
  ];
  for (const [doc, path] of cases) {
    const e = contractError(() => loadContract(doc));
    assert.equal(e.path, path, JSON.stringify(doc));
    assert.ok(e.expected.length > 0);
    assert.ok(e.found.length > 0);
    assert.equal(e.message.includes('s3cr3t-value'), false);
  }
  const missingEnvs = contractError(() => loadContract({ version: 1 }));
  assert.equal(missingEnvs.path, 'environments');
});

test('YAML syntax errors and duplicate keys name the line; a missing file says so', () => {
  const dup = contractError(() => loadContract(file('dup.yaml', 'environments:\n  prod: {}\n  prod: {}\n')));
  assert.match(dup.path, /^line \d+/);
  const syntax = contractError(() => loadContract(file('bad.yaml', 'environments: [\n')));
  assert.match(syntax.path, /^line \d+/);
  const missing = contractError(() => loadContract(join(dir, 'nope.yaml')));
  assert.equal(missing.found, 'no such file');
});

test('front-end sections are accepted as objects; x- extensions allowed', () => {
  const c = loadContract({
    'x-team': 'a',
    environments: {
      staging: {
        'x-note': 'free',
        tokenSource: { header: 'authorization', scheme: 'Bearer' },
        verifier: { debugUrl: 'http://127.0.0.1:3000/.well-known/jwt-doctor/keys' },
        policy: { tokenLifetimeSeconds: 3600 },
        clients: { web: { audience: 'web' } },
        api: { baseUrl: 'https://api', routes: [{ path: '/v1/me' }] },
        issuerBaseUrl: 'https://auth.example.com',
      },
    },
  });
  assert.deepEqual(c.environments.staging!.tokenSource, { header: 'authorization', scheme: 'Bearer' });
  assert.ok(c.raw);
});

test('the bundled example contract loads', () => {
  const c = loadContract(new URL('../../examples/auth-contract.yaml', import.meta.url).pathname);
  assert.deepEqual(Object.keys(c.environments), ['local', 'staging', 'prod']);
  assert.equal(c.environments.staging!.owners!.verifier, 'orders-team');
});
