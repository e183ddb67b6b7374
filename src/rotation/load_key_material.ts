import type { Finding } from '../reasons.ts';
import { importJwk, type KeyRecord, type KeySourceInfo } from '../keys/import.ts';
import {
  failedSource,
  isJsonKeySpec,
  readKeyDocument,
  resolveKeySpec,
  type KeySpec,
  type ResolveContext,
  type SourceReport,
} from '../keys/sources.ts';

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

/**
 * Loads one key source keeping each key's raw JWK next to its import
 * result, so inspection can see what `importJwk` drops (private members,
 * the exponent, a point off the curve). The source is read by the same
 * code as the verifying paths (`readKeyDocument`: timeout, body cap,
 * discovery rules); only the import differs: every key is kept, trusted
 * or not, because inspecting it is the point. Failures are findings
 * (`jwks_unreachable`), never throws.
 *
 * @example const m = await loadKeyMaterial({ jwksUri: 'https://auth.example.com/jwks.json' }, { timeoutMs: 3000 });
 */
export async function loadKeyMaterial(spec: KeySpec, ctx: ResolveContext = {}): Promise<LoadedKeyMaterial> {
  if (!isJsonKeySpec(spec)) {
    // PEM, certificate and secrets have no JWK members to inspect: import them as the core does.
    const r = await resolveKeySpec(spec, ctx);
    return {
      entries: r.keys.map((record, index) => ({ index, record, source: record.source, published: false })),
      findings: r.findings,
      sources: r.sources,
    };
  }
  const d = await readKeyDocument(spec, ctx);
  if (!d.ok) return { entries: [], findings: d.failed.findings, sources: d.failed.sources };
  const entries = entriesFromDoc(d.doc, d.source, d.published);
  if (typeof entries === 'string') {
    const failed = failedSource(
      { ...d.source, ...d.report },
      entries,
      { error: 'invalid_document', ...(d.published ? { url: d.source.location } : {}) },
      d.extra,
    );
    return { entries: [], findings: failed.findings, sources: failed.sources };
  }
  return { entries, findings: [], sources: [{ ...d.report, ok: true, keyCount: entries.filter((e) => e.record).length, ...d.extra }] };
}

/** Loads several sources, keeping their order. */
export async function loadKeyMaterials(specs: readonly KeySpec[], ctx: ResolveContext = {}): Promise<LoadedKeyMaterial> {
  const parts = await Promise.all(specs.map((s) => loadKeyMaterial(s, ctx)));
  return { entries: parts.flatMap((p) => p.entries), findings: parts.flatMap((p) => p.findings), sources: parts.flatMap((p) => p.sources) };
}
