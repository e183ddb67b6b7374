import type { Finding } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import { buildDiagnoser, type Diagnoser } from '../diagnose.ts';
import type { KeyRecord } from '../keys/import.ts';
import { resolveKeys, type KeySpec, type ResolvedKeys, type SourceReport } from '../keys/sources.ts';
import { keyContextFor } from '../keys/sources.ts';
import { FORMER_KIDS_MAX } from '../defaults.ts';
import { JwksCache, isRemoteKeySpec, type JwksCacheSettings, type RefreshTrigger, type RemoteKeySpec } from './jwks_cache.ts';
import { buildKeysSnapshot, type VerifierKeysSnapshot } from './debug_endpoint.ts';
import type { VerifierSection } from '../contract/sections.ts';

export interface VerifierKeySetOptions {
  env: string;
  section: VerifierSection;
  /** Clock in seconds. */
  clock: () => number;
  cache?: JwksCacheSettings;
  baseDir?: string;
  vars?: Record<string, string | undefined>;
  /** Called after every remote fetch attempt (the refresh metric). */
  onFetch?: (result: 'success' | 'error') => void;
  /** Signature forensics on rejected tokens (VerifierOptions.forensics; default off). */
  forensics?: boolean;
}

/**
 * The verifier's keys: static sources (files, literals) loaded once, remote
 * sets (JWKS URL, discovery) in a `JwksCache` each, refreshed in the
 * background when a TTL passes and once per cooldown on an unknown kid
 * (RFC 7517 section 4.5 / OIDC Core 10.1.1: a new kid means the issuer
 * rotated). Whenever the usable set changes it builds the next prepared
 * diagnoser (`diagnoser`, read per request) and keeps the trusted kids and
 * the recently retired ones for the metric labels.
 */
export class VerifierKeySet {
  /** The prepared diagnoser for the keys usable now. */
  diagnoser: Diagnoser;
  /** Trusted keys by kid. */
  trusted = new Map<string, KeyRecord>();
  /**
   * kids this verifier trusted before and no longer does (a retired key),
   * most recent last, at most FORMER_KIDS_MAX: rejections naming one keep
   * that kid as their metric label, so `rotation retire` can see residual
   * old-key traffic; any other untrusted kid stays "unknown" (bounded labels).
   */
  readonly formerKids = new Set<string>();
  readonly caches: JwksCache[];
  loaded = false;
  private readonly base: Diagnoser;
  private readonly staticSpecs: KeySpec[];
  private staticKeys: ResolvedKeys = { keys: [], findings: [], sources: [] };
  private staticLoadedAt = 0;
  private staticLoadedIso = new Date().toISOString();
  private usable: boolean[];
  private readyPromise: Promise<void> | undefined;

  constructor(
    private readonly expectations: Expectations,
    private readonly options: VerifierKeySetOptions,
  ) {
    const specs: KeySpec[] = expectations.keys ?? [];
    this.staticSpecs = specs.filter((s) => !isRemoteKeySpec(s));
    this.caches = specs.filter(isRemoteKeySpec).map((spec) => this.cacheFor(spec));
    this.usable = this.caches.map(() => false);
    // No forensics on the request path unless the verifier's `forensics` option asks for it: it is advice for
    // a human (`jwt-doctor diagnose`), and extra verifications any client could trigger. With it, every probe
    // runs (signature formats, then secret readings and key use; the middleware holds no other environment's keys).
    const forensics = options.forensics ?? false;
    this.base = buildDiagnoser(expectations, { keys: [] }, { provenance: forensics, forensics });
    this.diagnoser = this.base;
  }

  private cacheFor(spec: RemoteKeySpec): JwksCache {
    const { section, cache, env, clock } = this.options;
    const issuer = this.expectations.issuer?.[0];
    return new JwksCache(spec, {
      ...(section.cacheTtlSeconds !== undefined ? { defaultTtlSeconds: section.cacheTtlSeconds } : {}),
      ...cache,
      env,
      ...(issuer !== undefined ? { issuer } : {}),
      now: clock,
      onFetch: (result) => {
        this.options.onFetch?.(result);
        // A failed refresh can change the set too: a key seen with private members leaves it (src/keys/trust.ts).
        this.rebuild();
      },
    });
  }

