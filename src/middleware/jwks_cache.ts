import { makeFinding, type Finding } from '../reasons.ts';
import type { KeyRecord } from '../keys/import.ts';
import { resolveKeySpec, type KeySpec, type ResolvedKeys, type SourceReport } from '../keys/sources.ts';
import { cacheLifetime } from '../net/cache_lifetime.ts';
import {
  DEFAULT_CACHE_TTL_SECONDS,
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_STALE_IF_ERROR_SECONDS,
  MAX_CACHE_TTL_SECONDS,
  MIN_CACHE_TTL_SECONDS,
} from '../defaults.ts';

/** A key source fetched over the network: the two kinds the cache manages. */
export type RemoteKeySpec = Extract<KeySpec, { jwksUri: string } | { discovery: string | true }>;

export function isRemoteKeySpec(spec: KeySpec): spec is RemoteKeySpec {
  return 'jwksUri' in spec || 'discovery' in spec;
}

export interface JwksCacheSettings {
  /** TTL when the response has no usable Cache-Control / Expires (default 600, or the contract's verifier.cacheTtlSeconds). */
  defaultTtlSeconds?: number;
  /** Cache-Control is honoured within [min, max] (defaults 60 and 86400): a `no-store` JWKS must not cause a fetch per request, a year-long max-age must not pin a retired key. */
  minTtlSeconds?: number;
  maxTtlSeconds?: number;
  /** Minimum seconds between two fetches (unknown-kid refetch and retries after a failure). Default 30. */
  cooldownSeconds?: number;
  /** How long past its TTL a set keeps being served while refreshes fail. Default 3600. */
  staleIfErrorSeconds?: number;
  /** Per fetch: connect + headers + body. Default 3000 ms. */
  timeoutMs?: number;
  /** Body size cap. Default fetchJson's 512 KiB. */
  maxBytes?: number;
}

export interface JwksCacheOptions extends JwksCacheSettings {
  env?: string;
  /** For `discovery: true`: the environment's issuer. */
  issuer?: string;
  /** Clock in seconds (tests inject a fixed one). */
  now?: () => number;
  /** Called after every fetch attempt. */
  onFetch?: (result: 'success' | 'error', cache: JwksCache) => void;
}

export type RefreshTrigger = 'initial' | 'ttl' | 'unknown_kid' | 'manual';

/**
 * One remote key set (JWKS URL or OIDC discovery) with the caching rules
 * a verifier needs during rotations: TTL from Cache-Control within
 * bounds, refetch on an unknown kid at most once per cooldown with one
 * request in flight however many callers ask (single flight), and the
 * last good set served for a bounded time when refreshes fail. Fetches go
 * through `fetchJson` (timeout and body cap), via `resolveKeySpec`.
 *
 * @example
 * const cache = new JwksCache({ jwksUri: 'https://auth.example.com/jwks.json' }, { env: 'staging' });
 * await cache.refresh('initial');
 * cache.usableKeys(Date.now() / 1000).length;
 */
export class JwksCache {
  readonly spec: RemoteKeySpec;
  readonly kind: 'jwks_uri' | 'discovery';
  readonly location: string;
  /** Keys of the last successful fetch. */
  keys: KeyRecord[] = [];
  /** Seconds (injected clock) of the last successful fetch. */
  fetchedAt: number | undefined;
  /** Wall-clock ISO time of the last successful fetch. */
  fetchedAtIso: string | undefined;
  ttlSeconds: number;
  /** Seconds of the last attempt (success or failure), for the cooldown. */
  lastAttemptAt: number | undefined;
  /** The jwks_unreachable finding of the last failed fetch, cleared on success. */
  lastError: Finding | undefined;
  lastReport: SourceReport | undefined;
  fetchCount = 0;
  /** Seconds (injected clock) before which no refetch starts: the server's Retry-After. */
  retryNotBefore: number | undefined;
  private inflight: Promise<boolean> | undefined;
  private readonly settings: Required<JwksCacheSettings>;
  private readonly opts: JwksCacheOptions;
  private readonly clock: () => number;

  constructor(spec: RemoteKeySpec, options: JwksCacheOptions = {}) {
    this.spec = spec;
    this.opts = options;
    this.kind = 'jwksUri' in spec ? 'jwks_uri' : 'discovery';
    this.location = 'jwksUri' in spec ? spec.jwksUri : spec.discovery === true ? (options.issuer ?? '(issuer)') : spec.discovery;
    this.clock = options.now ?? (() => Date.now() / 1000);
    this.settings = {
      defaultTtlSeconds: options.defaultTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS,
      minTtlSeconds: options.minTtlSeconds ?? MIN_CACHE_TTL_SECONDS,
      maxTtlSeconds: options.maxTtlSeconds ?? MAX_CACHE_TTL_SECONDS,
      cooldownSeconds: options.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS,
      staleIfErrorSeconds: options.staleIfErrorSeconds ?? DEFAULT_STALE_IF_ERROR_SECONDS,
      timeoutMs: options.timeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BODY_BYTES,
    };
    this.ttlSeconds = this.settings.defaultTtlSeconds;
  }

  /** The keys a verifier may use at `now`: the last good set until TTL + stale-if-error, then none. */
  usableKeys(now: number): KeyRecord[] {
    return this.isUsable(now) ? this.keys : [];
  }

  isUsable(now: number): boolean {
    return this.fetchedAt !== undefined && now < this.fetchedAt + this.ttlSeconds + this.settings.staleIfErrorSeconds;
  }

  /** Past its TTL (served only because a refresh has not succeeded yet). */
  isStale(now: number): boolean {
    return this.fetchedAt === undefined || now >= this.fetchedAt + this.ttlSeconds;
  }

