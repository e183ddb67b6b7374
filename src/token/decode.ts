import { makeFinding, type Finding } from '../reasons.ts';
import { base64urlProblem, decodeBase64url, decodeCanonicalSegmentText, decodeCanonicalSignature, utf8Problem } from './base64url.ts';
import { parseStrictJson, parseStrictJsonFast } from './strict_json.ts';
import { DEFAULT_MAX_TOKEN_BYTES, HEADER_CACHE_SIZE } from '../defaults.ts';

export { DEFAULT_MAX_TOKEN_BYTES };

export type JsonObject = Record<string, unknown>;

export interface DecodedToken {
  header: JsonObject;
  payload: JsonObject;
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)): what was signed. */
  signingInput: string;
  signature: Buffer;
  /** Segment lengths, for reports that must not carry the token. */
  length: number;
}

export type DecodeSuccess = { ok: true; token: DecodedToken; findings: readonly Finding[] };
export type DecodeResult = DecodeSuccess | { ok: false; findings: Finding[]; header?: JsonObject; payload?: JsonObject };

/** A result object for DecodeOptions.into. */
export function reusableDecodeResult(): DecodeSuccess {
  return { ok: true, token: { header: {}, payload: {}, signingInput: '', signature: Buffer.alloc(0), length: 0 }, findings: NO_FINDINGS };
}

export interface DecodeOptions {
  /** Size cap checked before any decoding (default 16 KiB). */
  maxBytes?: number;
  /**
   * Cache of well-formed header segments -> frozen parsed header. Tokens of
   * one issuer share a handful of headers (alg, kid, typ), so a prepared
   * diagnoser skips re-decoding them. Bounded by the caller (HeaderCache).
   */
  headerCache?: HeaderCache;
  /**
   * With headerCache: fill this result instead of allocating one (the
   * prepared diagnoser's synchronous path, which is done with it before the
   * next call). Never share it between calls that overlap.
   */
  into?: DecodeSuccess;
}

/** A small bounded map of header segment -> parsed, checked, frozen header. */
export class HeaderCache {
  private readonly map = new Map<string, JsonObject>();
  // The last header seen: one signer, one header, usually. A string
  // comparison is cheaper than hashing the segment for a Map lookup.
  private lastSegment = '';
  private lastHeader: JsonObject | undefined;
  constructor(private readonly max = HEADER_CACHE_SIZE) {}
  get(segment: string): JsonObject | undefined {
    return this.map.get(segment);
  }
  /** The cached header whose segment starts `token` (followed by '.'), if any. */
  match(token: string, dot: number): JsonObject | undefined {
    const segment = token.slice(0, dot);
    if (segment === this.lastSegment && this.lastHeader) return this.lastHeader;
    const header = this.map.get(segment);
    if (header) {
      this.lastSegment = segment;
      this.lastHeader = header;
    }
    return header;
  }
  set(segment: string, header: JsonObject): void {
    if (this.map.size >= this.max) this.map.clear();
    // A copy of the segment: the token may be a slice of a much larger
    // string (a log chunk in triage), which a Map key would keep alive.
    this.map.set(JSON.parse(JSON.stringify(segment)) as string, Object.freeze(header));
  }
}

