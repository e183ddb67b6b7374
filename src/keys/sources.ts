import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { makeFinding, type Finding } from '../reasons.ts';
import { fetchJson, type FetchFailure, type FetchOptions, type FetchSuccess, type RedirectPolicy } from '../net/fetch_json.ts';
import {
  importJwk,
  importPem,
  importSecretText,
  KeyImportError,
  type KeyRecord,
  type KeySourceInfo,
  type SecretEncoding,
} from './import.ts';
import { assessKey, checkDiscoveryDocument, discoveryTarget, screenJwks } from './trust.ts';
import type { Expectations } from '../expectations.ts';
import type { SourceReport } from './source_report.ts';

export type { SourceReport };

/** One entry of an environment's `keys` list (contract) or an inline flag. */
export type KeySpec =
  | { jwksFile: string }
  | { jwksUri: string; timeoutMs?: number; redirects?: RedirectPolicy }
  | { discovery: string | true; timeoutMs?: number; redirects?: RedirectPolicy }
  | { pem: string; kid?: string; alg?: string }
  | { jwk: string | Record<string, unknown> }
  | { secret: string | SecretSpec; kid?: string; alg?: string };

export interface SecretSpec {
  value?: string;
  env?: string;
  file?: string;
  encoding?: SecretEncoding;
  /** Read a utf8 secret trimmed of whitespace at its ends, as a verifier that trims does (default: raw, docs/security.md). */
  trim?: boolean;
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

/** What the caller adds to an environment's own facts when loading its keys. */
export interface KeyLoadOptions {
  /** Folder for relative key paths: the contract's `baseDir` (default cwd). */
  baseDir?: string;
  timeoutMs?: number;
  maxBytes?: number;
  vars?: Record<string, string | undefined>;
}

/**
 * The key-loading context of one contract environment: its name stamped on
 * every key's source, its first issuer for `discovery: true`, plus the
 * caller's folder, timeout, body cap and variables. Every front end that
 * loads an environment's keys builds the context here.
 *
 * @example resolveKeys(env.keys ?? [], keyContextFor(env, { baseDir: contract.baseDir, timeoutMs: 3000 }))
 */
export function keyContextFor(env: Pick<Expectations, 'name' | 'issuer'>, options: KeyLoadOptions = {}): ResolveContext {
  return {
    ...(env.name !== undefined ? { env: env.name } : {}),
    ...(env.issuer?.[0] !== undefined ? { issuer: env.issuer[0] } : {}),
    ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
  };
}

export interface ResolvedKeys {
  keys: KeyRecord[];
  findings: Finding[];
  sources: SourceReport[];
  /** RFC 7638 thumbprints published with private members: a cache drops them from its last good set too. */
  leaked?: string[];
  /**
   * Keys a set publishes for another use (`use: "enc"`): never verify, kept
   * so that a token naming one hears why (key_not_found, cause key_use_excluded).
   */
  excluded?: KeyRecord[];
}

/** Resolves every key spec; a source that fails is a finding, never a throw. */
export async function resolveKeys(specs: readonly KeySpec[], ctx: ResolveContext = {}): Promise<ResolvedKeys> {
  const parts = await Promise.all(specs.map((s) => resolveKeySpec(s, ctx)));
  const excluded = parts.flatMap((p) => p.excluded ?? []);
  return {
    keys: parts.flatMap((p) => p.keys),
    findings: parts.flatMap((p) => p.findings),
    sources: parts.flatMap((p) => p.sources),
    ...(excluded.length > 0 ? { excluded } : {}),
  };
}

function unreachable(source: KeySourceInfo, error: string, detail: Record<string, unknown> = {}): Finding {
  return makeFinding('jwks_unreachable', {
    claim: 'keys',
    actual: error,
    detail: {
      source: source.kind,
      ...(source.location ? { location: source.location } : {}),
      ...(source.env ? { env: source.env } : {}),
      error,
      ...detail,
    },
  });
}

function pathOf(p: string, ctx: ResolveContext): string {
  return isAbsolute(p) ? p : resolve(ctx.baseDir ?? process.cwd(), p);
}

/**
 * Fetch options for a key spec: its own timeout, else the context's; the
 * context's body cap; its redirect policy (default none: docs/security.md).
 */
export function fetchOptions(ctx: ResolveContext, spec: { timeoutMs?: number; redirects?: RedirectPolicy }): FetchOptions {
  const o: FetchOptions = { redirects: spec.redirects ?? 'none' };
  const t = spec.timeoutMs ?? ctx.timeoutMs;
  if (t !== undefined) o.timeoutMs = t;
  if (ctx.maxBytes !== undefined) o.maxBytes = ctx.maxBytes;
  return o;
}

/** The detail of a failed fetch, for its jwks_unreachable finding: error kind, status, redirect target, Retry-After. */
export function fetchFailureDetail(r: FetchFailure): Record<string, unknown> {
  return {
    error: r.error,
    ...(r.status ? { status: r.status } : {}),
    ...(r.redirect !== undefined ? { redirect: r.redirect } : {}),
    ...(r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds } : {}),
    ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
    elapsedMs: r.elapsedMs,
    message: r.message,
  };
}

