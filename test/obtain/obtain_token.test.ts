/**
 * obtainToken against real parts: panva's oidc-provider on 127.0.0.1
 * (discovery, token endpoint, JWKS), a refresh token obtained through the
 * authorization-code flow driven over HTTP, a token endpoint that is down
 * (a closed port) and one that never answers (a real server; the timeout
 * bounds the wait). The tokens obtained are then diagnosed against the
 * same contract: the client_credentials and refreshed tokens are valid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import { createDiagnoser } from '../../src/diagnose/create_diagnoser.ts';
import { obtainToken } from '../../src/obtain/obtain_token.ts';
import { ContractError } from '../../src/errors.ts';
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

let op: TestProvider;
let slow: TestServer;
let downUrl: string;
let contract: Contract;
const vars: Record<string, string | undefined> = {
  CI_SECRET: CI_CLIENT.secret,
  WRONG_SECRET: 'not-the-secret',
  WEB_SECRET: WEB_CLIENT.secret,
};

test.before(async () => {
  op = await startOidcProvider();
  slow = await startServer({ '/token': hang });
  const closed = await startServer();
  downUrl = `${closed.url}/token`;
  await closed.close();
  const cc = { clientId: CI_CLIENT.id, clientSecret: { env: 'CI_SECRET' }, resource: ORDERS_RESOURCE, scope: 'orders:read' };
  contract = loadContract(
    {
      environments: {
        staging: {
          issuer: op.issuer,
          audience: ORDERS_AUDIENCE,
          algorithms: ['RS256'],
          typ: 'at+jwt',
          keys: [{ discovery: true }],
          obtain: { clientCredentials: cc },
          clients: {
            web: {
              obtain: {
                refreshToken: {
                  clientId: WEB_CLIENT.id,
                  clientSecret: { env: 'WEB_SECRET' },
                  token: { env: 'WEB_REFRESH' },
                  resource: ORDERS_RESOURCE,
                },
              },
            },
            opaque: { obtain: { clientCredentials: { ...cc, resource: undefined } } },
            post: { obtain: { clientCredentials: { ...cc, authMethod: 'client_secret_post' } } },
            wrong: { obtain: { clientCredentials: { ...cc, clientSecret: { env: 'WRONG_SECRET' } } } },
            // The web client may use authorization_code and refresh_token only.
            notAllowed: { obtain: { clientCredentials: { ...cc, clientId: WEB_CLIENT.id, clientSecret: { env: 'WEB_SECRET' } } } },
            down: { obtain: { clientCredentials: { ...cc, tokenEndpoint: downUrl } } },
            slow: { obtain: { clientCredentials: { ...cc, tokenEndpoint: `${slow.url}/token` }, timeoutMs: 300 } },
            unset: { obtain: { clientCredentials: { ...cc, clientSecret: { env: 'NOT_SET_ANYWHERE' } } } },
          },
        },
        bare: { issuer: 'https://auth.example.com' },
      },
    },
    { vars: {} },
  );
});

test.after(async () => {
  await op.close();
  await slow.close();
});

const now = () => Math.floor(Date.now() / 1000);

test('client_credentials with a resource indicator: a JWT access token the environment accepts', async () => {
  const at = now();
  const r = await obtainToken(contract, 'staging', { now: at, vars });
  assert.equal(r.ok, true, JSON.stringify(r));
  if (!r.ok) return;
  assert.equal(r.source, 'client_credentials');
  assert.equal(r.obtainedAt, at);
  assert.equal(r.endpoint, `${op.issuer}/token`);
  assert.equal(typeof r.expiresIn, 'number');
  const d = await createDiagnoser(contract.environments.staging!, { contract });
  // Checked at an instant after the provider issued it (its iat is its own clock's second).
  const diagnosis = d.diagnose(r.token, { now: Math.ceil(Date.now() / 1000) });
  assert.equal(diagnosis.result, 'valid', JSON.stringify(diagnosis.findings));
  assert.equal(diagnosis.signature.kid, op.signerKid);
});

test('client_secret_post sends the secret in the body: same token', async () => {
  const r = await obtainToken(contract, 'staging', { now: now(), vars, client: 'post' });
  assert.equal(r.ok, true, JSON.stringify(r));
});

test('refresh_token: a refresh token from the authorization-code flow driven over HTTP, refreshed into a valid JWT', async () => {
  const flow = await authorizationCodeFlow(op.issuer, 'user-1');
  assert.equal(typeof flow.refresh_token, 'string');
  const at = now();
  const r = await obtainToken(contract, 'staging', { now: at, client: 'web', vars: { ...vars, WEB_REFRESH: String(flow.refresh_token) } });
  assert.equal(r.ok, true, JSON.stringify(r));
  if (!r.ok) return;
  assert.equal(r.source, 'refresh_token');
  assert.equal(r.token === flow.access_token, false);
  const d = await createDiagnoser(contract.environments.staging!, { contract });
  const diagnosis = d.diagnose(r.token, { now: Math.ceil(Date.now() / 1000) });
  assert.equal(diagnosis.result, 'valid', JSON.stringify(diagnosis.findings));
  assert.equal(diagnosis.claims?.sub, 'user-1');
  // A refresh token that is not (any longer) valid: invalid_grant.
  const bad = await obtainToken(contract, 'staging', { now: at, client: 'web', vars: { ...vars, WEB_REFRESH: 'not-a-refresh-token' } });
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.equal(bad.finding.code, 'token_request_rejected');
  assert.equal(bad.finding.detail?.oauthError, 'invalid_grant');
  assert.equal(JSON.stringify(bad).includes('not-a-refresh-token'), false);
});

test('without a resource the provider issues an opaque access token: token_opaque, pointing at introspection', async () => {
  const r = await obtainToken(contract, 'staging', { now: now(), vars, client: 'opaque' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.finding.code, 'token_opaque');
  assert.equal(r.finding.detail?.introspectionEndpoint, `${op.issuer}/token/introspection`);
});

test('a wrong client secret: token_request_rejected with invalid_client, the secret never in the finding', async () => {
  const r = await obtainToken(contract, 'staging', { now: now(), vars, client: 'wrong' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.finding.code, 'token_request_rejected');
  assert.equal(r.finding.detail?.oauthError, 'invalid_client');
  assert.equal(r.finding.detail?.status, 401);
  assert.equal(JSON.stringify(r).includes('not-the-secret'), false);
});

test('a client not allowed the grant: token_request_rejected with the OAuth error and its description', async () => {
  const r = await obtainToken(contract, 'staging', { now: now(), vars, client: 'notAllowed' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  // RFC 6749 section 5.2 names this unauthorized_client; oidc-provider 9 answers invalid_request, and says why.
  assert.deepEqual(
    [r.finding.code, r.finding.detail?.oauthError, r.finding.detail?.status],
    ['token_request_rejected', 'invalid_request', 400],
  );
  assert.equal(typeof r.finding.detail?.errorDescription, 'string');
});

test('a token endpoint that is down, and one that never answers: token_endpoint_unreachable (network, timeout)', async () => {
  const down = await obtainToken(contract, 'staging', { now: now(), vars, client: 'down' });
  assert.equal(down.ok, false);
  if (down.ok) return;
  assert.equal(down.finding.code, 'token_endpoint_unreachable');
  assert.equal(down.finding.detail?.error, 'network');
  assert.equal(down.endpoint, downUrl);
  const hung = await obtainToken(contract, 'staging', { now: now(), vars, client: 'slow' });
  assert.equal(hung.ok, false);
  if (hung.ok) return;
  assert.equal(hung.finding.code, 'token_endpoint_unreachable');
  assert.equal(hung.finding.detail?.error, 'timeout');
});

test('no token source, or a secret variable that is not set: a contract error naming the field', async () => {
  await assert.rejects(
    obtainToken(contract, 'bare', { now: now(), vars }),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.bare.obtain',
  );
  await assert.rejects(
    obtainToken(contract, 'staging', { now: now(), vars, client: 'unset' }),
    (e: unknown) => e instanceof ContractError && e.path === 'environments.staging.clients.unset.obtain.clientCredentials.clientSecret',
  );
});

test('the schema refuses a literal secret in the contract', () => {
  assert.throws(
    () =>
      loadContract({
        environments: { s: { issuer: 'https://a', obtain: { clientCredentials: { clientId: 'x', clientSecret: 'literal-secret' } } } },
      }),
    (e: unknown) => e instanceof ContractError && !e.message.includes('literal-secret'),
  );
  assert.throws(() => loadContract({ environments: { s: { obtain: { static: 'eyJ.literal.token' } } } }), ContractError);
  assert.throws(() => loadContract({ environments: { s: { signer: { secret: 'literal' } } } }), ContractError);
});
