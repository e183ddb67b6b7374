import { makeFinding, type Finding, type ReasonCode } from '../reasons.ts';
import { DEFAULT_CACHE_TTL_SECONDS } from './check_rotation.ts';
import type { LoadedKeyMaterial } from './load_key_material.ts';
import type { VerifierKeys, VerifierKeysResult } from './read_verifier_keys.ts';
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

type ItemId = ChecklistItem['id'];
type At = Record<string, unknown>;
/** One checklist item and the finding that fails it (its code is stamped on the item). */
type Checked = { item: ChecklistItem; finding?: Finding | undefined };

const TITLE: Record<ItemId, string> = {
  not_published: 'old key no longer published',
  not_trusted: 'verifier no longer trusts the old key',
  cache_refreshed: 'verifier key cache refreshed since the unpublish',
  residual_traffic: 'residual old-key traffic below the threshold',
};

function checked(id: ItemId, status: ChecklistItem['status'], evidence: Record<string, unknown>, finding?: Finding): Checked {
  return { item: { id, title: TITLE[id], status, evidence }, finding };
}

/** The checklist, in report order: each entry gathers its items from the evidence. */
const CHECKLIST: ReadonlyArray<(input: CheckRetirementInput, at: At) => Checked[]> = [
  checkNotPublished,
  checkVerifierView,
  checkResidualTraffic,
];

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
  const env = input.env !== undefined ? { env: input.env } : {};
  const at = { ...env, kid: input.kid };
  const items: ChecklistItem[] = [];
  const findings: Finding[] = [];
  for (const check of CHECKLIST) {
    for (const { item, finding } of check(input, at)) {
      items.push(item);
      if (finding) {
        findings.push(finding);
        item.code = finding.code;
      }
    }
  }
  return {
    schema: RETIREMENT_SCHEMA,
    ...env,
    kid: input.kid,
    now: new Date(input.now * 1000).toISOString(),
    items,
    findings,
    passed: items.every((i) => i.status === 'pass'),
  };
}

/** 1. The old kid is no longer in the issuer's live key set. */
function checkNotPublished(input: CheckRetirementInput, at: At): Checked[] {
  const live = input.live;
  if (live.sources.length === 0 || !live.sources.every((s) => s.ok)) {
    const evidence = { sources: live.sources.map((s) => ({ kind: s.kind, location: s.location, ok: s.ok, error: s.error })) };
    return [
      checked(
        'not_published',
        'unknown',
        evidence,
        live.findings.find((f) => f.code === 'jwks_unreachable') ?? makeFinding('jwks_unreachable', { claim: 'keys', detail: at }),
      ),
    ];
  }
  const publishedKids = live.entries
    .map((e) => e.record?.kid ?? (typeof e.jwk?.kid === 'string' ? e.jwk.kid : undefined))
    .filter((k): k is string => k !== undefined);
  const still = publishedKids.includes(input.kid);
  const finding = still
    ? makeFinding('rotation_key_still_published', { claim: 'kid', actual: input.kid, detail: { ...at, publishedKids } })
    : undefined;
  return [
    checked('not_published', still ? 'fail' : 'pass', { publishedKids, sources: live.sources.map((s) => s.location ?? s.kind) }, finding),
  ];
}

/** 2 and 3. The verifier's view: it no longer trusts the kid, and its cache was refreshed since the unpublish. */
function checkVerifierView(input: CheckRetirementInput, at: At): Checked[] {
  if (!input.verifier.ok) {
    return [
      checked('not_trusted', 'unknown', { ...input.verifier.finding.detail }, input.verifier.finding),
      checked('cache_refreshed', 'unknown', { reason: 'verifier not readable' }),
    ];
  }
  const v = input.verifier.verifier;
  const cachedKids = v.keys.map((k) => k.kid).filter((k): k is string => k !== undefined);
  const trusted = cachedKids.includes(input.kid);
  const finding = trusted
    ? makeFinding('rotation_key_still_trusted', {
        claim: 'kid',
        actual: input.kid,
        detail: { ...at, cachedKids, verifier: v.from.location },
      })
    : undefined;
  return [
    checked('not_trusted', trusted ? 'fail' : 'pass', { from: v.from, cachedKids }, finding),
    checkCacheRefreshed(input, v, trusted, at),
  ];
}

