import { makeFinding, type Finding } from '../reasons.ts';
import type { SourceReport } from '../keys/sources.ts';
import type { LoadedKeyMaterial } from './load_key_material.ts';
import { parseCacheHeaders, type CachePolicy } from './parse_cache_headers.ts';
import type { VerifierKeys, VerifierKey, VerifierKeysResult } from './read_verifier_keys.ts';
import { worstSeverity } from './format_text.ts';
import { DEFAULT_CACHE_TTL_SECONDS, DEFAULT_COOLDOWN_SECONDS } from '../defaults.ts';

export { DEFAULT_CACHE_TTL_SECONDS, DEFAULT_COOLDOWN_SECONDS };

export const ROTATION_CHECK_SCHEMA = 'jwt-doctor/rotation-check/v1';

/** A key as compared: identity only. */
export interface ComparedKey {
  kid?: string;
  thumbprint?: string;
  alg?: string;
  /** published and cached | published only | cached only | the same kid with another key. */
  status: 'in_sync' | 'not_cached' | 'not_published' | 'key_changed';
}

/**
 * The window during which a token signed by a newly published kid is
 * rejected. `currentWindowSeconds` = TTL remaining of the verifier's
 * current cache + refetch cooldown; `generalWindowSeconds` = full TTL +
 * cooldown (a cache refreshed just before the publish);
 * `publishLeadSeconds` adds what an HTTP cache in front of the JWKS may
 * keep (max-age), the lead to wait between publishing a key and signing
 * with it.
 */
export interface RejectionWindow {
  ttlSeconds: number;
  ttlFrom: 'debug_endpoint' | 'contract' | 'default';
  cacheAgeSeconds?: number;
  ttlRemainingSeconds: number;
  cooldownSeconds: number;
  httpMaxAgeSeconds?: number;
  currentWindowSeconds: number;
  generalWindowSeconds: number;
  publishLeadSeconds: number;
}

export interface RotationCheckReport {
  schema: typeof ROTATION_CHECK_SCHEMA;
  env?: string;
  now: string;
  live: { sources: SourceReport[]; kids: string[] };
  verifier?: Omit<VerifierKeys, 'keys'> & { kids: string[] };
  keys: ComparedKey[];
  cache?: CachePolicy & { cacheControl?: string; expires?: string; age?: string };
  window?: RejectionWindow;
  findings: Finding[];
  result: 'ok' | 'warning' | 'error';
}

export interface CheckRotationInput {
  env?: string;
  /** The issuer's live key set (loadKeyMaterial / loadKeyMaterials). */
  live: LoadedKeyMaterial;
  verifier: VerifierKeysResult;
  /** Contract `verifier.cacheTtlSeconds` (used when the debug endpoint does not say). */
  cacheTtlSeconds?: number;
  cooldownSeconds?: number;
  /** UNIX seconds. */
  now: number;
}

function sameKey(a: VerifierKey, b: { kid?: string; thumbprint?: string }): boolean {
  if (a.kid !== undefined && b.kid !== undefined) return a.kid === b.kid;
  return a.thumbprint !== undefined && a.thumbprint === b.thumbprint;
}

type Identity = { kid?: string; thumbprint?: string; alg?: string };
type At = Record<string, unknown>;

const identityOf = (k: { kid?: string | undefined; thumbprint?: string | undefined; alg?: string | undefined }): Identity => ({
  ...(k.kid !== undefined ? { kid: k.kid } : {}),
  ...(k.thumbprint ? { thumbprint: k.thumbprint } : {}),
  ...(k.alg ? { alg: k.alg } : {}),
});
const kidLabel = (k: Identity) => k.kid ?? `(no kid) ${k.thumbprint ?? ''}`.trim();

/**
 * Compares the issuer's live key set with the verifier's cached set:
 * `jwks_stale` for kids published but not cached (or cached under the
 * same kid with another key), `jwks_key_unpublished` for kids cached but
 * no longer published, `jwks_cache_ttl_mismatch` when the JWKS caching
 * headers and the verifier TTL disagree, and the rejection window. Pure.
 *
 * @example const report = checkRotation({ live, verifier, now: Date.now() / 1000 });
 */
