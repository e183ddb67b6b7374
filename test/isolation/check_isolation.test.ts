/**
 * checkIsolation against real parts: staging and production JWKS on
 * 127.0.0.1, production's API running jwt-doctor's middleware on
 * 127.0.0.1. A correctly isolated production rejects every variant (pass);
 * each way of breaking it is named by environment, variant, key and route.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import type { Expectations } from '../../src/expectations.ts';
import { checkIsolation, type IsolationAttempt, type IsolationResult } from '../../src/isolation/check_isolation.ts';
import { mintToken } from '../../src/mint/mint_token.ts';
import { UsageError } from '../../src/errors.ts';
import { startSecureApi, type Running } from '../drill/helpers.ts';
import { closeServer, listen } from '../helpers/index.ts';
import { createServer } from 'node:http';
import { NOW, PROD, STAGING, prodEnv, stagingEnv, startFixture, type Fixture } from './fixtures.ts';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(() => f.close());

function contractOf(prod: Record<string, unknown>, extra: Record<string, unknown> = {}): Contract {
  return loadContract({ version: 1, environments: { staging: stagingEnv(f), prod, ...extra } }, { baseDir: f.dir });
}

/** Production's API with the middleware configured from `env` (its clock pinned to NOW); the check's contract points at it. */
async function withApi<T>(env: Expectations, run: (api: Running) => Promise<T>): Promise<T> {
  const api = await startSecureApi(env, { now: () => NOW });
  try {
    return await run(api);
  } finally {
    await api.close();
  }
}

const row = (a: IsolationAttempt) => `${a.from}/${a.variant}:${a.verifier}/${a.api}`;
const broken = (r: IsolationResult) => r.findings.filter((x) => x.code === 'environment_isolation_broken').map((x) => x.detail);

