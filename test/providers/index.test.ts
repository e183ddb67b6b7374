/**
 * Identity-provider profiles (issue 15 item 1): tokens shaped as each
 * provider documents them (claims and issuer forms from the providers'
 * docs, cited in src/providers/*.ts), signed here with test keys. Each
 * profile's specific finding and fix is asserted by code and detail, and
 * the diagnosis names the profile used or detected at the top level.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDiagnoser, type Diagnosis } from '../../src/diagnose.ts';
import { importJwk } from '../../src/keys/import.ts';
import type { Expectations } from '../../src/expectations.ts';
import { detectProvider, PROFILES } from '../../src/providers/index.ts';
import { makeKey, signJws } from '../helpers/mint.ts';
import { NOW } from '../helpers/index.ts';

const key = makeKey('RS256', { kid: 'idp-1' });
const other = makeKey('RS256', { kid: 'idp-1', fresh: true });
const keys = [importJwk(key.publicJwk, { kind: 'jwk' })];
const times = { iat: NOW - 60, exp: NOW + 3600 };

function diagnose(exp: Expectations, claims: Record<string, unknown>, header: Record<string, unknown> = {}, signer = key): Diagnosis {
  return buildDiagnoser(exp, { keys }).diagnose(signJws(signer, { ...times, ...claims }, { header }), { now: NOW });
}
const finding = (d: Diagnosis, code: string) => d.findings.find((f) => f.code === code);

const COGNITO_ISS = 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_aaaaaaaaa';
// AWS's documented access-token payload: token_use, client_id, scope, no aud.
const cognitoAccess = {
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admin'],
  token_use: 'access',
  scope: 'aws.cognito.signin.user.admin',
  iss: COGNITO_ISS,
  client_id: '1example23456789',
  username: 'my-test-user',
};
const cognitoId = { sub: 'aaaaaaaa-bbbb', aud: '1example23456789', token_use: 'id', iss: COGNITO_ISS, 'cognito:username': 'my-test-user' };

test('detectProvider knows each documented issuer form, and nothing else', () => {
  const cases: Array<[string, string | undefined]> = [
    [COGNITO_ISS, 'cognito'],
    ['https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/', 'entra'],
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', 'entra'],
    ['https://dev-123456.okta.com', 'okta'],
    ['https://dev-123456.okta.com/oauth2/default', 'okta'],
    ['https://kc.example.com/realms/shop', 'keycloak'],
    ['https://kc.example.com/auth/realms/shop', 'keycloak'],
    ['https://tenant.us.auth0.com/', 'auth0'],
    ['accounts.google.com', 'google'],
    ['https://accounts.google.com', 'google'],
    ['https://securetoken.google.com/my-project', 'firebase'],
    ['https://auth.example.com', undefined],
    ['https://evil.example.com/cognito-idp.us-west-2.amazonaws.com/x_y', undefined],
    ['https://okta.com.evil.example', undefined],
  ];
  for (const [iss, want] of cases) assert.equal(detectProvider(iss), want, iss);
  assert.deepEqual(Object.keys(PROFILES).sort(), ['auth0', 'cognito', 'entra', 'firebase', 'generic', 'google', 'keycloak', 'okta']);
});

test('cognito (contract): an access token is checked by client_id against the audience, and token_use', () => {
  const exp: Expectations = { issuer: [COGNITO_ISS], audience: ['1example23456789'], provider: 'cognito' };
  const ok = diagnose(exp, cognitoAccess);
  assert.equal(ok.result, 'valid');
  assert.deepEqual(ok.provider, { name: 'cognito', source: 'contract' });

  const wrongClient = diagnose(exp, { ...cognitoAccess, client_id: 'another-client' });
  const f = finding(wrongClient, 'audience_mismatch');
  assert.equal(f?.claim, 'client_id');
  assert.equal(f?.actual, 'another-client');
  assert.equal(f?.detail?.provider, 'cognito');

  const idToken = diagnose(exp, cognitoId);
  const t = finding(idToken, 'claim_mismatch');
  assert.equal(t?.claim, 'token_use');
  assert.equal(t?.expected, 'access');
  assert.equal(t?.actual, 'id');
  assert.equal(t?.detail?.provider, 'cognito');

  // An API that takes ID tokens says so.
  assert.equal(diagnose({ ...exp, provider: { name: 'cognito', tokenUse: 'id' } }, cognitoId).result, 'valid');
});

test("cognito (detected): the verdict stays RFC 7519's, the advice is Cognito's", () => {
  const d = diagnose({ issuer: [COGNITO_ISS], audience: ['1example23456789'] }, cognitoAccess);
  assert.notEqual(d.result, 'valid');
  assert.deepEqual(d.provider, { name: 'cognito', source: 'detected' });
  const f = d.findings.find((x) => x.claim === 'aud');
  assert.equal(f?.detail?.provider, 'cognito');
  assert.equal(f?.detail?.clientId, '1example23456789');
  assert.equal(f?.owner, 'verifier', 'the fix is the verifier naming the provider');
});

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const V1 = `https://sts.windows.net/${TID}/`;
const V2 = `https://login.microsoftonline.com/${TID}/v2.0`;
const entraV1 = { iss: V1, aud: 'api://orders', ver: '1.0', tid: TID, appid: 'c0ffee00-0000-0000-0000-000000000001', sub: 'u' };

test('entra: a v1.0 token at a v2.0 verifier names accessTokenAcceptedVersion; another tenant names tid', () => {
  const exp: Expectations = { issuer: [V2], audience: ['api://orders'], provider: 'entra' };
  const v = finding(diagnose(exp, entraV1), 'issuer_mismatch');
  assert.equal(v?.detail?.provider, 'entra');
  assert.equal(v?.detail?.tokenVersion, '1.0');
  assert.equal(v?.detail?.expectedVersion, '2.0');
  assert.match(v?.hint ?? '', /accessTokenAcceptedVersion/);

  const otherTid = '0b4d2c1a-0000-4000-8000-000000000000';
  const t = finding(
    diagnose(exp, { ...entraV1, iss: `https://login.microsoftonline.com/${otherTid}/v2.0`, tid: otherTid }),
    'issuer_mismatch',
  );
  assert.equal(t?.detail?.tokenTenant, otherTid);
  assert.equal(t?.detail?.expectedTenant, TID);
});

test('entra: the App ID URI vs client id audience forms; a Graph token cannot be verified by the API', () => {
  const exp: Expectations = { issuer: [V1], audience: ['orders'], provider: 'entra' };
  assert.equal(finding(diagnose(exp, entraV1), 'audience_mismatch')?.detail?.nearMiss, 'app_id_uri');
  // Graph access tokens carry a nonce header; their signature covers a hash of it.
  const graph = diagnose(exp, { ...entraV1, aud: '00000003-0000-0000-c000-000000000000' }, { nonce: 'AQABAAAAAA' }, other);
  const s = finding(graph, 'signature_invalid');
  assert.equal(s?.detail?.provider, 'entra');
  assert.equal(s?.detail?.graphToken, true);
});

test('okta: the org authorization server vs a custom one', () => {
  const exp: Expectations = { issuer: ['https://dev-123456.okta.com/oauth2/default'], audience: ['api://default'] };
  const d = diagnose(exp, { iss: 'https://dev-123456.okta.com', aud: 'api://default', cid: '0oa1', sub: 'u' });
  assert.deepEqual(d.provider, { name: 'okta', source: 'detected' });
  const f = finding(d, 'issuer_mismatch');
  assert.equal(f?.detail?.provider, 'okta');
  assert.equal(f?.detail?.tokenServer, 'org');
  assert.equal(f?.detail?.expectedServer, 'default');
  assert.equal(f?.owner, 'client', 'the client asked the wrong authorization server');
});

test('keycloak: aud "account" names the audience mapper; another frontend URL and another realm are told apart', () => {
  const iss = 'https://kc.example.com/realms/shop';
  const exp: Expectations = { issuer: [iss], audience: ['orders-api'], provider: 'keycloak' };
  const a = finding(diagnose(exp, { iss, aud: 'account', azp: 'web-app', typ: 'Bearer', sub: 'u' }), 'audience_mismatch');
  assert.equal(a?.detail?.provider, 'keycloak');
  assert.equal(a?.detail?.azp, 'web-app');
  const host = finding(diagnose(exp, { iss: 'http://localhost:8080/realms/shop', aud: 'orders-api', sub: 'u' }), 'issuer_mismatch');
  assert.deepEqual(host?.detail?.frontendUrl, { token: 'http://localhost:8080', expected: 'https://kc.example.com' });
  assert.equal(host?.detail?.provider, 'keycloak');
  const realm = finding(diagnose(exp, { iss: 'https://kc.example.com/realms/admin', aud: 'orders-api', sub: 'u' }), 'issuer_mismatch');
  assert.equal(realm?.detail?.tokenRealm, 'admin');
});

test('auth0: the trailing slash, and an ID token sent as an access token', () => {
  const exp: Expectations = { issuer: ['https://tenant.us.auth0.com'], audience: ['https://api.example.com'], provider: 'auth0' };
  const aud = ['https://api.example.com', 'https://tenant.us.auth0.com/userinfo'];
  const slash = finding(diagnose(exp, { iss: 'https://tenant.us.auth0.com/', aud, sub: 'auth0|1' }), 'issuer_mismatch');
  assert.equal(slash?.detail?.provider, 'auth0');
  assert.equal(slash?.detail?.nearMiss, 'trailing_slash');
  const exp2 = { ...exp, issuer: ['https://tenant.us.auth0.com/'] };
  assert.equal(diagnose(exp2, { iss: 'https://tenant.us.auth0.com/', aud, sub: 'auth0|1' }).result, 'valid');
  const id = finding(
    diagnose(exp2, { iss: 'https://tenant.us.auth0.com/', aud: 'client123', nonce: 'n', sub: 'auth0|1' }),
    'audience_mismatch',
  );
  assert.equal(id?.detail?.idToken, true);
});

test('google: both documented issuer forms pass when the contract names google; detected, the mismatch says why', () => {
  const claims = { iss: 'accounts.google.com', aud: '1234987819200.apps.googleusercontent.com', azp: 'x', sub: '110169484474386276334' };
  const exp: Expectations = { issuer: ['https://accounts.google.com'], audience: ['1234987819200.apps.googleusercontent.com'] };
  assert.equal(diagnose({ ...exp, provider: 'google' }, claims).result, 'valid');
  const d = diagnose(exp, claims);
  assert.deepEqual(d.provider, { name: 'google', source: 'detected' });
  assert.equal(finding(d, 'issuer_mismatch')?.detail?.provider, 'google');
});

test('firebase: a token of another project', () => {
  const exp: Expectations = { issuer: ['https://securetoken.google.com/shop-prod'], audience: ['shop-prod'] };
  const d = diagnose(exp, { iss: 'https://securetoken.google.com/shop-dev', aud: 'shop-dev', user_id: 'u', sub: 'u', firebase: {} });
  for (const code of ['issuer_mismatch', 'audience_mismatch']) {
    const f = finding(d, code);
    assert.equal(f?.detail?.provider, 'firebase', code);
    assert.equal(f?.detail?.tokenProject, 'shop-dev');
  }
});

test('generic and unknown issuers: nothing rewritten; a valid token of an unknown provider carries no provider', () => {
  const exp: Expectations = { issuer: ['https://auth.example.com'], audience: ['api'] };
  const plain = diagnose(exp, { iss: 'https://auth.example.com', aud: 'api', sub: 'u' });
  assert.equal(plain.result, 'valid');
  assert.equal(plain.provider, undefined);
  const generic = diagnose({ ...exp, provider: 'generic' }, { iss: 'https://auth.example.com/', aud: 'api', sub: 'u' });
  assert.deepEqual(generic.provider, { name: 'generic', source: 'contract' });
  assert.equal(finding(generic, 'issuer_mismatch')?.detail?.provider, undefined);
});
