/**
 * The key-source trust rules, in one place (docs/security.md "Key-source
 * trust rules"): which keys may verify a token, and which discovery
 * documents may name a key set. `jwt-doctor keys` reports the same findings
 * the verifying paths (diagnose, match, the middleware's JWKS cache,
 * rotation) act on, so a key `keys` calls an error never verifies.
 *
 * Pure: no I/O, no clock. The fetch side of the rules (no redirect to
 * another origin, never https -> http) is `src/net/fetch_text.ts`.
 */
import { makeFinding, type Finding } from '../reasons.ts';
import { importJwk, KeyImportError, type KeyRecord, type KeySourceInfo } from './import.ts';
import { MIN_RSA_BITS } from '../defaults.ts';

/** RFC 7518 section 6.3.2 (RSA), 6.2.2 (EC), RFC 8037 section 2 (OKP): members only the key's owner holds. */
export const PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
/** RFC 7518 section 3.3: RSA keys of 2048 bits or larger MUST be used (jose refuses smaller ones). */
export { MIN_RSA_BITS };
const NAMED_CURVES = ['P-256', 'P-384', 'P-521'];

/** One key as found in a source, before it is trusted. */
export interface KeyCandidate {
  /** The raw JWK when the key came as JWK (private members and a bad point are only visible there). */
  jwk?: Record<string, unknown>;
  /** The imported key, when it imports. */
  record?: KeyRecord;
  importError?: string;
  /** Fetched over HTTP (jwksUri, discovery): the document is public. */
  published: boolean;
  /** Identity for the findings' detail: index, kid, thumbprint, source, location. */
  at: Record<string, unknown>;
}

export interface KeyVerdict {
  /** May verify tokens: imported and no error finding. */
  usable: boolean;
  findings: Finding[];
}

/**
 * Decides whether one key may verify tokens, and if not, which finding says
 * why. Errors exclude the key (their detail carries `excluded: true`):
 * private members or an `oct` key in a published set, an RSA key below
 * 2048 bits, an RSA exponent of 1, 3 or even, an EC point off its curve.
 * Private members in a local file are a warning: that file is the owner's.
 *
 * @example const { usable, findings } = assessKey({ record, jwk, published: true, at: { kid: record.kid } });
 */
export function assessKey(c: KeyCandidate): KeyVerdict {
  const kty = c.record?.kty ?? (typeof c.jwk?.kty === 'string' ? c.jwk.kty : undefined);
  const findings = [...privateMemberFindings(c, kty)];
  if (kty === 'RSA') findings.push(...rsaStrengthFindings(c));
  if (kty === 'EC' && !c.record) findings.push(...ecPointFindings(c));
  const usable = c.record !== undefined && !findings.some((f) => f.severity === 'error');
  for (const f of findings) if (f.severity === 'error') f.detail = { ...f.detail, excluded: true };
  return { usable, findings };
}

function privateMemberFindings(c: KeyCandidate, kty: string | undefined): Finding[] {
  if (!c.jwk) return [];
  const members = PRIVATE_MEMBERS.filter((m) => m in c.jwk!);
  // A symmetric key in a public document is public: anyone can sign with it (RFC 8725 section 3.5 spirit).
  if (kty === 'oct' && c.published && 'k' in c.jwk) members.push('k');
  if (members.length === 0) return [];
  return [
    makeFinding('private_key_published', {
      claim: 'keys',
      actual: members,
      severity: c.published ? 'error' : 'warning',
      owner: kty === 'oct' ? 'secrets' : 'signer',
      detail: { ...c.at, members, published: c.published },
    }),
  ];
}

function rsaExponent(c: KeyCandidate): { e?: bigint; raw?: string } {
  let raw = typeof c.jwk?.e === 'string' ? c.jwk.e : undefined;
  if (raw === undefined && c.record) raw = (c.record.keyObject.export({ format: 'jwk' }) as { e?: string }).e;
  if (raw === undefined) return {};
  const bytes = Buffer.from(raw, 'base64url');
  if (bytes.length === 0 || bytes.length > 64) return { raw };
  return { e: BigInt('0x' + bytes.toString('hex')), raw };
}

/** Modulus bits from the record, else from the raw `n` (a key that did not import). */
export function rsaModulusBits(c: Pick<KeyCandidate, 'jwk' | 'record'>): number | undefined {
  if (c.record?.bits !== undefined) return c.record.bits;
  if (typeof c.jwk?.n !== 'string') return undefined;
  const n = Buffer.from(c.jwk.n, 'base64url');
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return (n.length - i) * 8 - (i < n.length ? Math.clz32(n[i]!) - 24 : 0);
}

function rsaStrengthFindings(c: KeyCandidate): Finding[] {
  const out: Finding[] = [];
  const { e, raw } = rsaExponent(c);
  // RFC 8017 section 3.1: e is odd and >= 3; e = 1 makes the "signature" the message itself.
  if (raw !== undefined && (e === undefined || e === 1n || e === 3n || e % 2n === 0n)) {
    out.push(
      makeFinding('rsa_exponent_weak', { claim: 'keys.e', actual: e === undefined ? raw : Number(e), expected: 65537, detail: c.at }),
    );
  } else if (e !== undefined && e < 65537n) {
    out.push(makeFinding('rsa_exponent_weak', { severity: 'warning', claim: 'keys.e', actual: Number(e), expected: 65537, detail: c.at }));
  }
  const bits = rsaModulusBits(c);
  if (bits !== undefined && bits < MIN_RSA_BITS) {
    out.push(makeFinding('rsa_key_too_small', { claim: 'keys', actual: bits, expected: MIN_RSA_BITS, detail: { ...c.at, bits } }));
  }
  return out;
}

