/**
 * JWKS and discovery fault matrix, middleware half (issue 8, item 5): the
 * JWKS cache names each fault's code, the verifier keeps serving its last
 * good set within the stale bound and recovers when the server does, honours
 * Retry-After, and never accepts a forged token (401 with an RFC 6750
 * challenge). Fixtures: key_source_faults.fixtures.ts; the CLI half:
 * key_source_faults_cli.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { json } from '../helpers/http_server.ts';
import { closeServer, listen, parseMetrics, sampleValue } from '../middleware/helpers.ts';
import { createVerifier, withJwtAuth } from '../../src/middleware/index.ts';
import { JwksCache } from '../../src/middleware/jwks_cache.ts';
import type { Expectations } from '../../src/expectations.ts';
import {
  assertDetail,
  AUD,
  ctx,
  FAULT_HANDLERS,
  FAULTS,
  FORGED,
  GOOD_SET,
  goodJwk,
  ISS,
  LEAK_SET,
  leaked,
  LEGIT,
  MW_TIMEOUT_MS,
  NOW,
  OCT_SET,
  OFF_CURVE_SET,
  pubJwk,
  useFaultServers,
  WEAK_SET,
} from './key_source_faults.fixtures.ts';

useFaultServers();

// ---- the middleware ---------------------------------------------------------------

test('middleware JWKS cache: each fault is a failed refresh whose error names the same code', { timeout: 60_000 }, async () => {
  await Promise.all(
    FAULTS.map(async (f) => {
      const cache = new JwksCache({ jwksUri: `${ctx.s.url}${f.path}` }, { timeoutMs: MW_TIMEOUT_MS, now: () => NOW });
      assert.equal(await cache.refresh('initial'), false, f.name);
      assert.deepEqual(cache.keys, [], f.name);
      assert.equal(cache.lastError?.code, f.code, f.name);
      assertDetail(cache.lastError, f.detail!(ctx.s.url), f.name);
    }),
  );
  const liar = new JwksCache({ discovery: `${ctx.s.url}/liar` }, { timeoutMs: MW_TIMEOUT_MS, now: () => NOW });
  assert.equal(await liar.refresh('initial'), false);
  assert.equal(liar.lastError?.code, 'discovery_issuer_mismatch');
});

interface Harness {
  clock: { t: number };
  call(token: string): Promise<{ status: number; reason: string | undefined; challenge: string | null }>;
  refreshes(result: 'success' | 'error'): Promise<number>;
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A verifier behind a real node:http server, keyed by a JWKS URL whose answer the test switches. */
async function harness(keys: NonNullable<Expectations['keys']>): Promise<Harness> {
  const clock = { t: NOW };
  const registry = new Registry();
  // HS256 allowed on purpose: the trust rules, not the algorithm list, must stop a published oct key.
  const env: Expectations = { name: 'prod', issuer: [ISS], audience: [AUD], algorithms: ['RS256', 'HS256', 'ES256'], keys };
  const verifier = createVerifier(env, {
    registry,
    logger: false,
    now: () => clock.t,
    cache: { timeoutMs: MW_TIMEOUT_MS, cooldownSeconds: 30, defaultTtlSeconds: 600, staleIfErrorSeconds: 3600 },
  });
  const server = createServer(withJwtAuth(verifier, (_req: IncomingMessage, res: ServerResponse) => void res.end('ok')));
  const base = await listen(server);
  return {
    clock,
    async call(token) {
      const r = await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } });
      const body = await r.text();
      return {
        status: r.status,
        reason: r.status === 200 ? undefined : (JSON.parse(body) as { error_description: string }).error_description,
        challenge: r.headers.get('www-authenticate'),
      };
    },
    async refreshes(result) {
      return sampleValue(parseMetrics(await registry.metrics()), 'jwt_jwks_refresh_total', { result }) ?? 0;
    },
    settled: () => verifier.settled(),
    async close() {
      verifier.close();
      await closeServer(server);
    },
  };
}

test(
  'middleware: through every fault it serves the last good set within the stale bound, rejects every forged token, and recovers',
  { timeout: 120_000 },
  async () => {
    ctx.s.route('/switch.json', json(GOOD_SET));
    const h = await harness([{ jwksUri: `${ctx.s.url}/switch.json` }]);
    try {
      assert.equal((await h.call(LEGIT)).status, 200);
      for (const f of FAULTS) {
        h.clock.t += 700; // past the TTL (600 s) and the cooldown: the next request starts a refresh
        ctx.s.route('/switch.json', FAULT_HANDLERS[f.path]!);
        const errorsBefore = await h.refreshes('error');
        assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: stale-while-revalidate`);
        await h.settled();
        assert.equal(await h.refreshes('error'), errorsBefore + 1, `${f.name}: the refresh failed`);
        assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: last good set served`);
        if (f.forged) {
          const forged = await h.call(f.forged);
          assert.equal(forged.status, 401, `${f.name}: forged token rejected`);
          assert.match(forged.challenge ?? '', /^Bearer /, `${f.name}: RFC 6750 challenge`);
        }
        // Recovery: the server answers again; after the cooldown (or Retry-After) the next request refetches.
        ctx.s.route('/switch.json', json(GOOD_SET));
        h.clock.t += f.path === '/429' ? 121 : 31;
        const successBefore = await h.refreshes('success');
        assert.equal((await h.call(LEGIT)).status, 200, `${f.name}: recovery request`);
        await h.settled();
        assert.equal(await h.refreshes('success'), successBefore + 1, `${f.name}: recovered`);
      }
    } finally {
      await h.close();
    }
  },
);

