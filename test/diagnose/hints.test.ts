/** Near-miss hints (issue 2, requirement 6): assert detail.nearMiss values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagnoser } from '../../src/diagnose.ts';
import { importJwk } from '../../src/keys/import.ts';
import { issuerNearMiss } from '../../src/checks/claims.ts';
import { loadContract } from '../../src/contract/load.ts';
import { createContractDiagnosers } from '../../src/match.ts';
import { claimsAt, makeKey, signJws } from '../helpers/mint.ts';
import { NOW } from '../helpers/index.ts';

const key = makeKey('ES256', { kid: 'k' });
const keys = [importJwk(key.publicJwk, { kind: 'jwk' })];
const issFinding = (expected: string, actual: string) => {
  const d = buildDiagnoser({ issuer: [expected] }, { keys }).diagnose(signJws(key, claimsAt(NOW, { iss: actual })), { now: NOW });
  return d.findings.find((f) => f.code === 'issuer_mismatch');
};
const audFinding = (expected: string[], claims: Record<string, unknown>) => {
  const d = buildDiagnoser({ audience: expected }, { keys }).diagnose(signJws(key, claimsAt(NOW, claims)), { now: NOW });
  return d.findings.find((f) => f.code === 'audience_mismatch');
};

test('issuer near misses: trailing slash, scheme, case, port, host alias', () => {
  const cases: [string, string, string][] = [
    ['https://auth.example.com', 'https://auth.example.com/', 'trailing_slash'],
    ['https://auth.example.com/', 'https://auth.example.com', 'trailing_slash'],
    ['https://auth.example.com', 'http://auth.example.com', 'scheme'],
    ['https://auth.example.com/tenant', 'https://AUTH.example.com/tenant', 'case'],
    ['https://auth.example.com/Tenant', 'https://auth.example.com/tenant', 'case'],
    ['https://auth.example.com', 'https://auth.example.com:8443', 'port'],
    ['https://auth.example.com', 'https://auth.staging.example.com', 'host_alias'],
    ['https://login.example.com/realms/app', 'https://login-dev.example.com/realms/app', 'host_alias'],
  ];
  for (const [expected, actual, nearMiss] of cases) {
    assert.equal(issuerNearMiss(actual, expected), nearMiss, `${actual} vs ${expected}`);
    const f = issFinding(expected, actual)!;
    assert.equal(f.detail!.nearMiss, nearMiss, `${actual} vs ${expected}`);
    assert.equal(f.expected, expected);
    assert.equal(f.actual, actual);
  }
  assert.equal(issFinding('https://auth.example.com', 'https://evil.test')!.detail!.nearMiss, undefined);
});

test('audience near misses: delimited string, client id vs API identifier, case or slash', () => {
  assert.equal(audFinding(['api'], { aud: 'web api' })!.detail!.nearMiss, 'delimited_string');
  assert.equal(audFinding(['api'], { aud: 'web,api' })!.detail!.nearMiss, 'delimited_string');
  assert.equal(audFinding(['https://api.example.com'], { aud: 'client-123', azp: 'client-123' })!.detail!.nearMiss, 'client_id');
  assert.equal(audFinding(['https://api.example.com'], { aud: ['client-123'], client_id: 'client-123' })!.detail!.nearMiss, 'client_id');
  assert.equal(audFinding(['client-123'], { aud: 'https://api.example.com', azp: 'client-123' })!.detail!.nearMiss, 'expected_client_id');
  assert.equal(audFinding(['https://api.example.com'], { aud: 'https://api.example.com/' })!.detail!.nearMiss, 'case_or_slash');
  assert.equal(audFinding(['API'], { aud: 'api' })!.detail!.nearMiss, 'case_or_slash');
  assert.equal(audFinding(['api'], { aud: 'other' })!.detail!.nearMiss, undefined);
});

test('typ near miss: at+jwt vs JWT in both directions', () => {
  for (const [expected, actual] of [
    ['at+jwt', 'JWT'],
    ['JWT', 'at+jwt'],
    ['application/at+jwt', 'jwt'],
  ] as const) {
    const d = buildDiagnoser({ typ: expected }, { keys }).diagnose(signJws(key, claimsAt(NOW), { header: { typ: actual } }), { now: NOW });
    assert.equal(d.findings.find((f) => f.code === 'typ_mismatch')!.detail!.nearMiss, 'at+jwt_vs_jwt', `${expected} vs ${actual}`);
  }
  const other = buildDiagnoser({ typ: 'at+jwt' }, { keys }).diagnose(signJws(key, claimsAt(NOW), { header: { typ: 'dpop+jwt' } }), {
    now: NOW,
  });
  assert.equal(other.findings.find((f) => f.code === 'typ_mismatch')!.detail!.nearMiss, undefined);
});

test('issuer and audience of another environment of the contract are named', async () => {
  const contract = loadContract({
    environments: {
      staging: { issuer: 'https://auth.staging.example.com', audience: 'web-staging', keys: [{ jwk: key.publicJwk! }] },
      prod: { issuer: 'https://auth.example.com', audience: 'web-prod', keys: [{ jwk: key.publicJwk! }] },
    },
  });
  const ds = await createContractDiagnosers(contract);
  const d = ds
    .get('prod')!
    .diagnose(signJws(key, claimsAt(NOW, { iss: 'https://auth.staging.example.com', aud: 'web-staging' })), { now: NOW });
  const iss = d.findings.find((f) => f.code === 'issuer_mismatch')!;
  assert.deepEqual(iss.detail!.issuerOfEnvironments, ['staging']);
  assert.equal(iss.detail!.nearMiss, 'host_alias');
  assert.deepEqual(d.findings.find((f) => f.code === 'audience_mismatch')!.detail!.audienceOfEnvironments, ['staging']);
  assert.equal(d.result, 'claim_mismatch');
});