export function checkRotation(input: CheckRotationInput): RotationCheckReport {
  const findings: Finding[] = [...input.live.findings.filter((f) => f.code === 'jwks_unreachable' && f.severity === 'error')];
  const env = input.env !== undefined ? { env: input.env } : {};
  const published = input.live.entries.filter((e) => e.record && e.record.use !== 'enc').map((e) => identityOf(e.record!));
  const live = { sources: input.live.sources, kids: published.map(kidLabel) };
  const liveOk = input.live.sources.length > 0 && input.live.sources.every((s) => s.ok);
  let keys: ComparedKey[] = [];
  let verifierView: RotationCheckReport['verifier'];
  if (!input.verifier.ok) {
    findings.push(input.verifier.finding);
  } else {
    const { keys: cached, ...rest } = input.verifier.verifier;
    verifierView = { ...rest, kids: cached.map(kidLabel) };
    if (liveOk) keys = compareKeySets(published, cached, { ...env, verifier: rest.from.location }, findings);
  }
  const { cache, window } = cacheTiming(input, env, findings);
  // Stable, readable key order for JSON output.
  return {
    schema: ROTATION_CHECK_SCHEMA,
    ...env,
    now: new Date(input.now * 1000).toISOString(),
    live,
    ...(verifierView ? { verifier: verifierView } : {}),
    keys,
    ...(cache ? { cache } : {}),
    window,
    findings,
    result: worstSeverity(findings),
  };
}

/** Each published key against the cache (`jwks_stale`), then each cached key no longer published (`jwks_key_unpublished`). */
function compareKeySets(published: Identity[], cached: VerifierKey[], where: At, findings: Finding[]): ComparedKey[] {
  const { verifier, ...env } = where;
  const keys: ComparedKey[] = [];
  for (const p of published) {
    const c = cached.find((k) => sameKey(k, p));
    const at = { ...env, ...(p.kid !== undefined ? { kid: p.kid } : {}), ...(p.thumbprint ? { thumbprint: p.thumbprint } : {}), verifier };
    if (!c) {
      keys.push({ ...p, status: 'not_cached' });
      findings.push(makeFinding('jwks_stale', { claim: 'kid', actual: p.kid ?? null, detail: { ...at, reason: 'not_cached' } }));
    } else if (c.thumbprint !== undefined && p.thumbprint !== undefined && c.thumbprint !== p.thumbprint) {
      // The same kid now names another key (RFC 7517 section 4.5: kids should not be reused).
      keys.push({ ...p, status: 'key_changed' });
      findings.push(
        makeFinding('jwks_stale', {
          claim: 'kid',
          actual: p.kid ?? null,
          detail: { ...at, reason: 'key_changed', cachedThumbprint: c.thumbprint },
        }),
      );
    } else {
      keys.push({ ...p, status: 'in_sync' });
    }
  }
  for (const c of cached) {
    if (published.some((p) => sameKey(c, p))) continue;
    keys.push({ ...identityOf(c), status: 'not_published' });
    findings.push(
      makeFinding('jwks_key_unpublished', {
        claim: 'kid',
        actual: c.kid ?? null,
        detail: { ...env, ...(c.kid !== undefined ? { kid: c.kid } : {}), ...(c.thumbprint ? { thumbprint: c.thumbprint } : {}), verifier },
      }),
    );
  }
  return keys;
}

