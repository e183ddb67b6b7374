import { readFileSync } from 'node:fs';
import { fetchJson } from '../net/fetch_json.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { loadKeyMaterial } from './load_key_material.ts';
import { importEnvoy } from '../import/envoy.ts';
import { ImportError } from '../import/types.ts';
import { readConfigSource } from '../import/read_config.ts';
import { importJwk } from '../keys/import.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';

export const VERIFIER_KEYS_SCHEMA = 'jwt-doctor/verifier-keys/v1';
/** Default path of the middleware's debug endpoint. */
export { DEFAULT_DEBUG_PATH } from '../defaults.ts';

/** One key as the verifier reports it: identity only. */
export interface VerifierKey {
  kid?: string;
  kty?: string;
  alg?: string;
  thumbprint?: string;
  fingerprint?: string;
}

/** What the verifier actually uses (the debug endpoint's shape, agreed with the middleware). */
export interface VerifierKeys {
  /** Where we read it: the debug URL, the snapshot file or the verifier-side JWKS URL. */
  from: { kind: 'debug_endpoint' | 'snapshot' | 'jwks_uri' | 'envoy_config_dump'; location: string };
  env?: string;
  source?: { kind?: string; location?: string };
  fetchedAt?: string;
  cacheAgeSeconds?: number;
  ttlSeconds?: number;
  stale?: boolean;
  keys: VerifierKey[];
}

export type VerifierKeysResult = { ok: true; verifier: VerifierKeys } | { ok: false; finding: Finding };

function fail(kind: VerifierKeys['from']['kind'], location: string, error: string, message: string): VerifierKeysResult {
  return {
    ok: false,
    finding: makeFinding('verifier_unreachable', { claim: 'verifier', actual: message, detail: { from: kind, location, error, message } }),
  };
}

/**
 * Validates a `jwt-doctor/verifier-keys/v1` document (debug endpoint body
 * or snapshot file). Returns a message for what is wrong, never throws.
 *
 * @example parseVerifierKeys(JSON.parse(text), { kind: 'snapshot', location: 'snap.json' })
 */
export function parseVerifierKeys(doc: unknown, from: VerifierKeys['from']): VerifierKeys | string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'expected a JSON object';
  const d = doc as Record<string, unknown>;
  if (d.schema !== VERIFIER_KEYS_SCHEMA) return `expected "schema": "${VERIFIER_KEYS_SCHEMA}", found ${JSON.stringify(d.schema ?? null)}`;
  if (!Array.isArray(d.keys)) return 'expected a "keys" array';
  const keys: VerifierKey[] = [];
  for (const k of d.keys) {
    if (k === null || typeof k !== 'object') return 'every entry of "keys" must be an object';
    const o = k as Record<string, unknown>;
    const key: VerifierKey = {};
    for (const f of ['kid', 'kty', 'alg', 'thumbprint', 'fingerprint'] as const) if (typeof o[f] === 'string') key[f] = o[f] as string;
    keys.push(key);
  }
  const out: VerifierKeys = { from, keys };
  if (typeof d.env === 'string') out.env = d.env;
  if (d.source && typeof d.source === 'object') {
    const s = d.source as Record<string, unknown>;
    out.source = {
      ...(typeof s.kind === 'string' ? { kind: s.kind } : {}),
      ...(typeof s.location === 'string' ? { location: s.location } : {}),
    };
  }
  if (typeof d.fetchedAt === 'string' && !Number.isNaN(Date.parse(d.fetchedAt))) out.fetchedAt = d.fetchedAt;
  if (typeof d.cacheAgeSeconds === 'number' && Number.isFinite(d.cacheAgeSeconds)) out.cacheAgeSeconds = d.cacheAgeSeconds;
  if (typeof d.ttlSeconds === 'number' && Number.isFinite(d.ttlSeconds)) out.ttlSeconds = d.ttlSeconds;
  if (typeof d.stale === 'boolean') out.stale = d.stale;
  return out;
}

export interface ReadVerifierOptions {
  debugUrl?: string;
  snapshotFile?: string;
  /** A JWKS URL that stands for what the verifier has (a caching proxy, the verifier's own copy). */
  verifierJwksUrl?: string;
  /** An Envoy admin /config_dump (URL or file): the keys a gateway's jwt_authn holds inline (Istio inlines the JWKS it fetched). */
  envoyConfigDump?: string;
  timeoutMs?: number;
}