function ecPointFindings(c: KeyCandidate): Finding[] {
  const j = c.jwk;
  if (!j || typeof j.x !== 'string' || typeof j.y !== 'string' || typeof j.crv !== 'string' || !NAMED_CURVES.includes(j.crv)) return [];
  // node:crypto refuses a point that is not on the named curve (the invalid-curve attack, RFC 8725 section 3.4).
  return [makeFinding('ec_point_invalid', { claim: 'keys.x', actual: c.importError, detail: { ...c.at, crv: j.crv } })];
}

/** A key that did not import at all (not a trust decision): reported, never used. */
export interface KeyImportFailure {
  index: number;
  kid?: string;
  message: string;
}

export interface ScreenedKeySet {
  /** Keys that may verify (use "enc" keys are never among them). */
  keys: KeyRecord[];
  /** Trust findings (private members, strength, bad point). */
  findings: Finding[];
  /** Keys that did not import and that no trust finding explains. */
  invalid: KeyImportFailure[];
  /** RFC 7638 thumbprints of keys published with private members: leaked, never trusted again from a cache. */
  leaked: string[];
  /** Keys that pass the trust rules but are published for encryption (`use: "enc"`): never verify, named when a token asks for one. */
  excluded: KeyRecord[];
}

/**
 * Imports a JWK Set and applies `assessKey` to each key: the one entry
 * point from a JWKS document to trusted keys. Throws KeyImportError when
 * the document is not a JWKS at all.
 *
 * @example const { keys, findings } = screenJwks(doc, { kind: 'jwks_uri', location: url }, true);
 */
export function screenJwks(doc: unknown, source: KeySourceInfo, published: boolean): ScreenedKeySet {
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { keys?: unknown }).keys)) {
    throw new KeyImportError('a JWKS must be a JSON object with a "keys" array');
  }
  const out: ScreenedKeySet = { keys: [], findings: [], invalid: [], leaked: [], excluded: [] };
  (doc as { keys: unknown[] }).keys.forEach((k, index) => {
    const jwk = k !== null && typeof k === 'object' && !Array.isArray(k) ? (k as Record<string, unknown>) : undefined;
    const kid = typeof jwk?.kid === 'string' ? jwk.kid : undefined;
    const c: KeyCandidate = {
      published,
      at: { index, ...(kid !== undefined ? { kid } : {}), source: source.kind, ...(source.location ? { location: source.location } : {}) },
    };
    if (jwk) c.jwk = jwk;
    try {
      c.record = importJwk(k, source);
      if (c.record.thumbprint) c.at.thumbprint = c.record.thumbprint;
    } catch (e) {
      c.importError = (e as Error).message;
    }
    const verdict = assessKey(c);
    out.findings.push(...verdict.findings);
    if (c.record?.thumbprint && verdict.findings.some((f) => f.code === 'private_key_published' && f.severity === 'error'))
      out.leaked.push(c.record.thumbprint);
    if (!c.record && verdict.findings.length === 0)
      out.invalid.push({ index, ...(kid !== undefined ? { kid } : {}), message: c.importError ?? 'not importable' });
    if (verdict.usable) (c.record!.use === 'enc' ? out.excluded : out.keys).push(c.record!);
  });
  return out;
}

/**
 * OpenID Connect Discovery 1.0 section 4.3: the `issuer` of the document
 * MUST be identical (exact string) to the issuer it was fetched for, else
 * the document MUST NOT be used. Also refuses an http `jwks_uri` named by a
 * document fetched over https (a downgrade). Returns the finding, or
 * undefined when the document may be used.
 *
 * @example checkDiscoveryDocument('https://auth.example.com', doc, url)
 */
export function checkDiscoveryDocument(expectedIssuer: string, doc: unknown, url: string): Finding | undefined {
  const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const issuer = typeof o.issuer === 'string' ? o.issuer : null;
  if (issuer !== expectedIssuer) {
    return makeFinding('discovery_issuer_mismatch', {
      claim: 'discovery.issuer',
      expected: expectedIssuer,
      actual: issuer,
      detail: { source: 'discovery', location: url, expected: expectedIssuer, actual: issuer, excluded: true },
    });
  }
  if (typeof o.jwks_uri === 'string' && url.startsWith('https:') && /^http:/i.test(o.jwks_uri)) {
    return makeFinding('jwks_unreachable', {
      claim: 'keys',
      actual: 'insecure_jwks_uri',
      detail: { source: 'discovery', location: url, error: 'insecure_jwks_uri', jwksUri: o.jwks_uri, stage: 'discovery' },
    });
  }
  return undefined;
}

/** The issuer a `discovery:` value names, and the URL its document lives at (Discovery 1.0 section 4.1). */
export function discoveryTarget(value: string): { issuer: string; url: string } {
  const suffix = '/.well-known/openid-configuration';
  const issuer = value.endsWith(suffix) ? value.slice(0, -suffix.length) : value;
  // Section 4.1: any terminating "/" of the issuer is removed before the suffix is appended.
  return { issuer, url: issuer.replace(/\/+$/, '') + suffix };
}

/**
 * A finding about key material that one source or key lost, not about the
 * token: a verifier that verified the token with another trusted key does
 * not reject it for this (the middleware; `diagnose` still reports it).
 */
export function isKeySourceFinding(f: Finding): boolean {
  return f.code === 'jwks_unreachable' || f.detail?.excluded === true;
}
