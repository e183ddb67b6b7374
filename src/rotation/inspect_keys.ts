import { algorithmsForKey, getAlgorithm } from '../keys/algorithms.ts';
import { jwkThumbprint, type KeySourceInfo } from '../keys/import.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { assessKey, rsaModulusBits } from '../keys/trust.ts';
import type { KeyEntry } from './load_key_material.ts';

/** One row of `jwt-doctor keys`: identity only, never key material. */
export interface KeyRow {
  index: number;
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
  /** RSA modulus bits or HMAC secret bits. */
  bits?: number;
  crv?: string;
  /** RFC 7638 thumbprint (public keys). */
  thumbprint?: string;
  /** Keyed fingerprint (secrets). */
  fingerprint?: string;
  /** Algorithms the key can verify. */
  algorithms: string[];
  certificateExpires?: string;
  source: KeySourceInfo;
  /** 'ok', or 'invalid' when the key does not import (it then verifies nothing). */
  status: 'ok' | 'invalid';
  /** Codes of the findings about this key. */
  codes: string[];
}

export interface InspectOptions {
  /** The environment's allowed algorithms: a key usable by none is `key_unusable`. */
  algorithms?: readonly string[];
  /** UNIX seconds, for certificate expiry. */
  now: number;
}

export interface KeyInspection {
  rows: KeyRow[];
  findings: Finding[];
}