test('middleware: Retry-After of a 429 holds refetches back until it has passed', { timeout: 30_000 }, async () => {
  ctx.s.route('/ra.json', json(GOOD_SET));
  const h = await harness([{ jwksUri: `${ctx.s.url}/ra.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    ctx.s.route('/ra.json', json({ error: 'slow down' }, 429, { 'retry-after': '120' }));
    h.clock.t += 700;
    await h.call(LEGIT);
    await h.settled();
    const hits = ctx.s.counts.get('/ra.json')!;
    h.clock.t += 60; // past the 30 s cooldown, within Retry-After
    assert.equal((await h.call(LEGIT)).status, 200);
    await h.settled();
    assert.equal(ctx.s.counts.get('/ra.json'), hits, 'no refetch before Retry-After');
    h.clock.t += 61;
    await h.call(LEGIT);
    await h.settled();
    assert.equal(ctx.s.counts.get('/ra.json'), hits + 1, 'one refetch once it has passed');
  } finally {
    await h.close();
  }
});

test('middleware: past the stale bound a failing source rejects (jwks_unreachable), then recovers', { timeout: 30_000 }, async () => {
  ctx.s.route('/bound.json', json(GOOD_SET));
  const h = await harness([{ jwksUri: `${ctx.s.url}/bound.json` }]);
  try {
    assert.equal((await h.call(LEGIT)).status, 200);
    ctx.s.route('/bound.json', json({ error: 'boom' }, 500));
    h.clock.t += 600 + 3600 + 1; // TTL + staleIfError passed
    const r = await h.call(LEGIT);
    await h.settled();
    assert.deepEqual([r.status, r.reason], [401, 'jwks_unreachable']);
    ctx.s.route('/bound.json', json(GOOD_SET));
    h.clock.t += 31;
    await h.call(LEGIT);
    await h.settled();
    assert.equal((await h.call(LEGIT)).status, 200, 'recovered');
  } finally {
    await h.close();
  }
});

test(
  'middleware: a set mixing a good key with published secrets, private keys and weak keys verifies only with the good key',
  { timeout: 30_000 },
  async () => {
    ctx.s.route('/mixed.json', json({ keys: [goodJwk, ...OCT_SET.keys, ...LEAK_SET.keys, ...WEAK_SET.keys, ...OFF_CURVE_SET.keys] }));
    const h = await harness([{ jwksUri: `${ctx.s.url}/mixed.json` }]);
    try {
      assert.equal((await h.call(LEGIT)).status, 200);
      for (const [name, token] of Object.entries({ hs: FORGED.hs, leak: FORGED.leak, weak: FORGED.weak })) {
        const r = await h.call(token);
        assert.equal(r.status, 401, name);
        assert.match(r.challenge ?? '', /^Bearer /, name);
      }
    } finally {
      await h.close();
    }
  },
);

test('middleware: a key the issuer later publishes with private members leaves the cached set at once', { timeout: 30_000 }, async () => {
  const leakPub = pubJwk(leaked.publicKey, 'leak');
  ctx.s.route('/later.json', json({ keys: [goodJwk, leakPub] }));
  const h = await harness([{ jwksUri: `${ctx.s.url}/later.json` }]);
  try {
    assert.equal((await h.call(FORGED.leak)).status, 200, 'signed by a key that was then public only');
    ctx.s.route('/later.json', json(LEAK_SET)); // the issuer now serves the private key: it has leaked
    h.clock.t += 700;
    await h.call(LEGIT);
    await h.settled();
    const r = await h.call(FORGED.leak);
    assert.equal(r.status, 401, 'the leaked key verifies nothing any more');
    assert.equal((await h.call(LEGIT)).status, 200, 'the rest of the last good set is still served');
  } finally {
    await h.close();
  }
});

test(
  'middleware: discovery naming another issuer is not used; no token verifies with the keys it points to',
  { timeout: 30_000 },
  async () => {
    const h = await harness([{ discovery: `${ctx.s.url}/liar` }]);
    try {
      const r = await h.call(FORGED.attacker);
      assert.equal(r.status, 401);
      assert.equal(r.reason, 'discovery_issuer_mismatch');
    } finally {
      await h.close();
    }
  },
);