export type DiscoveryResult =
  { ok: true; url: string; issuer: string; jwksUri: string } | { ok: false; url: string; finding: Finding; error: string };

/**
 * Fetches an OIDC discovery document (OpenID Connect Discovery 1.0 section
 * 4) and returns its jwks_uri, or the finding that says why it is not
 * used: fetch failure, no jwks_uri, another issuer (section 4.3), an http
 * jwks_uri from an https document.
 *
 * @example const d = await fetchDiscovery('https://auth.example.com', { timeoutMs: 3000 });
 */
export async function fetchDiscovery(value: string, options: FetchOptions, source: KeySourceInfo): Promise<DiscoveryResult> {
  const { issuer, url } = discoveryTarget(value);
  const at = { source: source.kind, location: url, ...(source.env ? { env: source.env } : {}), stage: 'discovery' };
  const meta = await fetchJson(url, options);
  if (!meta.ok) return { ok: false, url, error: meta.message, finding: unreachableAt(at, meta.message, fetchFailureDetail(meta)) };
  const jwksUri = (meta.json as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof jwksUri !== 'string')
    return {
      ok: false,
      url,
      error: 'discovery document has no jwks_uri',
      finding: unreachableAt(at, 'discovery document has no jwks_uri', { error: 'invalid_document' }),
    };
  const refused = checkDiscoveryDocument(issuer, meta.json, url);
  if (refused)
    return {
      ok: false,
      url,
      error:
        refused.code === 'discovery_issuer_mismatch'
          ? `discovery document names issuer ${JSON.stringify(refused.actual)}, not ${issuer}`
          : 'http jwks_uri named by an https discovery document',
      finding: refused,
    };
  return { ok: true, url, issuer, jwksUri };
}

function unreachableAt(at: Record<string, unknown>, error: string, detail: Record<string, unknown>): Finding {
  return makeFinding('jwks_unreachable', { claim: 'keys', actual: error, detail: { ...at, error, ...detail } });
}

