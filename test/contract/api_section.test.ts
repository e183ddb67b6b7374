import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract, ContractError } from '../../src/contract/load.ts';
import { readApiConfig, readIssuerBaseUrl } from '../../src/contract/api_section.ts';
import { echoPathFor } from '../../src/probe/route_urls.ts';

const contract = (api: unknown, extra: Record<string, unknown> = {}) =>
  loadContract({ version: 1, environments: { staging: { issuer: 'https://auth.staging.test', api, ...extra } } });

test('defaults: GET, expectStatus 200, Authorization: Bearer, the well-known echo path', () => {
  const api = readApiConfig(
    contract({
      baseUrl: 'http://127.0.0.1:8080',
      routes: [{ path: '/v1/me' }, { path: '/v1/orders', method: 'post', expectStatus: 201 }, '/v1/plain'],
    }),
    'staging',
  );
  assert.equal(api.header, 'authorization');
  assert.equal(api.scheme, 'Bearer');
  assert.equal(api.echoPath, '/.well-known/jwt-doctor/echo');
  assert.deepEqual(api.routes[0], { path: '/v1/me', method: 'GET', expectStatus: 200, echo: true });
  assert.deepEqual(api.routes[1], { path: '/v1/orders', method: 'POST', expectStatus: 201, echo: true });
  assert.equal(api.routes[2]!.path, '/v1/plain');
  const bare = readApiConfig(
    contract({ baseUrl: 'https://api.test', routes: [{ path: '/x' }], header: 'X-Auth-Token', scheme: null }),
    'staging',
  );
  assert.deepEqual([bare.header, bare.scheme], ['x-auth-token', null]);
});

test('bad api fields: ContractError with the field path', () => {
  const cases: [unknown, string][] = [
    [{ routes: [{ path: '/a' }] }, 'environments.staging.api.baseUrl'],
    [{ baseUrl: 'ftp://x', routes: [{ path: '/a' }] }, 'environments.staging.api.baseUrl'],
    [{ baseUrl: 'http://x', routes: [] }, 'environments.staging.api.routes'],
    [{ baseUrl: 'http://x', routes: [{ path: 'v1/me' }] }, 'environments.staging.api.routes[0].path'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a' }, { path: '/b', method: 'FETCH' }] }, 'environments.staging.api.routes[1].method'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a', expectStatus: '200' }] }, 'environments.staging.api.routes[0].expectStatus'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a', verb: 'GET' }] }, 'environments.staging.api.routes[0].verb'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a' }], header: 'bad header' }, 'environments.staging.api.header'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a' }], scheme: 7 }, 'environments.staging.api.scheme'],
    [{ baseUrl: 'http://x', routes: [{ path: '/a' }], extra: 1 }, 'environments.staging.api.extra'],
  ];
  for (const [api, path] of cases) {
    assert.throws(
      () => readApiConfig(contract(api), 'staging'),
      (e: unknown) => e instanceof ContractError && e.path === path,
      path,
    );
  }
  assert.throws(
    () => readApiConfig(loadContract({ version: 1, environments: { staging: { issuer: 'x' } } }), 'staging'),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.staging.api',
  );
  assert.throws(() => readApiConfig(contract({ baseUrl: 'http://x', routes: [{ path: '/a' }] }), 'prod'), ContractError);
});

test('echo path: the route folder plus the echo path, so the same gateway prefix rule applies; per-route override', () => {
  assert.equal(echoPathFor({ path: '/strip/v1/me' }, '/.well-known/jwt-doctor/echo'), '/strip/v1/.well-known/jwt-doctor/echo');
  assert.equal(echoPathFor({ path: '/me?x=1' }, '/.well-known/jwt-doctor/echo'), '/.well-known/jwt-doctor/echo');
  assert.equal(echoPathFor({ path: '/v1/me', echoPath: '/echo' }, '/.well-known/jwt-doctor/echo'), '/echo');
});

test('issuer base URL: issuerBaseUrl, else the first http(s) issuer', () => {
  assert.equal(readIssuerBaseUrl(contract({ baseUrl: 'http://x', routes: ['/a'] }), 'staging'), 'https://auth.staging.test');
  assert.equal(
    readIssuerBaseUrl(contract({ baseUrl: 'http://x', routes: ['/a'] }, { issuerBaseUrl: 'http://127.0.0.1:9000' }), 'staging'),
    'http://127.0.0.1:9000',
  );
});
