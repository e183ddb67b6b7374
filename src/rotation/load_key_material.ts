import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { makeFinding, type Finding } from '../reasons.ts';
import { fetchJson } from '../net/fetch_json.ts';
import { importJwk, type KeyRecord, type KeySourceInfo } from '../keys/import.ts';
import { cacheInfo, fetchDiscovery, fetchFailureDetail, fetchOptions, resolveKeySpec, type KeySpec, type ResolveContext, type SourceReport } from '../keys/sources.ts';
import type { RedirectPolicy } from '../net/fetch_json.ts';

/**
 * One key as found in a source: the raw JWK JSON when the source is a JWK
 * or JWKS (inspected for private members, exponent, curve point), and the
 * imported record when the key imports. Never serialized as is: the raw
 * JWK may hold private members.
 */
export interface KeyEntry {
  /** Position in its JWKS. */
  index: number;
  jwk?: Record<string, unknown>;
  record?: KeyRecord;
  /** Why the key did not import. */
  importError?: string;
  source: KeySourceInfo;
  /** Served over HTTP (a public JWKS): private members there are a leak. */
  published: boolean;
}

export interface LoadedKeyMaterial {
  entries: KeyEntry[];
  findings: Finding[];
  sources: SourceReport[];
}

function unreachable(source: KeySourceInfo, error: string, detail: Record<string, unknown> = {}): Finding {
  return makeFinding('jwks_unreachable', {
    claim: 'keys',
    actual: error,
    detail: { source: source.kind, ...(source.location ? { location: source.location } : {}), ...(source.env ? { env: source.env } : {}), error, ...detail },
  });
}

function fail(source: KeySourceInfo, error: string, detail: Record<string, unknown> = {}, extra: Partial<SourceReport> = {}): LoadedKeyMaterial {
  return {
    entries: [],
    findings: [unreachable(source, error, detail)],
    sources: [{ kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: false, keyCount: 0, error, ...extra }],
  };
}

function entriesFromDoc(doc: unknown, source: KeySourceInfo, published: boolean): KeyEntry[] | string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'expected a JSON object (a JWKS with "keys", or one JWK)';
  const keys = (doc as { keys?: unknown }).keys;
  const list: unknown[] = Array.isArray(keys) ? keys : 'kty' in doc ? [doc] : [];
  if (!Array.isArray(keys) && !('kty' in doc)) return 'a JWKS must be a JSON object with a "keys" array';
  return list.map((k, index) => {
    const entry: KeyEntry = { index, source, published };
    if (k !== null && typeof k === 'object' && !Array.isArray(k)) entry.jwk = k as Record<string, unknown>;
    try {
      entry.record = importJwk(k, source);
    } catch (e) {
      entry.importError = (e as Error).message;
    }
    return entry;
  });
}

async function fetchJwks(url: string, source: KeySourceInfo, ctx: ResolveContext, spec: { timeoutMs?: number; redirects?: RedirectPolicy }, extra: Partial<SourceReport> = {}): Promise<LoadedKeyMaterial> {
  const r = await fetchJson(url, fetchOptions(ctx, spec));
  if (!r.ok) return fail(source, r.message, { ...fetchFailureDetail(r), url }, extra);
  const entries = entriesFromDoc(r.json, { ...source, location: url }, true);
  const info = { ...cacheInfo(r.headers, r.fetchedAt), ...extra };
  if (typeof entries === 'string') return fail(source, entries, { error: 'invalid_document', url }, info);
  return { entries, findings: [], sources: [{ kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: true, keyCount: entries.filter((e) => e.record).length, ...info }] };
}

/**
 * Loads one key source keeping each key's raw JWK next to its import
 * result, so inspection can see what `importJwk` drops (private members,
 * the exponent, a point off the curve). Failures are findings
 * (`jwks_unreachable`), never throws; fetches use `fetchJson` (timeout,
 * body cap).
 *
 * @example const m = await loadKeyMaterial({ jwksUri: 'https://auth.example.com/jwks.json' }, { timeoutMs: 3000 });
 */
export async function loadKeyMaterial(spec: KeySpec, ctx: ResolveContext = {}): Promise<LoadedKeyMaterial> {
  const env = ctx.env !== undefined ? { env: ctx.env } : {};
  if ('jwksUri' in spec) {
    return fetchJwks(spec.jwksUri, { kind: 'jwks_uri', location: spec.jwksUri, ...env }, ctx, spec);
  }
  if ('discovery' in spec) {
    const issuer = spec.discovery === true ? ctx.issuer : spec.discovery;
    if (!issuer) return fail({ kind: 'discovery', ...env }, 'discovery: true needs the environment issuer');
    // The same discovery rules as the verifying paths: issuer identical (section 4.3), no redirect off origin.
    const d = await fetchDiscovery(issuer, fetchOptions(ctx, spec), { kind: 'discovery', ...env });
    const source: KeySourceInfo = { kind: 'discovery', location: d.url, ...env };
    if (!d.ok) return { entries: [], findings: [d.finding], sources: [{ kind: 'discovery', location: d.url, ok: false, keyCount: 0, error: d.error }] };
    const out = await fetchJwks(d.jwksUri, source, ctx, spec, { jwksUri: d.jwksUri });
    out.sources[0]!.location = d.url;
    return out;
  }
  if ('jwksFile' in spec || ('jwk' in spec && typeof spec.jwk === 'string')) {
    const file = 'jwksFile' in spec ? spec.jwksFile : (spec as { jwk: string }).jwk;
    const source: KeySourceInfo = { kind: 'jwksFile' in spec ? 'jwks_file' : 'jwk', location: file, ...env };
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(isAbsolute(file) ? file : resolve(ctx.baseDir ?? process.cwd(), file), 'utf8'));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return fail(source, err.code === 'ENOENT' ? `file not found: ${file}` : e instanceof SyntaxError ? `not valid JSON: ${e.message}` : (err.code ?? err.message));
    }
    const entries = entriesFromDoc(doc, source, false);
    if (typeof entries === 'string') return fail(source, entries, { error: 'invalid_document' });
    return { entries, findings: [], sources: [{ kind: source.kind, location: file, ok: true, keyCount: entries.filter((e) => e.record).length }] };
  }
  if ('jwk' in spec) {
    const source: KeySourceInfo = { kind: 'jwk', ...env };
    const entries = entriesFromDoc(spec.jwk, source, false);
    if (typeof entries === 'string') return fail(source, entries, { error: 'invalid_document' });
    return { entries, findings: [], sources: [{ kind: 'jwk', ok: true, keyCount: entries.filter((e) => e.record).length }] };
  }
  // PEM, certificate and secrets have no JWK members to inspect: import them as the core does.
  const r = await resolveKeySpec(spec, ctx);
  return {
    entries: r.keys.map((record, index) => ({ index, record, source: record.source, published: false })),
    findings: r.findings,
    sources: r.sources,
  };
}

/** Loads several sources, keeping their order. */
export async function loadKeyMaterials(specs: readonly KeySpec[], ctx: ResolveContext = {}): Promise<LoadedKeyMaterial> {
  const parts = await Promise.all(specs.map((s) => loadKeyMaterial(s, ctx)));
  return { entries: parts.flatMap((p) => p.entries), findings: parts.flatMap((p) => p.findings), sources: parts.flatMap((p) => p.sources) };
}