/** One fetched JWKS (jwksUri, or the jwks_uri of a discovery document): the raw JSON or the failure finding. */
async function fetchKeySet(url: string, options: FetchOptions, at: Record<string, unknown>): Promise<FetchSuccess | Finding> {
  const r = await fetchJson(url, options);
  return r.ok ? r : unreachableAt(at, r.message, fetchFailureDetail(r));
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The key sources that are JSON documents (a JWK Set, or one JWK): the others are PEM and secrets. */
export type JsonKeySpec = Extract<KeySpec, { jwksFile: string } | { jwksUri: string } | { discovery: string | true } | { jwk: unknown }>;

export function isJsonKeySpec(spec: KeySpec): spec is JsonKeySpec {
  return 'jwksFile' in spec || 'jwksUri' in spec || 'discovery' in spec || 'jwk' in spec;
}

/**
 * A JSON key source read or fetched, before any key is imported: the
 * document, where its keys come from (`source`; for discovery the
 * jwks_uri), the source's report (`report`; for discovery the document
 * URL) with its HTTP caching facts (`extra`), and whether it was served
 * (a private member there is a leak). Or the failure, as findings.
 */
export type KeyDocument =
  | {
      ok: true;
      doc: unknown;
      source: KeySourceInfo;
      published: boolean;
      report: Pick<SourceReport, 'kind' | 'location'>;
      extra: Partial<SourceReport>;
    }
  | { ok: false; failed: ResolvedKeys };

/**
 * Reads or fetches the document of a JSON key source, the one place key
 * material is acquired for both loaders: `resolveKeySpec` (the trusted
 * keys a verifier uses) and rotation's `loadKeyMaterial` (every key with
 * its raw JWK, for inspection). Fetches go through `fetchJson` (timeout,
 * body cap, JSON media type, redirect policy); discovery through
 * `fetchDiscovery` (issuer identical, OpenID Connect Discovery section 4.3).
 * Never throws.
 *
 * @example const d = await readKeyDocument({ jwksUri: 'https://auth.example.com/jwks.json' }, { timeoutMs: 3000 });
 */
export async function readKeyDocument(spec: JsonKeySpec, ctx: ResolveContext = {}): Promise<KeyDocument> {
  const env = ctx.env !== undefined ? { env: ctx.env } : {};
  if ('jwksFile' in spec) return readJsonFile(spec.jwksFile, { kind: 'jwks_file', location: spec.jwksFile, ...env }, ctx);
  if ('jwk' in spec) {
    const source: KeySourceInfo = { kind: 'jwk', ...(typeof spec.jwk === 'string' ? { location: spec.jwk } : {}), ...env };
    return typeof spec.jwk === 'string' ? readJsonFile(spec.jwk, source, ctx) : keyDocument(spec.jwk, source, false);
  }
  if ('jwksUri' in spec) {
    const source: KeySourceInfo = { kind: 'jwks_uri', location: spec.jwksUri, ...env };
    const r = await fetchKeySet(spec.jwksUri, fetchOptions(ctx, spec), { source: source.kind, location: spec.jwksUri, ...env });
    if (!('ok' in r)) return { ok: false, failed: failWith(source, r, String(r.actual)) };
    return keyDocument(r.json, source, true, cacheInfo(r.headers, r.fetchedAt));
  }
  return readDiscoveryDocument(spec, ctx);
}

function keyDocument(
  doc: unknown,
  source: KeySourceInfo,
  published: boolean,
  extra: Partial<SourceReport> = {},
  reportLocation = source.location,
): KeyDocument {
  return {
    ok: true,
    doc,
    source,
    published,
    report: { kind: source.kind, ...(reportLocation ? { location: reportLocation } : {}) },
    extra,
  };
}

function readJsonFile(path: string, source: KeySourceInfo, ctx: ResolveContext): KeyDocument {
  try {
    return keyDocument(JSON.parse(readText(pathOf(path, ctx))), source, false);
  } catch (e) {
    return { ok: false, failed: failedSource(source, fileError(e)) };
  }
}

async function readDiscoveryDocument(spec: Extract<KeySpec, { discovery: string | true }>, ctx: ResolveContext): Promise<KeyDocument> {
  const env = ctx.env !== undefined ? { env: ctx.env } : {};
  const value = spec.discovery === true ? ctx.issuer : spec.discovery;
  if (!value) return { ok: false, failed: failedSource({ kind: 'discovery', ...env }, 'discovery: true needs the environment issuer') };
  const options = fetchOptions(ctx, spec);
  const source: KeySourceInfo = { kind: 'discovery', location: discoveryTarget(value).url, ...env };
  const d = await fetchDiscovery(value, options, source);
  if (!d.ok) return { ok: false, failed: failWith(source, d.finding, d.error) };
  const r = await fetchKeySet(d.jwksUri, options, { source: 'discovery', location: d.url, ...env, stage: 'jwks', jwksUri: d.jwksUri });
  if (!('ok' in r)) return { ok: false, failed: failWith(source, r, String(r.actual), { jwksUri: d.jwksUri }) };
  return keyDocument(r.json, { ...source, location: d.jwksUri }, true, { ...cacheInfo(r.headers, r.fetchedAt), jwksUri: d.jwksUri }, d.url);
}

/**
 * Resolves one key spec into the keys a verifier may use, through the
 * trust rules (src/keys/trust.ts). A source that fails is a finding,
 * never a throw.
 *
 * @example const r = await resolveKeySpec({ jwksUri: 'https://auth.example.com/jwks.json' }, keyContextFor(env));
 */
export async function resolveKeySpec(spec: KeySpec, ctx: ResolveContext = {}): Promise<ResolvedKeys> {
  if ('pem' in spec) return resolvePem(spec, ctx);
  if ('secret' in spec) return resolveSecret(spec, ctx);
  if (!isJsonKeySpec(spec)) return failedSource({ kind: 'jwk' }, 'unknown key source');
  const d = await readKeyDocument(spec, ctx);
  if (!d.ok) return d.failed;
  if ('jwk' in spec) return fromJwkDocument(d.doc, d.source);
  const out = fromJwks(d.doc, d.source, d.published, d.extra);
  // Discovery: the source is reported under the document's URL, its keys under the jwks_uri.
  if (d.report.location !== undefined) out.sources[0]!.location = d.report.location;
  return out;
}

function resolvePem(spec: Extract<KeySpec, { pem: string }>, ctx: ResolveContext): ResolvedKeys {
  const inline = spec.pem.includes('-----BEGIN');
  const source: KeySourceInfo = {
    kind: 'pem',
    ...(inline ? {} : { location: spec.pem }),
    ...(ctx.env !== undefined ? { env: ctx.env } : {}),
  };
  try {
    const text = inline ? spec.pem : readText(pathOf(spec.pem, ctx));
    const rec = importPem(text, source, {
      ...(spec.kid !== undefined ? { kid: spec.kid } : {}),
      ...(spec.alg !== undefined ? { alg: spec.alg } : {}),
    });
    return fromRecord(rec, undefined, source);
  } catch (e) {
    return failedSource(source, e instanceof KeyImportError ? e.message : fileError(e));
  }
}

/** A `jwk` source: a JWK Set (then a set like a JWKS file), or one JWK. */
function fromJwkDocument(doc: unknown, source: KeySourceInfo): ResolvedKeys {
  if (doc && typeof doc === 'object' && Array.isArray((doc as { keys?: unknown }).keys))
    return fromJwks(doc, { ...source, kind: 'jwks_file' }, false);
  try {
    return fromRecord(importJwk(doc, source), doc as Record<string, unknown>, source);
  } catch (e) {
    return failedSource(source, e instanceof KeyImportError ? e.message : fileError(e));
  }
}

/** A source that yielded no key: its `jwks_unreachable` finding and its failed report. */
export function failedSource(
  source: KeySourceInfo,
  error: string,
  detail: Record<string, unknown> = {},
  extra: Partial<SourceReport> = {},
): ResolvedKeys {
  return failWith(source, unreachable(source, error, detail), error, extra);
}

function failWith(source: KeySourceInfo, finding: Finding, error: string, extra: Partial<SourceReport> = {}): ResolvedKeys {
  return {
    keys: [],
    findings: [finding],
    sources: [{ kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: false, keyCount: 0, error, ...extra }],
  };
}

/**
 * A JWK Set through the trust rules (src/keys/trust.ts): keys that fail
 * them are left out with their finding; keys that do not import are
 * warnings (the rest of the set still verifies).
 */
function fromJwks(doc: unknown, source: KeySourceInfo, published: boolean, extra: Partial<SourceReport> = {}): ResolvedKeys {
  let screened;
  try {
    screened = screenJwks(doc, source, published);
  } catch (e) {
    return failWith(source, unreachable(source, (e as Error).message), (e as Error).message, extra);
  }
  const findings = [
    ...screened.findings,
    ...screened.invalid.map((e) =>
      makeFinding('jwks_unreachable', {
        severity: 'warning',
        claim: 'keys',
        actual: e.message,
        detail: { source: source.kind, location: source.location, index: e.index, kid: e.kid, error: 'invalid_key' },
      }),
    ),
  ];
  const out: ResolvedKeys = {
    keys: screened.keys,
    findings,
    sources: [
      { kind: source.kind, ...(source.location ? { location: source.location } : {}), ok: true, keyCount: screened.keys.length, ...extra },
    ],
  };
  if (screened.leaked.length > 0) out.leaked = screened.leaked;
  if (screened.excluded.length > 0) out.excluded = screened.excluded;
  return out;
}

/** One local key (PEM, certificate, JWK) through the same trust rules: a 512-bit RSA PEM is refused too. */
function fromRecord(rec: KeyRecord, jwk: Record<string, unknown> | undefined, source: KeySourceInfo): ResolvedKeys {
  const at = {
    ...(rec.kid !== undefined ? { kid: rec.kid } : {}),
    ...(rec.thumbprint ? { thumbprint: rec.thumbprint } : {}),
    source: rec.source.kind,
    ...(source.location ? { location: source.location } : {}),
  };
  const verdict = assessKey({ record: rec, ...(jwk ? { jwk } : {}), published: false, at });
  const report: SourceReport = {
    kind: rec.source.kind,
    ...(source.location ? { location: source.location } : {}),
    ok: true,
    keyCount: verdict.usable ? 1 : 0,
  };
  return { keys: verdict.usable ? [rec] : [], findings: verdict.findings, sources: [report] };
}

async function resolveSecret(spec: Extract<KeySpec, { secret: unknown }>, ctx: ResolveContext): Promise<ResolvedKeys> {
  const env = ctx.env !== undefined ? { env: ctx.env } : {};
  const s: SecretSpec = typeof spec.secret === 'string' ? { value: spec.secret } : spec.secret;
  const encoding = s.encoding ?? 'utf8';
  const location = s.env !== undefined ? `env:${s.env}` : s.file !== undefined ? s.file : 'literal';
  const source: KeySourceInfo = { kind: 'secret', location, ...env, encoding };
  const fail = (error: string) => failedSource(source, error);
  let text: string | undefined;
  try {
    if (s.value !== undefined) text = s.value;
    else if (s.env !== undefined) text = (ctx.vars ?? process.env)[s.env];
    // As stored: a trailing newline is part of the value unless the spec says trim (importSecretText, source.reading).
    else if (s.file !== undefined) text = readText(pathOf(s.file, ctx));
  } catch (e) {
    return fail(fileError(e));
  }
  if (text === undefined || text === '') return fail(s.env !== undefined ? `environment variable ${s.env} is not set` : 'empty secret');
  if (text.trim() === '') return fail('the secret is only whitespace');
  try {
    const rec = importSecretText(
      text,
      encoding,
      source,
      { ...(spec.kid !== undefined ? { kid: spec.kid } : {}), ...(spec.alg !== undefined ? { alg: spec.alg } : {}) },
      s.trim === true ? { trim: true } : {},
    );
    return { keys: [rec], findings: [], sources: [{ kind: 'secret', location, ok: true, keyCount: 1 }] };
  } catch (e) {
    return fail((e as Error).message);
  }
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