/** Cache timing: the HTTP caching headers of the live set against the verifier TTL, and the rejection window. */
function cacheTiming(
  input: CheckRotationInput,
  env: At,
  findings: Finding[],
): { cache?: RotationCheckReport['cache']; window: RejectionWindow } {
  const verifier = input.verifier.ok ? input.verifier.verifier : undefined;
  const ttlFromDebug = verifier?.ttlSeconds;
  const ttl = ttlFromDebug ?? input.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  const ttlFrom: RejectionWindow['ttlFrom'] =
    ttlFromDebug !== undefined ? 'debug_endpoint' : input.cacheTtlSeconds !== undefined ? 'contract' : 'default';
  let cacheAge = verifier?.cacheAgeSeconds;
  if (cacheAge === undefined && verifier?.fetchedAt && verifier.from.kind !== 'jwks_uri')
    cacheAge = Math.max(0, input.now - Date.parse(verifier.fetchedAt) / 1000);
  const cooldown = input.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS;
  const http = httpCachePolicy(input.live.sources, ttl, env, findings);
  const maxAge = http?.maxAge;
  const ttlRemaining = cacheAge === undefined ? ttl : Math.max(0, ttl - cacheAge);
  const httpExtra = maxAge !== undefined && maxAge > 0 ? maxAge : 0;
  const window: RejectionWindow = {
    ttlSeconds: ttl,
    ttlFrom,
    ...(cacheAge !== undefined ? { cacheAgeSeconds: round(cacheAge) } : {}),
    ttlRemainingSeconds: round(ttlRemaining),
    cooldownSeconds: cooldown,
    ...(maxAge !== undefined ? { httpMaxAgeSeconds: maxAge } : {}),
    currentWindowSeconds: round(ttlRemaining + cooldown),
    generalWindowSeconds: round(ttl + cooldown),
    publishLeadSeconds: round(ttl + cooldown + httpExtra),
  };
  if (verifier && (verifier.stale === true || (cacheAge !== undefined && cacheAge > ttl))) {
    findings.push(
      makeFinding('rotation_cache_not_refreshed', {
        severity: 'warning',
        claim: 'verifier.cacheAgeSeconds',
        expected: ttl,
        actual: cacheAge ?? null,
        detail: { ...env, stale: verifier.stale ?? null, cacheAgeSeconds: cacheAge ?? null, ttlSeconds: ttl },
      }),
    );
  }
  return { ...(http ? { cache: http.cache } : {}), window };
}

/** The caching headers of the first fetched live source, and `jwks_cache_ttl_mismatch` when they disagree with the TTL. */
function httpCachePolicy(
  sources: readonly SourceReport[],
  ttl: number,
  env: At,
  findings: Finding[],
): { cache: NonNullable<RotationCheckReport['cache']>; maxAge: number | undefined } | undefined {
  const src =
    sources.find((s) => s.ok && (s.cacheControl !== undefined || s.expires !== undefined)) ?? sources.find((s) => s.ok && s.fetchedAt);
  if (!src?.fetchedAt) return undefined;
  const headers = { 'cache-control': src.cacheControl, expires: src.expires, age: src.age, date: src.date };
  const policy = parseCacheHeaders(Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)), new Date(src.fetchedAt));
  const cache = {
    ...policy,
    ...(src.cacheControl ? { cacheControl: src.cacheControl } : {}),
    ...(src.expires ? { expires: src.expires } : {}),
    ...(src.age ? { age: src.age } : {}),
  };
  const maxAge = policy.noCache ? 0 : policy.maxAgeSeconds;
  const detail = {
    ...env,
    ttlSeconds: ttl,
    ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
    ...(src.cacheControl ? { cacheControl: src.cacheControl } : {}),
    ...(src.expires ? { expires: src.expires } : {}),
  };
  if (maxAge !== undefined && ttl > maxAge) {
    // The issuer says keys may change after max-age; the verifier keeps them longer.
    findings.push(
      makeFinding('jwks_cache_ttl_mismatch', {
        claim: 'verifier.cacheTtlSeconds',
        expected: maxAge,
        actual: ttl,
        detail: { ...detail, direction: 'verifier_longer' },
      }),
    );
  } else if (maxAge !== undefined && maxAge > ttl) {
    // An HTTP cache honouring max-age can hand the verifier an old JWKS after its own TTL expired.
    findings.push(
      makeFinding('jwks_cache_ttl_mismatch', {
        severity: 'info',
        claim: 'verifier.cacheTtlSeconds',
        expected: maxAge,
        actual: ttl,
        detail: { ...detail, direction: 'http_cache_longer' },
      }),
    );
  }
  return { cache, maxAge };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