test('isolated production: every variant rejected by the verifier and by both API routes; status pass', async () => {
  const prod = contractOf(prodEnv(f)).environments.prod!;
  await withApi(prod, async (api) => {
    const contract = contractOf(prodEnv(f, api.url));
    // Positive control: production's own token gets in, so the rejections below are the isolation, not a dead API.
    const own = mintToken(contract, 'prod', { now: NOW, allowProduction: true });
    assert.equal((await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${own.token}` } })).status, 200);

    const r = await checkIsolation(contract, 'prod', { now: NOW, timeoutMs: 3000 });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.attempts.map(row), [
      'staging/as-minted:rejected/rejected',
      'staging/key:rejected/rejected',
      'staging/issuer:rejected/rejected',
      'staging/audience:rejected/rejected',
    ]);
    assert.deepEqual(
      r.attempts.map((a) => [a.variant, a.code, a.kid, a.value]),
      [
        ['as-minted', 'key_not_found', STAGING.kid, undefined],
        ['key', 'key_not_found', STAGING.kid, undefined],
        ['issuer', 'issuer_mismatch', PROD.kid, STAGING.issuer],
        ['audience', 'audience_mismatch', PROD.kid, STAGING.audience],
      ],
    );
    assert.equal(r.attempts[0]!.thumbprint, f.staging.thumbprint);
    for (const a of r.attempts) {
      assert.deepEqual(
        a.routes?.map((x) => [x.route, x.verdict, x.status]),
        [
          ['GET /v1/me', 'rejected', 401],
          ['POST /v1/orders', 'rejected', 401],
        ],
      );
    }
    // The API names why (RFC 6750 error_description mapped back to our code).
    assert.equal(r.attempts[3]!.routes?.[0]?.reason, 'audience_mismatch');
    assert.equal(JSON.stringify(r).includes('eyJ'), false, 'no token in the result');
  });
});

test('production trusts staging JWKS: the shared key is named (kid, thumbprint) and staging-signed production claims get in', async () => {
  const trusting = { ...prodEnv(f), keys: [{ jwksUri: `${f.prod.jwks.url}/jwks.json` }, { jwksUri: `${f.staging.jwks.url}/jwks.json` }] };
  await withApi(contractOf(trusting).environments.prod!, async (api) => {
    const r = await checkIsolation(contractOf({ ...trusting, api: { baseUrl: api.url, routes: ['/v1/me'] } }), 'prod', { now: NOW });
    assert.equal(r.status, 'fail');
    assert.deepEqual(broken(r), [
      { from: 'staging', variant: 'static', overlap: 'key', critical: true, kid: STAGING.kid, thumbprint: f.staging.thumbprint },
      {
        from: 'staging',
        variant: 'key',
        verifier: 'accepted',
        api: 'accepted',
        kid: STAGING.kid,
        thumbprint: f.staging.thumbprint,
        alg: 'RS256',
        routes: ['GET /v1/me'],
        critical: true,
      },
    ]);
    // Staging's own token is still kept out by issuer and audience: the key alone broke isolation.
    assert.deepEqual(
      r.attempts.filter((a) => a.from === 'staging' && a.variant === 'as-minted').map((a) => [a.verifier, a.api, a.code]),
      [['rejected', 'rejected', 'issuer_mismatch']],
    );
    assert.equal(r.findings[0]!.owner, 'verifier');
  });
});

test("production accepts staging's issuer: named as a static overlap, and production-signed tokens with it get in", async () => {
  const lax = { ...prodEnv(f), issuer: [PROD.issuer, STAGING.issuer] };
  await withApi(contractOf(lax).environments.prod!, async (api) => {
    const r = await checkIsolation(contractOf({ ...lax, api: { baseUrl: api.url, routes: ['/v1/me'] } }), 'prod', { now: NOW });
    assert.equal(r.status, 'fail');
    assert.deepEqual(
      broken(r).map((d) => [d?.variant, d?.overlap, d?.value, d?.verifier, d?.api]),
      [
        ['static', 'issuer', STAGING.issuer, undefined, undefined],
        ['issuer', undefined, STAGING.issuer, 'accepted', 'accepted'],
      ],
    );
    assert.deepEqual(
      r.attempts.map((a) => [a.variant, a.verifier]),
      [
        ['as-minted', 'rejected'],
        ['key', 'rejected'],
        ['issuer', 'accepted'],
        ['audience', 'rejected'],
      ],
    );
  });
});

test('the contract is right but the API middleware also accepts a staging audience: accepted by the API only', async () => {
  const contractProd = contractOf(prodEnv(f)).environments.prod!;
  await withApi({ ...contractProd, audience: [PROD.audience, STAGING.audience] }, async (api) => {
    const r = await checkIsolation(contractOf(prodEnv(f, api.url)), 'prod', { now: NOW });
    assert.equal(r.status, 'fail');
    const audience = r.attempts.find((a) => a.variant === 'audience')!;
    assert.deepEqual([audience.verifier, audience.code, audience.api], ['rejected', 'audience_mismatch', 'accepted']);
    assert.deepEqual(broken(r), [
      {
        from: 'staging',
        variant: 'audience',
        verifier: 'rejected',
        api: 'accepted',
        kid: PROD.kid,
        thumbprint: f.prod.thumbprint,
        alg: 'RS256',
        value: STAGING.audience,
        routes: ['GET /v1/me', 'POST /v1/orders'],
        critical: true,
      },
    ]);
    assert.deepEqual(
      r.attempts.filter((a) => a !== audience).map((a) => a.api),
      ['rejected', 'rejected', 'rejected'],
    );
  });
});

test('an API that gives no verdict proves nothing: not_probed with the route evidence, transport_error / route_unexpected_status, fail', async () => {
  const closed = createServer();
  const dead = await listen(closed);
  await closeServer(closed);
  const down = await checkIsolation(contractOf(prodEnv(f, dead)), 'prod', { now: NOW, timeoutMs: 2000 });
  assert.equal(down.status, 'fail');
  assert.ok(down.attempts.every((a) => a.api === 'not_probed' && a.verifier === 'rejected'));
  assert.deepEqual(
    down.findings.map((x) => [x.code, x.detail?.route, x.detail?.error]),
    [
      ['transport_error', 'GET /v1/me', 'refused'],
      ['transport_error', 'POST /v1/orders', 'refused'],
    ],
  );
  const notFound = createServer((_req, res) => void res.writeHead(404).end());
  const url = await listen(notFound);
  try {
    const r = await checkIsolation(contractOf(prodEnv(f, url)), 'prod', { now: NOW, timeoutMs: 2000 });
    assert.deepEqual(
      r.findings.map((x) => [x.code, x.detail?.status]),
      [
        ['route_unexpected_status', 404],
        ['route_unexpected_status', 404],
      ],
    );
  } finally {
    await closeServer(notFound);
  }
});

test('no api section: the verifier alone is checked, and the result says so', async () => {
  const r = await checkIsolation(contractOf(prodEnv(f)), 'prod', { now: NOW });
  assert.equal(r.status, 'pass');
  assert.ok(r.attempts.length === 4 && r.attempts.every((a) => a.api === 'not_probed' && a.routes === undefined));
  assert.match(r.reason ?? '', /no api section/);
});

test('a production key source that does not load is jwks_unreachable: rejections then prove nothing', async () => {
  const r = await checkIsolation(contractOf({ ...prodEnv(f), keys: [{ jwksUri: `${f.prod.jwks.url}/missing.json` }] }), 'prod', {
    now: NOW,
    timeoutMs: 2000,
  });
  assert.equal(r.status, 'fail');
  assert.deepEqual(
    r.findings.map((x) => x.code),
    ['jwks_unreachable'],
  );
});

test('skip: not a production environment, no other environment, nothing to mint or compare; an unknown env or a ms clock is misuse', async () => {
  const contract = contractOf(prodEnv(f));
  const notProd = await checkIsolation(contract, 'staging', { now: NOW });
  assert.deepEqual([notProd.status, notProd.attempts, notProd.findings], ['skip', [], []]);
  assert.match(notProd.reason ?? '', /not marked production/);
  const alone = loadContract({ version: 1, environments: { prod: prodEnv(f) } }, { baseDir: f.dir });
  assert.equal((await checkIsolation(alone, 'prod', { now: NOW })).status, 'skip');
  const { signer: _s, ...stagingNoSigner } = stagingEnv(f);
  const { signer: _p, ...prodNoSigner } = prodEnv(f);
  const unsigned = loadContract({ version: 1, environments: { staging: stagingNoSigner, prod: prodNoSigner } }, { baseDir: f.dir });
  const nothing = await checkIsolation(unsigned, 'prod', { now: NOW });
  assert.equal(nothing.status, 'skip');
  assert.deepEqual(
    nothing.notMinted?.map((n) => [n.from, n.variant]),
    [
      ['staging', 'as-minted, key'],
      ['prod', 'issuer, audience'],
    ],
  );
  await assert.rejects(checkIsolation(contract, 'nope', { now: NOW }), UsageError);
  await assert.rejects(checkIsolation(contract, 'prod', { now: NOW * 1000 }), UsageError);
});