/** RFC 7519 section 4.1: the JSON type each registered claim must have. */
const CLAIM_TYPES: Record<string, (v: unknown) => boolean> = {
  iss: (v) => typeof v === 'string',
  sub: (v) => typeof v === 'string',
  aud: (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  exp: isNumericDate,
  nbf: isNumericDate,
  iat: isNumericDate,
  jti: (v) => typeof v === 'string',
};
const CLAIM_TYPE_NAMES: Record<string, string> = {
  iss: 'string',
  sub: 'string',
  aud: 'string or array of strings',
  exp: 'NumericDate (number)',
  nbf: 'NumericDate (number)',
  iat: 'NumericDate (number)',
  jti: 'string',
};

/** The hot-path form of CLAIM_TYPES: one pass, no closures; the loop names the culprit. */
function registeredClaimsWellTyped(p: JsonObject): boolean {
  const { iss, sub, aud, exp, nbf, iat, jti } = p;
  if (iss !== undefined && typeof iss !== 'string') return false;
  if (sub !== undefined && typeof sub !== 'string') return false;
  if (jti !== undefined && typeof jti !== 'string') return false;
  if (exp !== undefined && !isNumericDate(exp)) return false;
  if (nbf !== undefined && !isNumericDate(nbf)) return false;
  if (iat !== undefined && !isNumericDate(iat)) return false;
  if (aud === undefined || typeof aud === 'string') return true;
  if (!Array.isArray(aud)) return false;
  for (let i = 0; i < aud.length; i++) if (typeof aud[i] !== 'string') return false;
  return true;
}

function isNumericDate(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Header members whose meaning we implement; anything else in `crit` is rejected (RFC 7515 section 4.1.11). */
const UNDERSTOOD_CRIT = new Set<string>();
const REGISTERED_HEADER = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);

function malformed(segment: string, problem: string, extra: Record<string, unknown> = {}): Finding {
  return makeFinding('malformed_token', { claim: segment, actual: problem, detail: { segment, problem, ...extra } });
}

/**
 * Decodes a compact JWS without trusting it: strict canonical base64url,
 * valid UTF-8 (no BOM), JSON objects without duplicate members and at most
 * MAX_JSON_DEPTH deep, registered claims of the right JSON type, a size
 * cap checked first (docs/limits.md). Never throws on bad input: problems
 * come back as `malformed_token` / `token_encrypted` findings naming the
 * segment.
 *
 * @example decodeToken('eyJhbGciOi...').ok
 */
export function decodeToken(token: string, options: DecodeOptions = {}): DecodeResult {
  const max = options.maxBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (token.length <= max && options.headerCache) {
    const fast = decodeKnownHeader(token, options.headerCache, options.into);
    if (fast) return fast;
  }
  return decodeFully(token, max, options);
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * The prepared diagnoser's hot path: a token whose header segment was seen
 * (and validated) before. Straight-line, no intermediate arrays; any
 * irregularity returns undefined and the full decode reports it.
 */
function decodeKnownHeader(token: string, cache: HeaderCache, into: DecodeSuccess | undefined): DecodeResult | undefined {
  const d1 = token.indexOf('.');
  if (d1 <= 0) return undefined;
  const d2 = token.indexOf('.', d1 + 1);
  if (d2 < 0 || token.indexOf('.', d2 + 1) >= 0) return undefined;
  const header = cache.match(token, d1);
  if (!header) return undefined;
  const pseg = token.slice(d1 + 1, d2);
  const text = pseg.length === 0 ? undefined : decodeCanonicalSegmentText(pseg);
  if (text === undefined) return undefined;
  const signature = decodeCanonicalSignature(token, d2 + 1);
  if (!signature) return undefined;
  const payload = parseStrictJsonFast(text);
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || !registeredClaimsWellTyped(payload as JsonObject))
    return undefined;
  if (!into)
    return {
      ok: true,
      token: { header, payload: payload as JsonObject, signingInput: token.slice(0, d2), signature, length: token.length },
      findings: NO_FINDINGS,
    };
  const t = into.token;
  t.header = header;
  t.payload = payload as JsonObject;
  t.signingInput = token.slice(0, d2);
  t.signature = signature;
  t.length = token.length;
  return into;
}

function decodeFully(token: string, max: number, options: DecodeOptions): DecodeResult {
  if (token.length > max)
    return {
      ok: false,
      findings: [malformed('token', `larger than the size cap (${token.length} > ${max} bytes)`, { size: token.length, maxBytes: max })],
    };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, findings: [segmentCountFinding(parts.length)] };
  const findings: Finding[] = [];
  // A header segment seen before is the same string, already validated.
  const cached = options.headerCache?.get(parts[0]!);
  const header = cached ?? decodeObjectSegment(parts[0]!, 'header', findings);
  const payload = decodeObjectSegment(parts[1]!, 'payload', findings);
  const signature = canonicalBytes(parts[2]!, 'signature', findings);
  if (header && !cached) {
    const headerFindings = checkHeader(header);
    if (headerFindings.length > 0) findings.push(...headerFindings);
    else options.headerCache?.set(parts[0]!, header);
  }
  if (payload && !registeredClaimsWellTyped(payload)) pushClaimTypeFindings(payload, findings);
  if (findings.length > 0 || !header || !payload || !signature) {
    const out: DecodeResult = { ok: false, findings };
    if (header) out.header = header;
    if (payload) out.payload = payload;
    return out;
  }
  return {
    ok: true,
    token: { header, payload, signingInput: token.slice(0, parts[0]!.length + 1 + parts[1]!.length), signature, length: token.length },
    findings,
  };
}

function segmentCountFinding(segments: number): Finding {
  if (segments === 5)
    return makeFinding('token_encrypted', { claim: 'token', actual: '5 segments (JWE compact serialization)', detail: { segments: 5 } });
  return malformed('token', `${segments} segments; a compact JWS has 3`, { segments });
}

/**
 * The bytes of a segment, or undefined with the finding pushed. RFC 7515
 * section 2, RFC 4648 sections 3.5 and 5: a segment is canonical base64url
 * exactly when re-encoding its bytes gives the same text (the alphabet, no
 * padding, no whitespace, zero trailing bits). Node's decoder is lenient,
 * so decode, re-encode, compare; name the problem only on failure.
 */
