/**
 * runCheck against real parts: panva's oidc-provider on 127.0.0.1 (token
 * endpoint, discovery, JWKS; a refresh token through the
 * authorization-code flow driven over HTTP), an API running jwt-doctor's
 * middleware, a token endpoint that is down and one that never answers,
 * an API that is down, a route whose Authorization a gateway strips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import { runCheck, type CheckReport, type CheckLine } from '../../src/check/run_check.ts';
import { formatCheckText } from '../../src/check/format_check.ts';
import { UsageError } from '../../src/errors.ts';
import { hang, startServer, type TestServer } from '../helpers/http_server.ts';
import {
  authorizationCodeFlow,
  CI_CLIENT,
  ORDERS_AUDIENCE,
  ORDERS_RESOURCE,
  startOidcProvider,
  WEB_CLIENT,
  type TestProvider,
} from '../helpers/oidc_provider.ts';
import { closedPort } from '../probe/fixtures.ts';
import { startApi, startGateway, type TestApi } from './helpers.ts';

let op: TestProvider;
let api: TestApi;
let gateway: TestApi;
let slow: TestServer;
let contract: Contract;
const vars: Record<string, string | undefined> = { CI_SECRET: CI_CLIENT.secret, WEB_SECRET: WEB_CLIENT.secret, WRONG: 'not-the-secret' };

const line = (r: CheckReport, name: CheckLine['name'], client: string | null = null) =>
  r.clients.find((c) => c.client === client)!.lines.find((l) => l.name === name)!;

test.before(async () => {
  op = await startOidcProvider();
  slow = await startServer({ '/token': hang });
  const downUrl = `http://127.0.0.1:${await closedPort()}`;
  vars.WEB_REFRESH = (await authorizationCodeFlow(op.issuer, 'user-1')).refresh_token as string;
  const cc = { clientId: CI_CLIENT.id, clientSecret: { env: 'CI_SECRET' }, resource: ORDERS_RESOURCE, scope: 'orders:read' };
  const base = {
    issuer: op.issuer,
    audience: ORDERS_AUDIENCE,
    algorithms: ['RS256'],
    typ: 'at+jwt',
    keys: [{ discovery: true }],
    clockToleranceSeconds: 30,
  };
  const web = { clientId: WEB_CLIENT.id, clientSecret: { env: 'WEB_SECRET' }, token: { env: 'WEB_REFRESH' }, resource: ORDERS_RESOURCE };
  const spec = {
    environments: {
      ci: { ...base, obtain: { clientCredentials: cc } },
      staging: {
        ...base,
        obtain: { clientCredentials: cc },
        api: { baseUrl: 'http://127.0.0.1:1', routes: [{ path: '/v1/orders' }] },
        clients: {
          service: { refreshLeadSeconds: 60 },
          web: { obtain: { refreshToken: web }, refreshLeadSeconds: 120 },
          partner: { audience: 'partner-api' },
        },
      },
      stripped: {
        ...base,
        obtain: { clientCredentials: cc },
        api: { baseUrl: 'http://127.0.0.1:1', routes: [{ path: '/v1/orders' }, { path: '/strip/v1/orders' }] },
      },
      apiDown: { ...base, obtain: { clientCredentials: cc }, api: { baseUrl: downUrl, routes: [{ path: '/v1/orders' }] } },
      broken: {
        ...base,
        obtain: { clientCredentials: cc },
        clients: {
          down: { obtain: { clientCredentials: { ...cc, tokenEndpoint: `${downUrl}/token` } } },
          slow: { obtain: { clientCredentials: { ...cc, tokenEndpoint: `${slow.url}/token` }, timeoutMs: 300 } },
          wrong: { obtain: { clientCredentials: { ...cc, clientSecret: { env: 'WRONG' } } } },
          opaque: { obtain: { clientCredentials: { ...cc, resource: undefined } } },
        },
      },
      bare: { ...base },
    },
  };
  // The API verifies as staging does; its URL goes into the contract the check reads.
  api = await startApi(loadContract(spec, { vars }), 'staging');
  gateway = await startGateway(api.url);
  spec.environments.staging.api.baseUrl = api.url;
  spec.environments.stripped.api.baseUrl = gateway.url;
  contract = loadContract(spec, { vars });
});

test.after(async () => {
  await Promise.all([op.close(), api.close(), gateway.close(), slow.close()]);
});

test('a healthy environment: stable, and the text is the guide six lines with the measured offset', async () => {
  const r = await runCheck(contract, 'ci', { vars, clockSamples: 2 });
  assert.equal(r.status, 'stable', JSON.stringify(r.findings));
  const skew = line(r, 'clock_skew_seconds');
  assert.equal(skew.status, 'pass');
  assert.ok(Number.isInteger(skew.value));
  assert.equal(skew.tolerance, 30);
  assert.deepEqual(line(r, 'refresh_flow').evidence.grant, 'new_request');
  assert.equal(line(r, 'refresh_flow').evidence.acceptedBy, 'verifier');
  assert.equal(
    formatCheckText(r),
    `signature = pass\nissuer = pass\naudience = pass\nclock_skew_seconds = ${skew.value}\nrefresh_flow = pass\nstatus = stable\n`,
  );
  assert.doesNotMatch(JSON.stringify(r), /eyJ[\w-]+\.eyJ/, 'no token in the report');
});

test('per client: client_credentials and a refresh_token grant through the API; a client with another audience fails alone', async () => {
  const r = await runCheck(contract, 'staging', { vars, clockSamples: 1 });
  assert.deepEqual(
    r.clients.map((c) => [c.client, c.status]),
    [
      ['service', 'stable'],
      ['web', 'stable'],
      ['partner', 'unstable'],
    ],
  );
  const refresh = line(r, 'refresh_flow', 'web');
  assert.equal(refresh.evidence.grant, 'refresh_token');
  assert.equal(refresh.evidence.acceptedBy, 'api');
  assert.equal(refresh.evidence.refreshLeadSeconds, 120);
  assert.equal(line(r, 'header_propagation', 'service').status, 'pass');
  assert.equal(line(r, 'audience', 'partner').code, 'audience_mismatch');
  assert.deepEqual(line(r, 'audience', 'partner').evidence.expected, ['partner-api']);
  assert.equal(r.status, 'unstable');
  assert.ok(r.findings.some((f) => f.code === 'audience_mismatch' && f.detail?.client === 'partner'));
  assert.doesNotMatch(JSON.stringify(r), new RegExp(vars.WEB_REFRESH!), 'never the refresh token');
});

test('--client runs one client', async () => {
  const r = await runCheck(contract, 'staging', { vars, client: 'web', clockSamples: 1 });
  assert.deepEqual(
    r.clients.map((c) => c.client),
    ['web'],
  );
  await assert.rejects(runCheck(contract, 'staging', { vars, client: 'nope' }), UsageError);
  await assert.rejects(runCheck(contract, 'nowhere', { vars }), UsageError);
});

test('a gateway that strips Authorization on one route: header_propagation fails with header_missing', async () => {
  const r = await runCheck(contract, 'stripped', { vars, clockSamples: 1 });
  const h = line(r, 'header_propagation');
  assert.equal(h.status, 'fail');
  assert.ok(['header_missing', 'route_drift'].includes(h.code!), h.code);
  assert.ok(r.findings.some((f) => f.code === 'header_missing'));
  const routes = h.evidence.routes as { route: string; outcome: string; header: { status: string } }[];
  assert.deepEqual(
    routes.map((x) => [x.route, x.outcome, x.header.status]),
    [
      ['GET /v1/orders', 'accepted', 'intact'],
      ['GET /strip/v1/orders', 'header_missing', 'missing'],
    ],
  );
  assert.equal(line(r, 'refresh_flow').status, 'pass');
});

test('the API down: propagation, the API clock and the refreshed token acceptance fail with transport_error; the report is complete', async () => {
  const r = await runCheck(contract, 'apiDown', { vars, clockSamples: 1, timeoutMs: 2000 });
  assert.equal(r.status, 'unstable');
  assert.equal(line(r, 'signature').status, 'pass');
  for (const name of ['header_propagation', 'refresh_flow', 'clock_skew_seconds'] as const) {
    assert.equal(line(r, name).status, 'fail', name);
    assert.equal(line(r, name).code, 'transport_error', name);
  }
});

test('bad token sources: each client a failing token line with its code, the other token lines skipped', async () => {
  const r = await runCheck(contract, 'broken', { vars, clockSamples: 1, timeoutMs: 2000 });
  const codes = Object.fromEntries(r.clients.map((c) => [c.client, line(r, 'token', c.client).code]));
  assert.deepEqual(codes, {
    down: 'token_endpoint_unreachable',
    slow: 'token_endpoint_unreachable',
    wrong: 'token_request_rejected',
    opaque: 'token_opaque',
  });
  for (const c of r.clients) {
    assert.equal(c.status, 'unstable');
    for (const name of ['signature', 'issuer', 'audience', 'refresh_flow'] as const) assert.equal(line(r, name, c.client).status, 'skip');
    assert.equal(line(r, 'clock_skew_seconds', c.client).status, 'pass');
  }
  assert.equal(r.findings.find((f) => f.detail?.client === 'slow')?.detail?.error, 'timeout');
});

test('no token source: token_source_missing, and the report is still produced', async () => {
  const r = await runCheck(contract, 'bare', { vars, clockSamples: 1 });
  assert.equal(line(r, 'token').code, 'token_source_missing');
  assert.equal(r.status, 'unstable');
});
