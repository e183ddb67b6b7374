import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { makeFinding, type Finding } from '../reasons.ts';
import { fetchJson, type FetchOptions } from '../net/fetch_json.ts';
import { importJwk, importJwks, importPem, importSecretText, KeyImportError, type KeyRecord, type KeySourceInfo, type SecretEncoding } from './import.ts';

/** One entry of an environment's `keys` list (contract) or an inline flag. */
export type KeySpec =
  | { jwksFile: string }
  | { jwksUri: string; timeoutMs?: number }
  | { discovery: string | true; timeoutMs?: number }
  | { pem: string; kid?: string; alg?: string }
  | { jwk: string | Record<string, unknown> }
  | { secret: string | SecretSpec; kid?: string; alg?: string };

export interface SecretSpec {
  value?: string;
  env?: string;
  file?: string;
  encoding?: SecretEncoding;
}

export interface ResolveContext {
  /** Folder that relative paths are resolved against (the contract's). */
  baseDir?: string;
  /** Environment name stamped on every key's source. */
  env?: string;
  /** For `discovery: true`: the environment's issuer. */
  issuer?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Variables for `secret: { env }` (default process.env). */
  vars?: Record<string, string | undefined>;
}

export interface SourceReport {
  kind: KeySourceInfo['kind'];
  location?: string;
  ok: boolean;
  keyCount: number;
  error?: string;
  /** For fetched sources: HTTP caching headers, for rotation checks. */
  cacheControl?: string;
  expires?: string;
  /** Age and Date: how old the response already was (RFC 9111 section 4.2.3). */
  age?: string;
  date?: string;
  fetchedAt?: string;
  jwksUri?: string;
}

export interface ResolvedKeys {
  keys: KeyRecord[];
  findings: Finding[];
  sources: SourceReport[];
}

/** Resolves every key spec; a source that fails is a finding, never a throw. */
export async function resolveKeys(specs: readonly KeySpec[], ctx: ResolveContext = {}): Promise<ResolvedKeys> {
  const parts = await Promise.all(specs.map((s) => resolveKeySpec(s, ctx)));
  return {
    keys: parts.flatMap((p) => p.keys),
    findings: parts.flatMap((p) => p.findings),
    sources: parts.flatMap((p) => p.sources),
  };
}

function unreachable(source: KeySourceInfo, error: string, detail: Record<string, unknown> = {}): Finding {
  return makeFinding('jwks_unreachable', {
    claim: 'keys',
    actual: error,
    detail: { source: source.kind, ...(source.location ? { location: source.location } : {}), ...(source.env ? { env: source.env } : {}), error, ...detail },
  });
}

function pathOf(p: string, ctx: ResolveContext): string {
  return isAbsolute(p) ? p : resolve(ctx.baseDir ?? process.cwd(), p);
}

