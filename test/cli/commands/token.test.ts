/**
 * `jwt-doctor token` as a subprocess against panva's oidc-provider on
 * 127.0.0.1: the token pipes into diagnose (valid); a rejected client and
 * a down endpoint exit 1 with the reason code on stderr (no secret);
 * a contract without a token source exits 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasStackTrace, runCli } from '../../helpers/cli.ts';
import { startServer } from '../../helpers/http_server.ts';
import { CI_CLIENT, ORDERS_AUDIENCE, ORDERS_RESOURCE, startOidcProvider, type TestProvider } from '../../helpers/oidc_provider.ts';

let op: TestProvider;
let contract: string;
const env = { CI_SECRET: CI_CLIENT.secret, BAD_SECRET: 'definitely-not-the-secret' };

test.before(async () => {
  op = await startOidcProvider();
  const closed = await startServer();
  await closed.close();
  const cc = { clientId: CI_CLIENT.id, clientSecret: { env: 'CI_SECRET' }, resource: ORDERS_RESOURCE };
  contract = join(mkdtempSync(join(tmpdir(), 'jwt-doctor-token-cli-')), 'auth-contract.json');
  writeFileSync(
    contract,
    JSON.stringify({
      environments: {
        staging: {
          issuer: op.issuer,
          audience: ORDERS_AUDIENCE,
          algorithms: ['RS256'],
          keys: [{ discovery: true }],
          obtain: { clientCredentials: cc },
          clients: {
            bad: { obtain: { clientCredentials: { ...cc, clientSecret: { env: 'BAD_SECRET' } } } },
            down: { obtain: { clientCredentials: { ...cc, tokenEndpoint: `${closed.url}/token` } } },
          },
        },
        bare: { issuer: 'https://auth.example.com' },
      },
    }),
  );
});

test.after(() => op.close());

test('token | diagnose: the client_credentials token is valid for the environment', async () => {
  const t = await runCli(['token', '--contract', contract, '--env', 'staging'], { env });
  assert.equal(t.code, 0, t.stderr);
  const d = await runCli(['diagnose', '-', '--contract', contract, '--env', 'staging', '--format', 'json'], { input: t.stdout, env });
  assert.equal(JSON.parse(d.stdout).result, 'valid', d.stdout);
  const j = await runCli(['token', '--contract', contract, '--env', 'staging', '--format', 'json'], { env });
  const report = JSON.parse(j.stdout);
  assert.deepEqual(
    [report.schema, report.ok, report.source, report.endpoint, report.refreshTokenIssued],
    ['jwt-doctor/token/v1', true, 'client_credentials', `${op.issuer}/token`, false],
  );
});

test('a rejected client and a down endpoint: exit 1, the reason code on stderr, nothing on stdout, no secret', async () => {
  const bad = await runCli(['token', '--contract', contract, '--env', 'staging', '--client', 'bad'], { env });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^jwt-doctor: token_request_rejected: .*invalid_client/);
  assert.equal((bad.stdout + bad.stderr).includes(env.BAD_SECRET), false);
  const down = await runCli(['token', '--contract', contract, '--env', 'staging', '--client', 'down', '--format', 'json'], { env });
  assert.equal(down.code, 1);
  assert.equal(JSON.parse(down.stdout).finding.code, 'token_endpoint_unreachable');
  assert.equal(hasStackTrace(down.stderr), false);
});

test('no token source: a contract error (exit 2) naming environments.bare.obtain', async () => {
  const r = await runCli(['token', '--contract', contract, '--env', 'bare', '--format', 'json'], { env });
  assert.equal(r.code, 2);
  assert.equal(JSON.parse(r.stderr).detail.path, 'environments.bare.obtain');
});