/**
 * Reads the verifier's cached key set from its debug endpoint, a snapshot
 * file, or a verifier-side JWKS URL. Failures come back as a
 * `verifier_unreachable` finding.
 *
 * @example const r = await readVerifierKeys({ debugUrl: 'http://127.0.0.1:3000/.well-known/jwt-doctor/keys' });
 */
export async function readVerifierKeys(options: ReadVerifierOptions): Promise<VerifierKeysResult> {
  if (options.debugUrl !== undefined) {
    const r = await fetchJson(options.debugUrl, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
    if (!r.ok) return fail('debug_endpoint', options.debugUrl, r.error, r.message);
    const v = parseVerifierKeys(r.json, { kind: 'debug_endpoint', location: options.debugUrl });
    return typeof v === 'string' ? fail('debug_endpoint', options.debugUrl, 'invalid_document', v) : { ok: true, verifier: v };
  }
  if (options.snapshotFile !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(options.snapshotFile, 'utf8'));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return fail(
        'snapshot',
        options.snapshotFile,
        code === 'ENOENT' ? 'not_found' : 'invalid_json',
        code === 'ENOENT' ? 'file not found' : 'not valid JSON',
      );
    }
    const v = parseVerifierKeys(doc, { kind: 'snapshot', location: options.snapshotFile });
    return typeof v === 'string' ? fail('snapshot', options.snapshotFile, 'invalid_document', v) : { ok: true, verifier: v };
  }
  if (options.envoyConfigDump !== undefined) return readEnvoyConfigDump(options.envoyConfigDump, options.timeoutMs);
  if (options.verifierJwksUrl !== undefined) {
    const m = await loadKeyMaterial(
      { jwksUri: options.verifierJwksUrl },
      options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {},
    );
    if (!m.sources[0]?.ok)
      return fail(
        'jwks_uri',
        options.verifierJwksUrl,
        String(m.findings[0]?.detail?.error ?? 'error'),
        m.sources[0]?.error ?? 'could not be read',
      );
    const keys: VerifierKey[] = m.entries.map((e) => ({
      ...(e.record?.kid !== undefined ? { kid: e.record.kid } : typeof e.jwk?.kid === 'string' ? { kid: e.jwk.kid } : {}),
      ...(e.record ? { kty: e.record.kty } : {}),
      ...(e.record?.alg !== undefined ? { alg: e.record.alg } : {}),
      ...(e.record?.thumbprint !== undefined ? { thumbprint: e.record.thumbprint } : {}),
    }));
    const v: VerifierKeys = { from: { kind: 'jwks_uri', location: options.verifierJwksUrl }, keys };
    if (m.sources[0].fetchedAt) v.fetchedAt = m.sources[0].fetchedAt;
    return { ok: true, verifier: v };
  }
  return fail(
    'debug_endpoint',
    '',
    'not_configured',
    'no verifier source: set verifier.debugUrl in the contract, or pass --debug-url, --snapshot or --verifier-jwks-url',
  );
}

/** The inline keys of every jwt_authn provider of an Envoy config_dump; a remote_jwks provider holds keys the dump does not show. */
async function readEnvoyConfigDump(location: string, timeoutMs: number | undefined): Promise<VerifierKeysResult> {
  const read = await readConfigSource(location, timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!read.ok) return fail('envoy_config_dump', location, read.error, read.message);
  const text = read.text;
  let keys: VerifierKey[];
  try {
    const specs = (importEnvoy(text, location).fields.keys as unknown[]).filter(
      (k): k is { jwk: Record<string, unknown> } => typeof k === 'object' && k !== null && 'jwk' in k,
    );
    if (specs.length === 0)
      return fail(
        'envoy_config_dump',
        location,
        'no_inline_keys',
        'no jwt_authn provider with local_jwks.inline_string: the gateway fetches its keys (remote_jwks), which the dump does not show',
      );
    keys = specs.map(({ jwk }) => {
      const r = importJwk(jwk, { kind: 'jwk', location });
      return {
        ...(r.kid !== undefined ? { kid: r.kid } : {}),
        kty: r.kty,
        ...(r.alg !== undefined ? { alg: r.alg } : {}),
        ...(r.thumbprint !== undefined ? { thumbprint: r.thumbprint } : {}),
      };
    });
  } catch (e) {
    return fail(
      'envoy_config_dump',
      location,
      'invalid_document',
      e instanceof ImportError ? e.message : 'a key in the dump does not import',
    );
  }
  return { ok: true, verifier: { from: { kind: 'envoy_config_dump', location }, keys } };
}