/** Fetch options for a key spec: its own timeout, else the context's; the context's body cap. */
export function fetchOptions(ctx: ResolveContext, spec: { timeoutMs?: number }): FetchOptions {
  const o: FetchOptions = {};
  const t = spec.timeoutMs ?? ctx.timeoutMs;
  if (t !== undefined) o.timeoutMs = t;
  if (ctx.maxBytes !== undefined) o.maxBytes = ctx.maxBytes;
  return o;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export async function resolveKeySpec(spec: KeySpec, ctx: ResolveContext = {}): Promise<ResolvedKeys> {
  const env = ctx.env !== undefined ? { env: ctx.env } : {};
  const fail = (source: KeySourceInfo, error: string, extra: Partial<SourceReport> = {}, detail: Record<string, unknown> = {}): ResolvedKeys => ({
    keys: [],
    findings: [unreachable(source, error, detail)],
    sources: [{ kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: false, keyCount: 0, error, ...extra }],
  });
  const fromJwks = (doc: unknown, source: KeySourceInfo, extra: Partial<SourceReport> = {}): ResolvedKeys => {
    try {
      const { keys, errors } = importJwks(doc, source);
      const findings = errors.map((e) =>
        makeFinding('jwks_unreachable', { severity: 'warning', claim: 'keys', actual: e.message, detail: { source: source.kind, location: source.location, index: e.index, kid: e.kid, error: 'invalid_key' } }),
      );
      return { keys, findings, sources: [{ kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: true, keyCount: keys.length, ...extra }] };
    } catch (e) {
      return fail(source, (e as Error).message, extra);
    }
  };

  if ('jwksFile' in spec) {
    const source: KeySourceInfo = { kind: 'jwks_file', location: spec.jwksFile, ...env };
    let doc: unknown;
    try {
      doc = JSON.parse(readText(pathOf(spec.jwksFile, ctx)));
    } catch (e) {
      return fail(source, fileError(e));
    }
    return fromJwks(doc, source);
  }
  if ('jwksUri' in spec) {
    const source: KeySourceInfo = { kind: 'jwks_uri', location: spec.jwksUri, ...env };
    const r = await fetchJson(spec.jwksUri, fetchOptions(ctx, spec));
    if (!r.ok) return fail(source, r.message, {}, { error: r.error, ...(r.status ? { status: r.status } : {}), elapsedMs: r.elapsedMs, message: r.message });
    return fromJwks(r.json, source, cacheInfo(r.headers, r.fetchedAt));
  }
  if ('discovery' in spec) {
    const issuer = spec.discovery === true ? ctx.issuer : spec.discovery;
    if (!issuer) return fail({ kind: 'discovery', ...env }, 'discovery: true needs the environment issuer');
    // OpenID Connect Discovery 1.0 section 4: issuer + /.well-known/openid-configuration
    const url = issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration';
    const source: KeySourceInfo = { kind: 'discovery', location: url, ...env };
    const meta = await fetchJson(url, fetchOptions(ctx, spec));
    if (!meta.ok) return fail(source, meta.message, {}, { error: meta.error, ...(meta.status ? { status: meta.status } : {}), stage: 'discovery', message: meta.message });
    const jwksUri = (meta.json as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== 'string') return fail(source, 'discovery document has no jwks_uri', {}, { stage: 'discovery', error: 'invalid_document' });
    const discoveredIssuer = (meta.json as { issuer?: unknown }).issuer;
    const r = await fetchJson(jwksUri, fetchOptions(ctx, spec));
    if (!r.ok) return fail(source, r.message, { jwksUri }, { error: r.error, ...(r.status ? { status: r.status } : {}), stage: 'jwks', jwksUri, message: r.message });
    const out = fromJwks(r.json, { ...source, location: jwksUri }, { ...cacheInfo(r.headers, r.fetchedAt), jwksUri });
    out.sources[0]!.location = url;
    if (typeof discoveredIssuer === 'string' && discoveredIssuer !== issuer && discoveredIssuer !== issuer.replace(/\/+$/, '')) {
      // OIDC Discovery section 4.3: the issuer in the document MUST match.
      out.findings.push(makeFinding('issuer_mismatch', { severity: 'warning', claim: 'discovery.issuer', expected: issuer, actual: discoveredIssuer, owner: 'signer', detail: { location: url } }));
    }
    return out;
  }
  if ('pem' in spec) {
    const inline = spec.pem.includes('-----BEGIN');
    const source: KeySourceInfo = { kind: 'pem', ...(inline ? {} : { location: spec.pem }), ...env };
    try {
      const text = inline ? spec.pem : readText(pathOf(spec.pem, ctx));
      const rec = importPem(text, source, { ...(spec.kid !== undefined ? { kid: spec.kid } : {}), ...(spec.alg !== undefined ? { alg: spec.alg } : {}) });
      return { keys: [rec], findings: [], sources: [{ kind: rec.source.kind, ...(source.location ? { location: source.location } : {}), ok: true, keyCount: 1 }] };
    } catch (e) {
      return fail(source, e instanceof KeyImportError ? e.message : fileError(e));
    }
  }
  if ('jwk' in spec) {
    const source: KeySourceInfo = { kind: 'jwk', ...(typeof spec.jwk === 'string' ? { location: spec.jwk } : {}), ...env };
    try {
      const doc = typeof spec.jwk === 'string' ? JSON.parse(readText(pathOf(spec.jwk, ctx))) : spec.jwk;
      if (doc && typeof doc === 'object' && Array.isArray((doc as { keys?: unknown }).keys)) return fromJwks(doc, { ...source, kind: 'jwks_file' });
      const rec = importJwk(doc, source);
      return { keys: [rec], findings: [], sources: [{ kind: 'jwk', ...(source.location ? { location: source.location } : {}), ok: true, keyCount: 1 }] };
    } catch (e) {
      return fail(source, e instanceof KeyImportError ? e.message : fileError(e));
    }
  }
  if ('secret' in spec) {
    const s: SecretSpec = typeof spec.secret === 'string' ? { value: spec.secret } : spec.secret;
    const encoding = s.encoding ?? 'utf8';
    const location = s.env !== undefined ? `env:${s.env}` : s.file !== undefined ? s.file : 'literal';
    const source: KeySourceInfo = { kind: 'secret', location, ...env, encoding };
    let text: string | undefined;
    try {
      if (s.value !== undefined) text = s.value;
      else if (s.env !== undefined) text = (ctx.vars ?? process.env)[s.env];
      else if (s.file !== undefined) text = readText(pathOf(s.file, ctx)).replace(/\r?\n$/, '');
    } catch (e) {
      return fail(source, fileError(e));
    }
    if (text === undefined || text === '') return fail(source, s.env !== undefined ? `environment variable ${s.env} is not set` : 'empty secret');
    try {
      const rec = importSecretText(text, encoding, source, { ...(spec.kid !== undefined ? { kid: spec.kid } : {}), ...(spec.alg !== undefined ? { alg: spec.alg } : {}) });
      return { keys: [rec], findings: [], sources: [{ kind: 'secret', location, ok: true, keyCount: 1 }] };
    } catch (e) {
      return fail(source, (e as Error).message);
    }
  }
  return fail({ kind: 'jwk' }, 'unknown key source');
}

/** The HTTP caching facts of a fetched key set, for rotation checks. */
export function cacheInfo(headers: Record<string, string>, fetchedAt: Date): Partial<SourceReport> {
  const out: Partial<SourceReport> = { fetchedAt: fetchedAt.toISOString() };
  if (headers['cache-control']) out.cacheControl = headers['cache-control'];
  if (headers.expires) out.expires = headers.expires;
  if (headers.age) out.age = headers.age;
  if (headers.date) out.date = headers.date;
  return out;
}

function fileError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return `file not found: ${err.path ?? ''}`.trim();
  if (err.code === 'EACCES') return `permission denied: ${err.path ?? ''}`.trim();
  if (e instanceof SyntaxError) return `not valid JSON: ${e.message}`;
  return err.message ?? String(e);
}