function checkCacheRefreshed(input: CheckRetirementInput, v: VerifierKeys, trusted: boolean, at: At): Checked {
  const ttl = v.ttlSeconds ?? input.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS;
  const fetchedAt =
    v.fetchedAt !== undefined
      ? Date.parse(v.fetchedAt) / 1000
      : v.cacheAgeSeconds !== undefined
        ? input.now - v.cacheAgeSeconds
        : undefined;
  const cacheAge = v.cacheAgeSeconds ?? (fetchedAt !== undefined ? input.now - fetchedAt : undefined);
  const evidence: Record<string, unknown> = {
    ...(v.fetchedAt ? { fetchedAt: v.fetchedAt } : {}),
    ...(cacheAge !== undefined ? { cacheAgeSeconds: Math.round(cacheAge * 10) / 10 } : {}),
    ttlSeconds: ttl,
    ...(v.stale !== undefined ? { stale: v.stale } : {}),
    ...(input.unpublishedAt !== undefined ? { unpublishedAt: new Date(input.unpublishedAt * 1000).toISOString() } : {}),
  };
  const { ok, reason } = refreshVerdict(v.stale, input.unpublishedAt, fetchedAt, cacheAge, ttl, trusted, input.now);
  evidence.reason = reason;
  const finding = ok
    ? undefined
    : makeFinding('rotation_cache_not_refreshed', {
        claim: 'verifier.fetchedAt',
        actual: v.fetchedAt ?? null,
        detail: { ...at, ...evidence },
      });
  return checked('cache_refreshed', ok ? 'pass' : 'fail', evidence, finding);
}

/** Whether the verifier's cache was refreshed after the unpublish, from the best evidence there is. */
function refreshVerdict(
  stale: boolean | undefined,
  unpublishedAt: number | undefined,
  fetchedAt: number | undefined,
  cacheAge: number | undefined,
  ttl: number,
  trusted: boolean,
  now: number,
): { ok: boolean; reason: string } {
  if (stale === true) return { ok: false, reason: 'the verifier reports its cache as stale (refresh failing)' };
  if (unpublishedAt !== undefined && fetchedAt !== undefined) {
    const ok = fetchedAt >= unpublishedAt;
    return { ok, reason: ok ? 'cache fetched after the unpublish' : 'cache fetched before the unpublish' };
  }
  if (unpublishedAt !== undefined) {
    const ok = now - unpublishedAt >= ttl;
    return { ok, reason: ok ? 'one TTL has passed since the unpublish' : 'less than one TTL since the unpublish' };
  }
  if (cacheAge !== undefined) {
    // Without the unpublish time: a fresh cache that no longer holds the kid was refreshed after it left.
    const ok = cacheAge <= ttl && !trusted;
    return {
      ok,
      reason: ok
        ? 'cache younger than its TTL and without the old kid'
        : trusted
          ? 'the cache still holds the old kid'
          : 'cache older than its TTL',
    };
  }
  return {
    ok: !trusted,
    reason: !trusted ? 'the cache no longer holds the old kid (no cache age reported)' : 'the cache still holds the old kid',
  };
}

const NO_SERIES_WHERE = { metrics: 'on the metrics page', prometheus: 'in Prometheus over the window' } as const;

/** 4. Residual old-key traffic at or below the threshold. */
function checkResidualTraffic(input: CheckRetirementInput, at: At): Checked[] {
  const t = input.traffic;
  if (!t) return [checked('residual_traffic', 'unknown', { reason: 'no --metrics-url, --prometheus, verifier.metricsUrl or --log given' })];
  if (!t.ok) {
    const finding = makeFinding(t.code ?? 'verifier_unreachable', {
      claim: 'verifier.metrics',
      actual: t.message,
      detail: { ...at, from: t.from, location: t.location, error: t.error },
    });
    return [checked('residual_traffic', 'unknown', { from: t.from, location: t.location, error: t.error, message: t.message }, finding)];
  }
  if (t.observed === 0) {
    // Zero series (or zero log lines) is no evidence of zero traffic: a wrong URL, another app's
    // metrics or an unreadable format look the same. Unknown, never a pass.
    const reason =
      t.from === 'log'
        ? 'no JSON lines in the log'
        : `no jwt_auth_verified_total / jwt_auth_failures_total series ${NO_SERIES_WHERE[t.from]}`;
    return [checked('residual_traffic', 'unknown', { from: t.from, location: t.location, reason, ...t.detail })];
  }
  const ok = t.rate <= input.threshold;
  const evidence = {
    from: t.from,
    location: t.location,
    rate: Math.round(t.rate * 1e4) / 1e4,
    count: t.count,
    seconds: t.seconds,
    threshold: input.threshold,
    ...t.detail,
  };
  const finding = ok
    ? undefined
    : makeFinding('rotation_residual_traffic', {
        claim: 'kid',
        expected: input.threshold,
        actual: evidence.rate,
        detail: { ...at, ...evidence },
      });
  return [checked('residual_traffic', ok ? 'pass' : 'fail', evidence, finding)];
}
