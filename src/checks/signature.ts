import { createHmac, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { makeFinding, type Finding } from '../reasons.ts';
import { algorithmsForKey, getAlgorithm, isAlgNone, type AlgorithmEntry } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import type { JsonObject } from '../token/decode.ts';
import { scratchView } from '../token/base64url.ts';
import { MAX_CANDIDATE_KEYS, MAX_PROVENANCE_VERIFICATIONS } from '../defaults.ts';

export interface SignatureReport {
  status: 'pass' | 'fail' | 'skipped';
  alg?: string;
  kid?: string;
  thumbprint?: string;
  fingerprint?: string;
  source?: Record<string, unknown>;
  /** How many trusted keys were tried. */
  candidates: number;
}

const DATA_SCRATCH = Buffer.allocUnsafe(32 * 1024);

/** The key argument crypto.verify takes for this algorithm (RFC 7518 section 3). */
function verifyKeyArg(alg: AlgorithmEntry, key: KeyRecord): Parameters<typeof cryptoVerify>[2] {
  if (alg.kty === 'EC') return { key: key.keyObject, dsaEncoding: 'ieee-p1363' };
  if (alg.kty === 'RSA' && alg.saltLength !== undefined) return { key: key.keyObject, padding: alg.padding!, saltLength: alg.saltLength };
  return key.keyObject;
}

/** Verifies one signature with one key, synchronously. */
export type SignatureVerifier = (key: KeyRecord, signingInput: string, signature: Buffer) => boolean;

/** crypto.verify needs bytes: write the signing input into reused scratch space (it keeps no reference). */
function signingBytes(signingInput: string): Buffer {
  return signingInput.length <= DATA_SCRATCH.length
    ? scratchView(DATA_VIEWS, DATA_SCRATCH, DATA_SCRATCH.write(signingInput, 'latin1'))
    : Buffer.from(signingInput, 'latin1');
}
const DATA_VIEWS = new Map<number, Buffer>();

/**
 * One specialised function per algorithm family, so each call site the
 * prepared diagnoser keeps stays monomorphic: a verifier that has seen
 * HS256 tokens does not slow down on RS256 ones.
 */
function buildVerifier(alg: AlgorithmEntry): SignatureVerifier {
  const hash = alg.hash;
  switch (alg.kty) {
    case 'oct':
      return (key, signingInput, signature) => {
        const mac = createHmac(hash!, key.keyObject).update(signingInput).digest();
        return mac.length === signature.length && timingSafeEqual(mac, signature);
      };
    case 'EC': {
      const bytes = alg.signatureBytes!;
      // RFC 7518 section 3.4: an ECDSA signature is exactly R||S of fixed length.
      return (key, signingInput, signature) => {
        if (signature.length !== bytes) return false;
        try {
          return cryptoVerify(hash, signingBytes(signingInput), { key: key.keyObject, dsaEncoding: 'ieee-p1363' }, signature);
        } catch {
          return false;
        }
      };
    }
    case 'RSA':
      if (alg.saltLength !== undefined) {
        const padding = alg.padding!;
        const saltLength = alg.saltLength;
        return (key, signingInput, signature) => {
          try {
            return cryptoVerify(hash, signingBytes(signingInput), { key: key.keyObject, padding, saltLength }, signature);
          } catch {
            return false;
          }
        };
      }
      return (key, signingInput, signature) => {
        try {
          return cryptoVerify(hash, signingBytes(signingInput), key.keyObject, signature);
        } catch {
          return false;
        }
      };
    default:
      return (key, signingInput, signature) => {
        try {
          return cryptoVerify(null, signingBytes(signingInput), key.keyObject, signature);
        } catch {
          return false;
        }
      };
  }
}

const verifiers = new Map<AlgorithmEntry, SignatureVerifier>();

/** The specialised synchronous verifier for an algorithm (built once per entry). */
export function verifierFor(alg: AlgorithmEntry): SignatureVerifier {
  let v = verifiers.get(alg);
  if (!v) verifiers.set(alg, (v = buildVerifier(alg)));
  return v;
}

/** Verifies a signature with one key, synchronously (cached KeyObject). */
export function verifyWithKey(alg: AlgorithmEntry, key: KeyRecord, signingInput: string, signature: Buffer): boolean {
  return verifierFor(alg)(key, signingInput, signature);
}

/**
 * The same verification on libuv's thread pool (crypto.verify with a
 * callback): a server with spare cores verifies RSA/EC/EdDSA signatures in
 * parallel with its event loop. HMAC stays synchronous (cheaper than the
 * hop). Inputs are copied: the caller's buffers may be reused meanwhile.
 */
export function verifyWithKeyAsync(alg: AlgorithmEntry, key: KeyRecord, signingInput: string, signature: Buffer): Promise<boolean> {
  if (alg.kty === 'oct') return Promise.resolve(verifyWithKey(alg, key, signingInput, signature));
  if (alg.signatureBytes !== undefined && signature.length !== alg.signatureBytes) return Promise.resolve(false);
  const data = Buffer.from(signingInput, 'latin1');
  const sig = Buffer.from(signature);
  return new Promise((resolve) => {
    try {
      cryptoVerify(alg.hash, data, verifyKeyArg(alg, key), sig, (err, ok) => resolve(!err && ok));
    } catch {
      resolve(false);
    }
  });
}

export interface AlgorithmCheck {
  findings: Finding[];
  /** The resolved algorithm, when the header's alg is allowed and known. */
  alg?: AlgorithmEntry;
}

/**
 * RFC 8725 sections 2.1 and 3.1: the token's alg must be on our allow
 * list (from the contract, or what our keys can verify), never `none`.
 */
export function checkAlgorithm(header: JsonObject, allowed: ReadonlySet<string>): AlgorithmCheck {
  const raw = header.alg;
  if (isAlgNone(raw)) {
    return { findings: [makeFinding('alg_none', { claim: 'header.alg', expected: [...allowed], actual: raw })] };
  }
  const alg = getAlgorithm(raw);
  if (!alg || !allowed.has(alg.name)) {
    return {
      findings: [
        makeFinding('alg_not_allowed', { claim: 'header.alg', expected: [...allowed], actual: raw, detail: { known: alg !== undefined } }),
      ],
    };
  }
  return { findings: [], alg };
}

/** RFC 8725 section 3.10 / RFC 7515 4.1.2-4.1.6: keys named by the token are never fetched or trusted. */
export function checkKeyReferences(header: JsonObject): Finding[] {
  const present = ['jku', 'x5u', 'jwk', 'x5c'].filter((m) => m in header);
  if (present.length === 0) return [];
  return [makeFinding('untrusted_key_reference', { claim: 'header', actual: present, detail: { members: present, ignored: true } })];
}

export interface KeySelection {
  keys: KeyRecord[];
  findings: Finding[];
}

/** The candidate-key bound (its reasons: src/defaults.ts). */
export { MAX_CANDIDATE_KEYS };

/**
 * Picks the trusted keys that may verify this token. A kid selects among
 * keys that have kids, with no fall-back to other kid-bearing keys;
 * kid-less keys (a PEM, a bare secret) serve any token whose alg fits.
 * At most MAX_CANDIDATE_KEYS: more is key_not_found. `excluded` are keys
 * a source published for another use (`use: "enc"`): they never verify,
 * and a token that names one hears why (reason `key_use_excluded`).
 */
export function selectKeys(
  header: JsonObject,
  alg: AlgorithmEntry,
  keys: readonly KeyRecord[],
  excluded: readonly KeyRecord[] = [],
): KeySelection {
  const sel = selectAllKeys(header, alg, keys, excluded);
  if (sel.keys.length <= MAX_CANDIDATE_KEYS) return sel;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  return {
    keys: [],
    findings: [
      makeFinding('key_not_found', {
        claim: 'header.kid',
        actual: kid ?? null,
        hint: `Give every key a kid and have the signer put it in the token header: at most ${MAX_CANDIDATE_KEYS} keys are tried per token, and ${sel.keys.length} match.`,
        detail: {
          alg: alg.name,
          reason: 'too_many_candidates',
          candidates: sel.keys.length,
          maxCandidates: MAX_CANDIDATE_KEYS,
          trustedKeys: keys.length,
          ...(kid === undefined ? { tokenHasKid: false } : { kid }),
        },
      }),
    ],
  };
}

function selectAllKeys(header: JsonObject, alg: AlgorithmEntry, keys: readonly KeyRecord[], excluded: readonly KeyRecord[]): KeySelection {
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const name = alg.name;
  if (kid !== undefined) {
    const byKid = keys.filter((k) => k.kid === kid);
    const usable = byKid.filter((k) => fitsAlg(k, name));
    if (usable.length > 0) return { keys: usable, findings: [] };
    const barred = excludedFor(alg, byKid);
    if (barred.length > 0) return { keys: [], findings: [keyUseExcluded(kid, alg, barred, keys)] };
    // The kid names a key of another type: algorithm confusion (HS256 against an RSA key).
    if (byKid.length > 0) return { keys: [], findings: [keyTypeMismatch(alg, byKid, kid)] };
    const kidless = keys.filter((k) => k.kid === undefined && fitsAlg(k, name));
    if (kidless.length > 0) return { keys: kidless, findings: [] };
    const barredElsewhere = excludedFor(
      alg,
      excluded.filter((k) => k.kid === kid),
    );
    if (barredElsewhere.length > 0) return { keys: [], findings: [keyUseExcluded(kid, alg, barredElsewhere, keys)] };
    return { keys: [], findings: [keyNotFound(kid, alg, keys)] };
  }
  const usable = keys.filter((k) => fitsAlg(k, name));
  if (usable.length > 0) return { keys: usable, findings: [] };
  const barred = excludedFor(alg, [...keys, ...excluded]);
  if (barred.length > 0) return { keys: [], findings: [keyUseExcluded(undefined, alg, barred, keys)] };
  // No trusted key of this alg's type at all (HS256 against RSA keys):
  // algorithm confusion, RFC 8725 section 2.1, not a missing key.
  if (keys.length > 0 && !keys.some((k) => k.kty === alg.kty)) return { keys: [], findings: [keyTypeMismatch(alg, keys)] };
  return { keys: [], findings: [keyNotFound(undefined, alg, keys)] };
}

function keyTypeMismatch(alg: AlgorithmEntry, keys: readonly KeyRecord[], kid?: string): Finding {
  return makeFinding('alg_not_allowed', {
    claim: 'header.alg',
    expected: [...new Set(keys.flatMap((k) => k.algorithms))],
    actual: alg.name,
    detail: { ...(kid !== undefined ? { kid } : {}), keyType: keys[0]!.kty, reason: 'alg_key_type_mismatch' },
  });
}

function fitsAlg(k: KeyRecord, alg: string): boolean {
  return k.algorithms.includes(alg) && (k.use === undefined || k.use === 'sig') && (k.keyOps === undefined || k.keyOps.includes('verify'));
}

/** The JWK member that keeps a key from verifying an alg its type could verify, and that member's value. */
export interface KeyExclusion {
  member: 'use' | 'key_ops' | 'alg';
  value: string | string[];
}

/**
 * Why a key whose type could verify `alg` is not used for it: `use` other
 * than "sig" (RFC 7517 section 4.2), `key_ops` without "verify" (section
 * 4.3), or its own `alg` naming another algorithm (section 4.4, RFC 8725
 * section 3.1). Undefined when the key fits, or when its type cannot
 * verify `alg` at all (that is algorithm confusion, not exclusion).
 */
export function keyExclusion(k: KeyRecord, alg: AlgorithmEntry): KeyExclusion | undefined {
  if (!algorithmsForKey(k.kty, k.crv).includes(alg.name)) return undefined;
  if (k.use !== undefined && k.use !== 'sig') return { member: 'use', value: k.use };
  if (k.keyOps !== undefined && !k.keyOps.includes('verify')) return { member: 'key_ops', value: k.keyOps };
  if (k.alg !== undefined && k.alg !== alg.name) return { member: 'alg', value: k.alg };
  return undefined;
}

/** A key excluded for this alg, with the member that excludes it. */
export interface ExcludedKey {
  key: KeyRecord;
  exclusion: KeyExclusion;
}

function excludedFor(alg: AlgorithmEntry, keys: readonly KeyRecord[]): ExcludedKey[] {
  const out: ExcludedKey[] = [];
  for (const key of keys) {
    const exclusion = keyExclusion(key, alg);
    if (exclusion) out.push({ key, exclusion });
  }
  return out;
}

/** What a key's member should say for this alg to verify with it. */
function allowedValue(member: KeyExclusion['member'], alg: AlgorithmEntry): string | string[] {
  return member === 'use' ? 'sig' : member === 'key_ops' ? ['verify'] : alg.name;
}

/** The fix for a key excluded by one member (owner: the signer, who publishes the key set). */
export function keyUseHint(kid: string | undefined, e: KeyExclusion, alg: AlgorithmEntry): string {
  const name = kid !== undefined ? `The key with kid ${kid}` : 'The key of this type';
  const said = `${name} is published with ${e.member} ${JSON.stringify(e.value)}`;
  if (e.member === 'alg')
    return `${said} and the token says ${alg.name}: sign with ${String(e.value)}, or publish the key with alg ${alg.name} (RFC 8725 section 3.1: one alg per key).`;
  const fix = e.member === 'use' ? 'use "sig" (or no use)' : 'key_ops ["verify"] (or no key_ops)';
  return `${said}, so it never verifies signatures (RFC 7517 section 4.${e.member === 'use' ? 2 : 3}): publish the signing key with ${fix}, or sign with the key published for signatures.`;
}

/**
 * key_not_found for a token whose key exists but is excluded by `use`,
 * `key_ops` or its `alg`: claim `key.<member>`, the value expected and
 * found, each excluded key by identity (never material).
 */
function keyUseExcluded(kid: string | undefined, alg: AlgorithmEntry, barred: readonly ExcludedKey[], keys: readonly KeyRecord[]): Finding {
  const first = barred[0]!;
  return makeFinding('key_not_found', {
    claim: `key.${first.exclusion.member}`,
    expected: allowedValue(first.exclusion.member, alg),
    actual: first.exclusion.value,
    owner: 'signer',
    hint: keyUseHint(kid, first.exclusion, alg),
    detail: {
      alg: alg.name,
      ...(kid !== undefined ? { kid } : { tokenHasKid: false }),
      reason: 'key_use_excluded',
      trustedKeys: keys.length,
      excludedKeys: barred.map((b) => ({ ...keyIdentity(b.key), member: b.exclusion.member, value: b.exclusion.value })),
    },
  });
}

/** A key by identity only: kid, thumbprint or fingerprint. */
export function keyIdentity(k: KeyRecord): Record<string, unknown> {
  return {
    ...(k.kid !== undefined ? { kid: k.kid } : {}),
    ...(k.thumbprint !== undefined ? { thumbprint: k.thumbprint } : {}),
    ...(k.fingerprint !== undefined ? { fingerprint: k.fingerprint } : {}),
  };
}

/** No trusted key at all: nothing was configured (or every source was empty), which is not the signer's kid problem. */
const NO_TRUSTED_KEY_HINT =
  'No key is trusted: no key source gave a key. List the keys in the contract (keys:), or pass --key, --jwks-url or --secret.';

function keyNotFound(kid: string | undefined, alg: AlgorithmEntry, keys: readonly KeyRecord[]): Finding {
  const kids = [...new Set(keys.map((k) => k.kid).filter((k) => k !== undefined))];
  return makeFinding('key_not_found', {
    claim: 'header.kid',
    // An empty list would read "expected , found kid": say nothing rather than nothing-as-a-value.
    ...(kids.length > 0 ? { expected: kids } : {}),
    ...(kid !== undefined || keys.length > 0 ? { actual: kid ?? null } : {}),
    detail: {
      alg: alg.name,
      trustedKeys: keys.length,
      ...(kid === undefined ? { tokenHasKid: false } : {}),
      ...(keys.length === 0 ? { reason: 'no_trusted_keys' } : {}),
    },
    ...(keys.length === 0 ? { hint: NO_TRUSTED_KEY_HINT } : {}),
  });
}

export function signatureReport(
  status: SignatureReport['status'],
  alg: AlgorithmEntry | undefined,
  key: KeyRecord | undefined,
  candidates: number,
): SignatureReport {
  const r: SignatureReport = { status, candidates };
  if (alg) r.alg = alg.name;
  if (key) {
    if (key.kid !== undefined) r.kid = key.kid;
    if (key.thumbprint !== undefined) r.thumbprint = key.thumbprint;
    if (key.fingerprint !== undefined) r.fingerprint = key.fingerprint;
    r.source = { ...key.source };
  }
  return r;
}

/** The provenance budget (its reasons: src/defaults.ts); the search itself is src/forensics/apply_probes.ts. */
export { MAX_PROVENANCE_VERIFICATIONS };
