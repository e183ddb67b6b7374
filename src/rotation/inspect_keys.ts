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
    const jwk = entry.jwk;
    const rec = entry.record;
    const row: KeyRow = { index: entry.index, algorithms: rec?.algorithms ?? [], source: entry.source, status: rec ? 'ok' : 'invalid', codes: [] };
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
    const at = { index: entry.index, ...(kid !== undefined ? { kid } : {}), ...(row.thumbprint ? { thumbprint: row.thumbprint } : {}), source: entry.source.kind, ...(entry.source.location ? { location: entry.source.location } : {}) };
    const add = (f: Finding) => {
      findings.push(f);
      row.codes.push(f.code);
    };

    if (jwk && (typeof jwk.kty !== 'string' || !KNOWN_KTY.has(jwk.kty))) {
      for (const f of assessKey({ jwk, published: entry.published, at }).findings) add(f);
      add(makeFinding('key_type_unknown', { claim: 'keys.kty', actual: jwk.kty ?? null, expected: [...KNOWN_KTY], detail: at }));
      rows.push(row);
      continue;
    }
    if (row.kty === 'RSA' && row.bits === undefined) {
      const bits = rsaModulusBits({ ...(jwk ? { jwk } : {}) });
      if (bits !== undefined) row.bits = bits;
    }
    // The trust rules the verifying paths apply (src/keys/trust.ts): an error here means the key never verifies.
    const verdict = assessKey({ ...(jwk ? { jwk } : {}), ...(rec ? { record: rec } : {}), ...(entry.importError !== undefined ? { importError: entry.importError } : {}), published: entry.published, at });
    for (const f of verdict.findings) add(f);
    if (!rec && !row.codes.includes('ec_point_invalid')) {
      add(makeFinding('key_invalid', { claim: 'keys', actual: entry.importError ?? 'not importable', detail: at }));
    }
    if (rec?.kty === 'oct' && rec.bits !== undefined) {
      // RFC 7518 section 3.2: a key of the same size as the hash output or larger.
      const algs = rec.alg ? [rec.alg] : (allowed?.filter((a) => getAlgorithm(a)?.kty === 'oct') ?? ['HS256']);
      const need = Math.max(0, ...algs.map((a) => getAlgorithm(a)?.minSecretBytes ?? 0));
      if (need > 0 && rec.bits / 8 < need) {
        add(makeFinding('hmac_secret_too_short', { claim: 'keys', actual: rec.bits / 8, expected: need, detail: { ...at, bytes: rec.bits / 8, minBytes: need, algorithms: algs, fingerprint: rec.fingerprint } }));
      }
    }
    if (jwk && (use === undefined || alg === undefined)) {
      const missing = [...(use === undefined ? ['use'] : []), ...(alg === undefined ? ['alg'] : [])];
      add(makeFinding('key_use_missing', { claim: 'keys', actual: missing, detail: { ...at, missing } }));
    }
    if (rec && allowed && use !== 'enc') {
      const usable = rec.algorithms.filter((a) => allowed.includes(a));
      if (usable.length === 0) {
        const possible = rec.alg ? [rec.alg] : algorithmsForKey(rec.kty, rec.crv);
        add(makeFinding('key_unusable', { claim: 'keys', expected: [...allowed], actual: possible, detail: { ...at, keyAlgorithms: possible, allowed: [...allowed] } }));
      }
    }
    if (row.certificateExpires !== undefined && Date.parse(row.certificateExpires) / 1000 <= options.now) {
      add(makeFinding('certificate_expired', { claim: 'keys.x5c', actual: row.certificateExpires, detail: { ...at, notAfter: row.certificateExpires } }));
    }
    rows.push(row);
  }

  // Set-level checks: kid selection (RFC 7517 section 4.5, RFC 7515 section 4.1.4).
  const byKid = new Map<string, KeyRow[]>();
  for (const row of rows) if (row.kid !== undefined && row.use !== 'enc') byKid.set(row.kid, [...(byKid.get(row.kid) ?? []), row]);
  for (const [kid, same] of byKid) {
    if (same.length < 2) continue;
    const prints = new Set(same.map((r) => r.thumbprint ?? r.fingerprint ?? `#${r.index}`));
    // The same key listed twice is harmless; two different keys under one kid make selection ambiguous.
    const f = makeFinding('duplicate_kid', { severity: prints.size > 1 ? 'error' : 'warning', claim: 'keys.kid', actual: kid, detail: { kid, indexes: same.map((r) => r.index), distinctKeys: prints.size } });
    findings.push(f);
    for (const r of same) r.codes.push('duplicate_kid');
  }
  const noKid = rows.filter((r) => r.kid === undefined && r.use !== 'enc');
  if (noKid.length > 1) {
    findings.push(makeFinding('kid_missing', { claim: 'keys.kid', actual: noKid.length, detail: { indexes: noKid.map((r) => r.index), count: noKid.length } }));
    for (const r of noKid) r.codes.push('kid_missing');
  }
  return { rows, findings };
}

/** The identity of a key for comparisons: thumbprint, or the secret's fingerprint. */
export function keyIdentity(row: { thumbprint?: string; fingerprint?: string }): string | undefined {
  return row.thumbprint ?? row.fingerprint;
}
