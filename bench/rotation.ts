/**
 * Key-set inspection and a rotation check at scale (issue 4), against
 * loopback servers: a 100-key JWKS (RSA-2048 and P-256) and a verifier
 * debug endpoint holding 99 of them.
 *   node --import tsx bench/rotation.ts
 */
import { jwksKey, sendJson, serve } from '../test/helpers/index.ts';
import { buildKeysReport } from '../src/rotation/keys_report.ts';
import { loadKeyMaterial } from '../src/rotation/load_key_material.ts';
import { readVerifierKeys } from '../src/rotation/read_verifier_keys.ts';
import { checkRotation } from '../src/rotation/check_rotation.ts';
import { jwkThumbprint } from '../src/keys/import.ts';

const keys = Array.from({ length: 100 }, (_, i) => jwksKey(`k${i}`, i % 2 ? 'ES256' : 'RS256'));
const issuer = await serve((_q, r) => sendJson(r, { keys: keys.map((k) => k.publicJwk) }, { 'cache-control': 'max-age=600' }));
const dbg = await serve((_q, r) =>
  sendJson(r, {
    schema: 'jwt-doctor/verifier-keys/v1',
    fetchedAt: new Date().toISOString(),
    cacheAgeSeconds: 10,
    ttlSeconds: 600,
    stale: false,
    keys: keys.slice(1).map((k) => ({ kid: k.kid, thumbprint: jwkThumbprint(k.publicJwk) })),
  }),
);
const N = 50;
const now = Date.now() / 1000;
try {
  for (const [name, fn] of [
    ['keys: fetch + inspect a 100-key JWKS', () => buildKeysReport({ source: `${issuer.url}/jwks.json`, now })],
    [
      'rotation check: 100 live keys vs the debug endpoint',
      async () =>
        checkRotation({
          live: await loadKeyMaterial({ jwksUri: `${issuer.url}/jwks.json` }),
          verifier: await readVerifierKeys({ debugUrl: dbg.url }),
          now,
        }),
    ],
  ] as const) {
    for (let i = 0; i < 5; i++) await fn();
    const t: number[] = [];
    for (let i = 0; i < N; i++) {
      const s = performance.now();
      await fn();
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    console.log(JSON.stringify({ bench: name, runs: N, medianMs: +t[N / 2]!.toFixed(1), p95Ms: +t[Math.floor(N * 0.95)]!.toFixed(1) }));
  }
} finally {
  await issuer.close();
  await dbg.close();
}