function canonicalBytes(seg: string, name: string, findings: Finding[]): Buffer | undefined {
  const bytes = decodeBase64url(seg);
  if (bytes.toString('base64url') === seg) return bytes;
  findings.push(malformed(name, `not canonical base64url: ${base64urlProblem(seg) ?? 'does not re-encode to itself'}`));
  return undefined;
}

/** A header or payload segment as a JSON object (valid UTF-8, strict JSON), or undefined with the finding pushed. */
function decodeObjectSegment(seg: string, name: 'header' | 'payload', findings: Finding[]): JsonObject | undefined {
  if (seg.length === 0) {
    findings.push(malformed(name, 'empty segment'));
    return undefined;
  }
  const bytes = canonicalBytes(seg, name, findings);
  if (!bytes) return undefined;
  const badUtf8 = utf8Problem(bytes);
  if (badUtf8 !== null) {
    findings.push(malformed(name, badUtf8));
    return undefined;
  }
  const parsed = parseStrictJson(bytes.toString('utf8'));
  if (!parsed.ok) {
    findings.push(
      malformed(name, parsed.problem, {
        ...(parsed.member === undefined ? {} : { member: parsed.member }),
        ...(parsed.maxDepth === undefined ? {} : { maxDepth: parsed.maxDepth }),
      }),
    );
    return undefined;
  }
  const v = parsed.value;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonObject;
  findings.push(malformed(name, `JSON ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}, not an object`));
  return undefined;
}

/** RFC 7519 section 4.1: one finding per registered claim of the wrong JSON type (the slow path names the culprits). */
function pushClaimTypeFindings(payload: JsonObject, findings: Finding[]): void {
  for (const claim in CLAIM_TYPES) {
    if (claim in payload && !CLAIM_TYPES[claim]!(payload[claim])) {
      findings.push(
        makeFinding('malformed_token', {
          claim,
          expected: CLAIM_TYPE_NAMES[claim],
          actual: payload[claim],
          detail: { segment: 'payload', problem: 'registered claim of the wrong JSON type' },
        }),
      );
    }
  }
}

function checkHeader(header: JsonObject): Finding[] {
  const out: Finding[] = [];
  if (typeof header.alg !== 'string') {
    out.push(
      makeFinding('malformed_token', {
        claim: 'header.alg',
        expected: 'string',
        actual: header.alg ?? null,
        detail: { segment: 'header', problem: 'alg missing or not a string' },
      }),
    );
  }
  if ('kid' in header && typeof header.kid !== 'string') {
    out.push(
      makeFinding('malformed_token', {
        claim: 'header.kid',
        expected: 'string',
        actual: header.kid,
        detail: { segment: 'header', problem: 'kid not a string' },
      }),
    );
  }
  if ('typ' in header && typeof header.typ !== 'string') {
    out.push(
      makeFinding('malformed_token', {
        claim: 'header.typ',
        expected: 'string',
        actual: header.typ,
        detail: { segment: 'header', problem: 'typ not a string' },
      }),
    );
  }
  // RFC 7797: b64=false changes what is signed; we do not support it.
  if ('b64' in header && header.b64 !== true) {
    out.push(
      makeFinding('malformed_token', {
        claim: 'header.b64',
        actual: header.b64,
        detail: { segment: 'header', problem: 'unencoded payload (b64) is not supported' },
      }),
    );
  }
  if ('crit' in header) {
    const crit = header.crit;
    // RFC 7515 section 4.1.11: a non-empty array of names, none registered,
    // each present in the header, and each understood by the recipient.
    if (!Array.isArray(crit) || crit.length === 0 || !crit.every((c) => typeof c === 'string')) {
      out.push(
        makeFinding('malformed_token', {
          claim: 'header.crit',
          actual: crit,
          detail: { segment: 'header', problem: 'crit must be a non-empty array of strings' },
        }),
      );
    } else {
      const bad = (crit as string[]).filter((c) => REGISTERED_HEADER.has(c) || !(c in header) || !UNDERSTOOD_CRIT.has(c));
      if (bad.length > 0) {
        out.push(
          makeFinding('malformed_token', {
            claim: 'header.crit',
            actual: crit,
            detail: { segment: 'header', problem: 'unknown or invalid critical header parameter', members: bad },
          }),
        );
      }
    }
  }
  return out;
}

/** Decode only the parts that parse, for display: never throws. */
export function peekToken(
  token: string,
  options: DecodeOptions = {},
): { header?: JsonObject; payload?: JsonObject; findings: readonly Finding[] } {
  const r = decodeToken(token, options);
  if (r.ok) return { header: r.token.header, payload: r.token.payload, findings: r.findings };
  const out: { header?: JsonObject; payload?: JsonObject; findings: readonly Finding[] } = { findings: r.findings };
  if (r.header) out.header = r.header;
  if (r.payload) out.payload = r.payload;
  return out;
}