  ageSeconds(now: number): number | undefined {
    return this.fetchedAt === undefined ? undefined : Math.max(0, now - this.fetchedAt);
  }

  inCooldown(now: number): boolean {
    if (this.retryNotBefore !== undefined && now < this.retryNotBefore) return true;
    return this.lastAttemptAt !== undefined && now - this.lastAttemptAt < this.settings.cooldownSeconds;
  }

  /** The finding to report while no key of this source is usable. */
  unusableFinding(): Finding {
    return (
      this.lastError ??
      makeFinding('jwks_unreachable', {
        claim: 'keys',
        actual: 'stale',
        detail: { source: this.kind, location: this.location, error: 'stale_beyond_bound' },
      })
    );
  }

  /** The fetch in flight, if any (tests and graceful shutdown await it). */
  get pending(): Promise<boolean> | undefined {
    return this.inflight;
  }

  /** A refresh is due because the TTL has passed (or nothing was ever fetched), and the cooldown allows it. */
  isDue(now: number): boolean {
    return this.inflight === undefined && this.isStale(now) && !this.inCooldown(now);
  }

  /**
   * Fetches the set again. Callers arriving while a fetch is in flight
   * share it (single flight); within the cooldown of the last attempt no
   * new fetch starts (an attacker sending random kids cannot make us hammer
   * the issuer). Resolves true when a fetch succeeded. Never rejects.
   */
  refresh(trigger: RefreshTrigger = 'manual'): Promise<boolean> {
    if (this.inflight) return this.inflight;
    const now = this.clock();
    if ((trigger === 'unknown_kid' || trigger === 'ttl') && this.inCooldown(now)) return Promise.resolve(false);
    this.lastAttemptAt = now;
    this.inflight = this.fetchOnce().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchOnce(): Promise<boolean> {
    this.fetchCount++;
    let ok = false;
    try {
      const r = await resolveKeySpec(this.spec, {
        ...(this.opts.env !== undefined ? { env: this.opts.env } : {}),
        ...(this.opts.issuer !== undefined ? { issuer: this.opts.issuer } : {}),
        timeoutMs: this.settings.timeoutMs,
        maxBytes: this.settings.maxBytes,
      });
      ok = this.accept(r);
    } catch (e) {
      // resolveKeySpec never throws by contract; a bug there must not take requests down.
      this.lastError = makeFinding('jwks_unreachable', {
        claim: 'keys',
        actual: (e as Error).message,
        detail: { source: this.kind, location: this.location, error: 'internal' },
      });
    }
    this.opts.onFetch?.(ok ? 'success' : 'error', this);
    return ok;
  }

  /**
   * Takes a fetch result. A set whose every key the trust rules refused
   * (src/keys/trust.ts) is a failed refresh, like a 500: the last good set
   * stays, within the stale bound. A key now seen with private members is
   * leaked: it leaves the last good set at once.
   */
  private accept(r: ResolvedKeys): boolean {
    const report = r.sources[0];
    if (r.leaked) this.keys = this.keys.filter((k) => k.thumbprint === undefined || !r.leaked!.includes(k.thumbprint));
    const error = r.findings.find((f) => f.severity === 'error');
    const refusedAll = report?.ok === true && r.keys.length === 0 && error !== undefined;
    if (report?.ok && !refusedAll) {
      this.keys = r.keys;
      this.fetchedAt = this.clock();
      this.fetchedAtIso = report.fetchedAt ?? new Date().toISOString();
      this.ttlSeconds = ttlFromHeaders(report, this.settings);
      this.lastError = undefined;
      this.lastReport = report;
      this.retryNotBefore = undefined;
      return true;
    }
    this.lastError =
      error ??
      makeFinding('jwks_unreachable', {
        claim: 'keys',
        actual: report?.error ?? 'unknown',
        detail: { source: this.kind, location: this.location },
      });
    const retryAfter = this.lastError.detail?.retryAfterSeconds;
    // RFC 9110 section 10.2.3 / RFC 6585 section 4: a 429 or 503 says when to come back; honoured up to the max TTL.
    if (typeof retryAfter === 'number') this.retryNotBefore = this.clock() + Math.min(retryAfter, this.settings.maxTtlSeconds);
    if (report) this.lastReport = report;
    return false;
  }
}

/**
 * TTL from the response, as a private cache computes its freshness
 * (src/net/cache_lifetime.ts, RFC 9111 section 4.2): max-age or Expires -
 * Date, minus the Age it arrived with; no-store / no-cache as "as short as
 * allowed"; no caching headers: the default; always clamped to [min, max].
 */
export function ttlFromHeaders(
  report: Pick<SourceReport, 'cacheControl' | 'expires' | 'age' | 'date' | 'fetchedAt'>,
  s: Pick<Required<JwksCacheSettings>, 'defaultTtlSeconds' | 'minTtlSeconds' | 'maxTtlSeconds'>,
): number {
  const headers = {
    ...(report.cacheControl !== undefined ? { 'cache-control': report.cacheControl } : {}),
    ...(report.expires !== undefined ? { expires: report.expires } : {}),
    ...(report.age !== undefined ? { age: report.age } : {}),
    ...(report.date !== undefined ? { date: report.date } : {}),
  };
  const ttl = cacheLifetime(headers, report.fetchedAt ? Date.parse(report.fetchedAt) : Date.now()).ttlSeconds ?? s.defaultTtlSeconds;
  return Math.min(s.maxTtlSeconds, Math.max(s.minTtlSeconds, ttl));
}
