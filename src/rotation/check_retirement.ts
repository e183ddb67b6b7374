import { makeFinding, type Finding, type ReasonCode } from '../reasons.ts';
import { DEFAULT_CACHE_TTL_SECONDS } from './check_rotation.ts';
import type { LoadedKeyMaterial } from './load_key_material.ts';
import type { VerifierKeysResult } from './read_verifier_keys.ts';
import type { TrafficEvidence } from './measure_traffic.ts';

export const RETIREMENT_SCHEMA = 'jwt-doctor/rotation-retire/v1';

export interface ChecklistItem {
  id: 'not_published' | 'not_trusted' | 'cache_refreshed' | 'residual_traffic';
  title: string;
  /** `unknown` (no evidence) counts as not passed. */
  status: 'pass' | 'fail' | 'unknown';
  evidence: Record<string, unknown>;
  code?: ReasonCode;
}

export interface RetirementReport {
  schema: typeof RETIREMENT_SCHEMA;
  env?: string;
  kid: string;
  now: string;
  items: ChecklistItem[];
  findings: Finding[];
  /** True only when every item passed. */
  passed: boolean;
}

export interface CheckRetirementInput {
  env?: string;
  kid: string;
  live: LoadedKeyMaterial;
  verifier: VerifierKeysResult;
  /** When the old key was removed from the JWKS (UNIX seconds), if known. */
  unpublishedAt?: number;
  cacheTtlSeconds?: number;
  traffic?: TrafficEvidence;
  /** Highest acceptable old-key rate, requests per second (default 0). */
  threshold: number;
  /** UNIX seconds. */
  now: number;
}

/**
 * The closing checklist of a rotation, each item pass/fail with evidence:
 * the old kid is not published, the verifier no longer trusts it, the
 * verifier's cache was refreshed since the unpublish, and residual
 * old-key traffic is at or below the threshold. Pure: evidence is
 * gathered at the edge (loadKeyMaterial, readVerifierKeys,
 * sampleMetricsTraffic / countLogTraffic).
 *
 * @example const r = checkRetirement({ kid: 'old', live, verifier, traffic, threshold: 0, now: Date.now() / 1000 }); r.passed
 */