const KNOWN_KTY = new Set(['RSA', 'EC', 'OKP', 'oct']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function safeThumbprint(jwk: Record<string, unknown>): string | undefined {
  const need = jwk.kty === 'RSA' ? ['n', 'e'] : jwk.kty === 'EC' ? ['crv', 'x', 'y'] : jwk.kty === 'OKP' ? ['crv', 'x'] : [];
  if (need.length === 0 || need.some((m) => typeof jwk[m] !== 'string')) return undefined;
  try {
    return jwkThumbprint(jwk);
  } catch {
    return undefined;
  }
}

/**
 * Inspects a key set for the mistakes that break or weaken verification:
 * private members published, EC points off the curve, weak RSA exponents
 * and moduli, short HMAC secrets, duplicate or missing kids, keys without
 * use/alg, unknown kty, keys none of the allowed algorithms can use,
 * expired x5c certificates. Pure: the clock comes in as `now`.
 *
 * @example const { rows, findings } = inspectKeys(material.entries, { algorithms: ['RS256'], now: Date.now() / 1000 });
 */
export function inspectKeys(entries: readonly KeyEntry[], options: InspectOptions): KeyInspection {
  const findings: Finding[] = [];
  const rows: KeyRow[] = [];
  const allowed = options.algorithms && options.algorithms.length > 0 ? options.algorithms : undefined;
  for (const entry of entries) {
    const row = keyRow(entry);
    for (const f of keyFindings(entry, row, allowed, options.now)) {
      findings.push(f);
      row.codes.push(f.code);
    }
    rows.push(row);
  }
  findings.push(...setFindings(rows));
  return { rows, findings };
}

/** The row of one key: identity from the imported record, else from the raw JWK members. */
function keyRow(entry: KeyEntry): KeyRow {
  const jwk = entry.jwk;
  const rec = entry.record;
  const row: KeyRow = {
    index: entry.index,
    algorithms: rec?.algorithms ?? [],
    source: entry.source,
    status: rec ? 'ok' : 'invalid',
    codes: [],
  };
  const kid = rec?.kid ?? str(jwk?.kid);
  if (kid !== undefined) row.kid = kid;
  const kty = rec?.kty ?? str(jwk?.kty);
  if (kty !== undefined) row.kty = kty;
  const alg = rec?.alg ?? str(jwk?.alg);
  if (alg !== undefined) row.alg = alg;
  const use = rec?.use ?? str(jwk?.use);
  if (use !== undefined) row.use = use;
  if (rec?.bits !== undefined) row.bits = rec.bits;
  const crv = rec?.crv ?? str(jwk?.crv);
  if (crv !== undefined) row.crv = crv;
  if (rec?.thumbprint !== undefined) row.thumbprint = rec.thumbprint;
  else if (jwk) {
    const t = safeThumbprint(jwk);
    if (t) row.thumbprint = t;
  }
  if (rec?.fingerprint !== undefined) row.fingerprint = rec.fingerprint;
  if (rec?.certificateExpires !== undefined) row.certificateExpires = rec.certificateExpires;
  return row;
}

/** The findings about one key, in report order. */
function keyFindings(entry: KeyEntry, row: KeyRow, allowed: readonly string[] | undefined, now: number): Finding[] {
  const { jwk, record: rec } = entry;
  const at = {
    index: entry.index,
    ...(row.kid !== undefined ? { kid: row.kid } : {}),
    ...(row.thumbprint ? { thumbprint: row.thumbprint } : {}),
    source: entry.source.kind,
    ...(entry.source.location ? { location: entry.source.location } : {}),
  };
  if (jwk && (typeof jwk.kty !== 'string' || !KNOWN_KTY.has(jwk.kty))) {
    return [
      ...assessKey({ jwk, published: entry.published, at }).findings,
      makeFinding('key_type_unknown', { claim: 'keys.kty', actual: jwk.kty ?? null, expected: [...KNOWN_KTY], detail: at }),
    ];
  }
  if (row.kty === 'RSA' && row.bits === undefined) {
    const bits = rsaModulusBits({ ...(jwk ? { jwk } : {}) });
    if (bits !== undefined) row.bits = bits;
  }
  // The trust rules the verifying paths apply (src/keys/trust.ts): an error here means the key never verifies.
  const out = [
    ...assessKey({
      ...(jwk ? { jwk } : {}),
      ...(rec ? { record: rec } : {}),
      ...(entry.importError !== undefined ? { importError: entry.importError } : {}),
      published: entry.published,
      at,
    }).findings,
  ];
  if (!rec && !out.some((f) => f.code === 'ec_point_invalid'))
    out.push(makeFinding('key_invalid', { claim: 'keys', actual: entry.importError ?? 'not importable', detail: at }));
  if (rec?.kty === 'oct' && rec.bits !== undefined) {
    // RFC 7518 section 3.2: a key of the same size as the hash output or larger.
    const algs = rec.alg ? [rec.alg] : (allowed?.filter((a) => getAlgorithm(a)?.kty === 'oct') ?? ['HS256']);
    const need = Math.max(0, ...algs.map((a) => getAlgorithm(a)?.minSecretBytes ?? 0));
    if (need > 0 && rec.bits / 8 < need) {
      out.push(
        makeFinding('hmac_secret_too_short', {
          claim: 'keys',
          actual: rec.bits / 8,
          expected: need,
          detail: { ...at, bytes: rec.bits / 8, minBytes: need, algorithms: algs, fingerprint: rec.fingerprint },
        }),
      );
    }
  }
  if (jwk && (row.use === undefined || row.alg === undefined)) {
    const missing = [...(row.use === undefined ? ['use'] : []), ...(row.alg === undefined ? ['alg'] : [])];
    out.push(makeFinding('key_use_missing', { claim: 'keys', actual: missing, detail: { ...at, missing } }));
  }
  if (rec && allowed && row.use !== 'enc' && !rec.algorithms.some((a) => allowed.includes(a))) {
    const possible = rec.alg ? [rec.alg] : algorithmsForKey(rec.kty, rec.crv);
    out.push(
      makeFinding('key_unusable', {
        claim: 'keys',
        expected: [...allowed],
        actual: possible,
        detail: { ...at, keyAlgorithms: possible, allowed: [...allowed] },
      }),
    );
  }
  if (row.certificateExpires !== undefined && Date.parse(row.certificateExpires) / 1000 <= now) {
    out.push(
      makeFinding('certificate_expired', {
        claim: 'keys.x5c',
        actual: row.certificateExpires,
        detail: { ...at, notAfter: row.certificateExpires },
      }),
    );
  }
  return out;
}

/** Set-level checks: kid selection (RFC 7517 section 4.5, RFC 7515 section 4.1.4). */
function setFindings(rows: KeyRow[]): Finding[] {
  const findings: Finding[] = [];
  const byKid = new Map<string, KeyRow[]>();
  for (const row of rows) if (row.kid !== undefined && row.use !== 'enc') byKid.set(row.kid, [...(byKid.get(row.kid) ?? []), row]);
  for (const [kid, same] of byKid) {
    if (same.length < 2) continue;
    const prints = new Set(same.map((r) => r.thumbprint ?? r.fingerprint ?? `#${r.index}`));
    // The same key listed twice is harmless; two different keys under one kid make selection ambiguous.
    findings.push(
      makeFinding('duplicate_kid', {
        severity: prints.size > 1 ? 'error' : 'warning',
        claim: 'keys.kid',
        actual: kid,
        detail: { kid, indexes: same.map((r) => r.index), distinctKeys: prints.size },
      }),
    );
    for (const r of same) r.codes.push('duplicate_kid');
  }
  const noKid = rows.filter((r) => r.kid === undefined && r.use !== 'enc');
  if (noKid.length > 1) {
    findings.push(
      makeFinding('kid_missing', {
        claim: 'keys.kid',
        actual: noKid.length,
        detail: { indexes: noKid.map((r) => r.index), count: noKid.length },
      }),
    );
    for (const r of noKid) r.codes.push('kid_missing');
  }
  return findings;
}

/** The identity of a key for comparisons: thumbprint, or the secret's fingerprint. */
export function keyIdentity(row: { thumbprint?: string; fingerprint?: string }): string | undefined {
  return row.thumbprint ?? row.fingerprint;
}