  /** Loads static keys and fetches remote key sets once; requests await it on their own. */
  ready(): Promise<void> {
    this.readyPromise ??= this.loadAll();
    return this.readyPromise;
  }

  private async loadAll(): Promise<void> {
    const { env, baseDir, vars } = this.options;
    const context = keyContextFor(
      { ...this.expectations, name: env },
      { ...(baseDir !== undefined ? { baseDir } : {}), ...(vars !== undefined ? { vars } : {}) },
    );
    const [own] = await Promise.all([resolveKeys(this.staticSpecs, context), ...this.caches.map((c) => c.refresh('initial'))]);
    this.staticKeys = own;
    this.staticLoadedAt = this.options.clock();
    this.staticLoadedIso = new Date().toISOString();
    this.rebuild();
    this.loaded = true;
  }

  /** The next prepared diagnoser from the static keys and every usable remote set; tracks retired kids. */
  private rebuild(): void {
    const now = this.options.clock();
    this.usable = this.caches.map((c) => c.isUsable(now));
    const keys: KeyRecord[] = [...this.staticKeys.keys];
    const findings: Finding[] = [...this.staticKeys.findings];
    const sources: SourceReport[] = [...this.staticKeys.sources];
    this.caches.forEach((c, i) => {
      if (this.usable[i]) keys.push(...c.keys);
      else findings.push(c.unusableFinding());
      if (c.lastReport) sources.push(c.lastReport);
    });
    const next = new Map(keys.filter((k) => k.kid !== undefined).map((k) => [k.kid!, k]));
    for (const kid of this.trusted.keys()) {
      if (next.has(kid)) continue;
      this.formerKids.delete(kid);
      this.formerKids.add(kid);
      if (this.formerKids.size > FORMER_KIDS_MAX) this.formerKids.delete(this.formerKids.values().next().value!);
    }
    for (const kid of next.keys()) this.formerKids.delete(kid);
    this.trusted = next;
    const excluded = this.staticKeys.excluded;
    this.diagnoser = this.base.withKeys({ keys, findings, sources, ...(excluded ? { excludedKeys: excluded } : {}) });
  }

  /** Per request: start a background refresh when a TTL has passed; drop a set past its stale bound. */
  tick(now: number): void {
    const caches = this.caches;
    for (let i = 0; i < caches.length; i++) {
      const c = caches[i]!;
      if (c.isUsable(now) !== this.usable[i]) this.rebuild();
      // Stale-while-revalidate: this request is served from the current set.
      if (c.isDue(now)) void c.refresh('ttl');
    }
  }

  /** Fetches every remote set (single flight; `unknown_kid` and `ttl` respect the cooldown). */
  async refresh(trigger: RefreshTrigger): Promise<void> {
    await Promise.all(this.caches.map((c) => c.refresh(trigger)));
  }

  /** Resolves when no key fetch is in flight. */
  async settled(): Promise<void> {
    if (this.readyPromise) await this.readyPromise;
    await Promise.all(this.caches.map((c) => c.pending));
  }

  /** A rejection's metric label for the header's kid: a trusted or recently retired kid, else `unknown` (bounded cardinality). */
  kidLabel(kid: unknown, fallback: string): string {
    if (typeof kid !== 'string') return fallback;
    return this.trusted.has(kid) || this.formerKids.has(kid) ? kid : fallback;
  }

  /** The oldest remote set's age in seconds (the cache-age gauge), if any was fetched. */
  maxAgeSeconds(now: number): number | undefined {
    let max: number | undefined;
    for (const c of this.caches) {
      const a = c.ageSeconds(now);
      if (a !== undefined && (max === undefined || a > max)) max = a;
    }
    return max;
  }

  /** The debug endpoint document (`jwt-doctor/verifier-keys/v1`). */
  snapshot(now: number): VerifierKeysSnapshot {
    const { staticKeys, staticLoadedAt, staticLoadedIso } = this;
    return buildKeysSnapshot({
      env: this.options.env,
      now,
      caches: this.caches,
      staticSources: staticKeys.sources,
      staticLoadedAt,
      staticLoadedIso,
      keys: this.diagnoser.keys,
    });
  }
}