export function checkRetirement(input: CheckRetirementInput): RetirementReport {
  const findings: Finding[] = [];
  const items: ChecklistItem[] = [];
  const env = input.env !== undefined ? { env: input.env } : {};
  const at = { ...env, kid: input.kid };
  const item = (i: ChecklistItem, finding?: Finding) => {
    items.push(i);
    if (finding) {
      findings.push(finding);
      i.code = finding.code;
    }
  };

  // 1. Not published.
  const liveOk = input.live.sources.length > 0 && input.live.sources.every((s) => s.ok);
  const publishedKids = input.live.entries.map((e) => e.record?.kid ?? (typeof e.jwk?.kid === 'string' ? e.jwk.kid : undefined)).filter((k): k is string => k !== undefined);
  if (!liveOk) {
    item(
      { id: 'not_published', title: 'old key no longer published', status: 'unknown', evidence: { sources: input.live.sources.map((s) => ({ kind: s.kind, location: s.location, ok: s.ok, error: s.error })) } },
      input.live.findings.find((f) => f.code === 'jwks_unreachable') ?? makeFinding('jwks_unreachable', { claim: 'keys', detail: at }),
    );
  } else {
    const still = publishedKids.includes(input.kid);
    item(
      { id: 'not_published', title: 'old key no longer published', status: still ? 'fail' : 'pass', evidence: { publishedKids, sources: input.live.sources.map((s) => s.location ?? s.kind) } },
      still ? makeFinding('rotation_key_still_published', { claim: 'kid', actual: input.kid, detail: { ...at, publishedKids } }) : undefined,
    );
  }

  // 2 and 3. The verifier's view.
  const ttl = input.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  if (!input.verifier.ok) {
    item({ id: 'not_trusted', title: 'verifier no longer trusts the old key', status: 'unknown', evidence: { ...input.verifier.finding.detail } }, input.verifier.finding);
    items.push({ id: 'cache_refreshed', title: 'verifier key cache refreshed since the unpublish', status: 'unknown', evidence: { reason: 'verifier not readable' } });
  } else {
    const v = input.verifier.verifier;
    const cachedKids = v.keys.map((k) => k.kid).filter((k): k is string => k !== undefined);
    const trusted = cachedKids.includes(input.kid);
    item(
      { id: 'not_trusted', title: 'verifier no longer trusts the old key', status: trusted ? 'fail' : 'pass', evidence: { from: v.from, cachedKids } },
      trusted ? makeFinding('rotation_key_still_trusted', { claim: 'kid', actual: input.kid, detail: { ...at, cachedKids, verifier: v.from.location } }) : undefined,
    );
    const vttl = v.ttlSeconds ?? ttl;
    const fetchedAt = v.fetchedAt !== undefined ? Date.parse(v.fetchedAt) / 1000 : v.cacheAgeSeconds !== undefined ? input.now - v.cacheAgeSeconds : undefined;
    const cacheAge = v.cacheAgeSeconds ?? (fetchedAt !== undefined ? input.now - fetchedAt : undefined);
    const evidence: Record<string, unknown> = {
      ...(v.fetchedAt ? { fetchedAt: v.fetchedAt } : {}),
      ...(cacheAge !== undefined ? { cacheAgeSeconds: Math.round(cacheAge * 10) / 10 } : {}),
      ttlSeconds: vttl,
      ...(v.stale !== undefined ? { stale: v.stale } : {}),
      ...(input.unpublishedAt !== undefined ? { unpublishedAt: new Date(input.unpublishedAt * 1000).toISOString() } : {}),
    };
    let ok: boolean;
    let reason: string;
    if (v.stale === true) {
      ok = false;
      reason = 'the verifier reports its cache as stale (refresh failing)';
    } else if (input.unpublishedAt !== undefined && fetchedAt !== undefined) {
      ok = fetchedAt >= input.unpublishedAt;
      reason = ok ? 'cache fetched after the unpublish' : 'cache fetched before the unpublish';
    } else if (input.unpublishedAt !== undefined) {
      ok = input.now - input.unpublishedAt >= vttl;
      reason = ok ? 'one TTL has passed since the unpublish' : 'less than one TTL since the unpublish';
    } else if (cacheAge !== undefined) {
      // Without the unpublish time: a fresh cache that no longer holds the kid was refreshed after it left.
      ok = cacheAge <= vttl && !trusted;
      reason = ok ? 'cache younger than its TTL and without the old kid' : trusted ? 'the cache still holds the old kid' : 'cache older than its TTL';
    } else {
      ok = !trusted;
      reason = ok ? 'the cache no longer holds the old kid (no cache age reported)' : 'the cache still holds the old kid';
    }
    evidence.reason = reason;
    item(
      { id: 'cache_refreshed', title: 'verifier key cache refreshed since the unpublish', status: ok ? 'pass' : 'fail', evidence },
      ok ? undefined : makeFinding('rotation_cache_not_refreshed', { claim: 'verifier.fetchedAt', actual: v.fetchedAt ?? null, detail: { ...at, ...evidence } }),
    );
  }

  // 4. Residual traffic.
  const t = input.traffic;
  if (!t) {
    items.push({ id: 'residual_traffic', title: 'residual old-key traffic below the threshold', status: 'unknown', evidence: { reason: 'no --metrics-url, verifier.metricsUrl or --log given' } });
  } else if (!t.ok) {
    item(
      { id: 'residual_traffic', title: 'residual old-key traffic below the threshold', status: 'unknown', evidence: { from: t.from, location: t.location, error: t.error, message: t.message } },
      makeFinding('verifier_unreachable', { claim: 'verifier.metrics', actual: t.message, detail: { ...at, from: t.from, location: t.location, error: t.error } }),
    );
  } else if (t.observed === 0) {
    // Zero series (or zero log lines) is no evidence of zero traffic: a wrong URL, another app's
    // metrics or an unreadable format look the same. Unknown, never a pass.
    items.push({ id: 'residual_traffic', title: 'residual old-key traffic below the threshold', status: 'unknown', evidence: { from: t.from, location: t.location, reason: t.from === 'metrics' ? 'no jwt_auth_verified_total / jwt_auth_failures_total series on the metrics page' : 'no JSON lines in the log', ...t.detail } });
  } else {
    const ok = t.rate <= input.threshold;
    const evidence = { from: t.from, location: t.location, rate: Math.round(t.rate * 1e4) / 1e4, count: t.count, seconds: t.seconds, threshold: input.threshold, ...t.detail };
    item(
      { id: 'residual_traffic', title: 'residual old-key traffic below the threshold', status: ok ? 'pass' : 'fail', evidence },
      ok ? undefined : makeFinding('rotation_residual_traffic', { claim: 'kid', expected: input.threshold, actual: evidence.rate, detail: { ...at, ...evidence } }),
    );
  }
  return { schema: RETIREMENT_SCHEMA, ...env, kid: input.kid, now: new Date(input.now * 1000).toISOString(), items, findings, passed: items.every((i) => i.status === 'pass') };
}
