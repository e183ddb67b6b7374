import type { KeyRecord } from '../keys/import.ts';
import type { SourceReport } from '../keys/sources.ts';
import type { JwksCache } from './jwks_cache.ts';

export const KEYS_SNAPSHOT_SCHEMA = 'jwt-doctor/verifier-keys/v1';
export { DEFAULT_DEBUG_PATH } from '../defaults.ts';

/**
 * What the verifier trusts right now, as `rotation check` reads it (the
 * format agreed across areas). Key ids and RFC 7638 thumbprints only:
 * never key material; secrets appear as their keyed fingerprint.
 */
export interface VerifierKeysSnapshot {
  schema: typeof KEYS_SNAPSHOT_SCHEMA;
  env: string;
  source: { kind: string; location: string | null };
  fetchedAt: string;
  cacheAgeSeconds: number;
  /** null for keys read once from files or literals. */
  ttlSeconds: number | null;
  stale: boolean;
  keys: { kid: string | null; kty: string; alg: string | null; thumbprint: string | null; fingerprint?: string }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface SnapshotInput {
  env: string;
  now: number;
  caches: readonly JwksCache[];
  staticSources: readonly SourceReport[];
  staticLoadedAt: number;
  staticLoadedIso: string;
  keys: readonly KeyRecord[];
}

/**
 * Builds the debug endpoint document. The primary source is the first
 * remote key set (JWKS URL or discovery) when there is one: that is the
 * cache whose age and staleness matter during a rotation.
 *
 * @example verifier.keysSnapshot().keys.map((k) => k.kid) // ['staging-2026-11']
 */
export function buildKeysSnapshot(input: SnapshotInput): VerifierKeysSnapshot {
  const primary = input.caches[0];
  const keys = input.keys.map((k) => ({
    kid: k.kid ?? null,
    kty: k.kty,
    alg: k.alg ?? null,
    thumbprint: k.thumbprint ?? null,
    ...(k.fingerprint !== undefined ? { fingerprint: k.fingerprint } : {}),
  }));
  if (primary) {
    return {
      schema: KEYS_SNAPSHOT_SCHEMA,
      env: input.env,
      source: { kind: primary.kind, location: primary.location },
      fetchedAt: primary.fetchedAtIso ?? new Date(0).toISOString(),
      cacheAgeSeconds: round1(primary.ageSeconds(input.now) ?? 0),
      ttlSeconds: primary.ttlSeconds,
      stale: primary.isStale(input.now),
      keys,
    };
  }
  const s = input.staticSources[0];
  return {
    schema: KEYS_SNAPSHOT_SCHEMA,
    env: input.env,
    source: { kind: s?.kind ?? 'none', location: s?.location ?? null },
    fetchedAt: input.staticLoadedIso,
    cacheAgeSeconds: round1(Math.max(0, input.now - input.staticLoadedAt)),
    ttlSeconds: null,
    stale: false,
    keys,
  };
}

/** The HTTP answer adapters give on the debug path. */
export function keysSnapshotResponse(snapshot: VerifierKeysSnapshot): { status: number; headers: Record<string, string>; body: string } {
  return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(snapshot) };
}
