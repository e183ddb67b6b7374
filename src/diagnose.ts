import { makeFinding, rankResult, type Finding, type ReasonCode } from './reasons.ts';
import type { Expectations, Owners } from './expectations.ts';
import { normalizeTokenInput, type NormalizedInput } from './token/normalize.ts';
import { decodeToken, DEFAULT_MAX_TOKEN_BYTES, HeaderCache, type DecodedToken, type DecodeOptions, type DecodeResult, type JsonObject, reusableDecodeResult } from './token/decode.ts';
import { ALGORITHM_NAMES, getAlgorithm, isAlgNone, type AlgorithmEntry } from './keys/algorithms.ts';
import type { KeyRecord } from './keys/import.ts';
import { resolveKeys, type SourceReport } from './keys/sources.ts';
import { checkAlgorithm, checkKeyReferences, findProvenance, MAX_PROVENANCE_VERIFICATIONS, selectKeys, signatureReport, verifierFor, verifyWithKeyAsync, type SignatureReport, type SignatureVerifier } from './checks/signature.ts';
import { checkAudience, checkExpectedClaims, checkIssuer, checkRequiredClaims, checkTyp, type ClaimContext } from './checks/claims.ts';
import { checkTimesInto, isoSecond, type ClockReport } from './checks/time.ts';
import type { Contract } from './contract/load.ts';

export const DIAGNOSIS_SCHEMA = 'jwt-doctor/diagnosis/v1';

/** The diagnosis: the same object the library returns and `--format json` prints. */
export interface Diagnosis {
  schema: typeof DIAGNOSIS_SCHEMA;
  result: 'valid' | ReasonCode;
  env?: string;
  findings: Finding[];
  /** Unverified header and claims (absent when they do not decode). */
  header?: JsonObject;
  claims?: JsonObject;
  signature: SignatureReport;
  clock: ClockReport;
  /** What the verifier expects, as compared (for the claim delta). */
  expected: { issuer?: string[]; audience?: string[]; algorithms: string[]; typ?: string; requiredClaims?: string[] };
  input: { length: number; stripped: string[] };
  owners?: Owners;
  keySources?: SourceReport[];
}

export interface PreparedKeys {
  keys: KeyRecord[];
  /** Findings from loading the key sources (jwks_unreachable, invalid keys). */
  findings?: Finding[];
  sources?: SourceReport[];
  /** Keys of the contract's other environments, for key provenance. */
  otherKeys?: KeyRecord[];
  /** Other environments' issuer/audience, for "minted by env X" hints. */
  otherEnvironments?: ClaimContext['otherEnvironments'];
}

export interface DiagnoserOptions {
  /**
   * Search other environments' keys and other secret encodings when no
   * trusted key verifies (key_from_other_environment,
   * secret_encoding_mismatch), at most MAX_PROVENANCE_VERIFICATIONS extra
   * verifications per token. Default true; the middleware turns it off:
   * it is advice for a human, and on a request path it is work any client
   * can trigger.
   */
  provenance?: boolean;
}

export interface DiagnoseCallOptions {
  /** The check instant: Date, or NumericDate seconds. Default: the wall clock at the edge. */
  now?: Date | number;
}

export interface Diagnoser {
  readonly expectations: Expectations;
  readonly keys: readonly KeyRecord[];
  readonly sources: readonly SourceReport[];
  /** Synchronous: keys are already loaded. */
  diagnose(token: string, options?: DiagnoseCallOptions): Diagnosis;
  /**
   * The same diagnosis with RSA/EC/EdDSA signature verification on libuv's
   * thread pool: more requests per second on a server with spare cores,
   * at the cost of a thread hop per token. Same result as diagnose().
   */
  diagnoseAsync(token: string, options?: DiagnoseCallOptions): Promise<Diagnosis>;
  /** A diagnoser with another key set (a refreshed JWKS), same expectations. */
  withKeys(keys: PreparedKeys): Diagnoser;
}

function toSeconds(now: Date | number | undefined): number {
  if (now === undefined) return Date.now() / 1000;
  return typeof now === 'number' ? now : now.getTime() / 1000;
}

/**
 * The pure core: given expectations and loaded keys, a synchronous
 * per-token diagnosis. Every check runs; none stops the others.
 *
 * @example
 * const d = buildDiagnoser({ issuer: ['https://auth.example.com'] }, { keys });
 * d.diagnose(token, { now: 1767225600 }).result; // 'valid'
 */
export function buildDiagnoser(expectations: Expectations, prepared: PreparedKeys, options: DiagnoserOptions = {}): Diagnoser {
  const keys = prepared.keys;
  const provenance = options.provenance ?? true;
  const keyFindings = prepared.findings ?? [];
  const loadErrors = keyFindings.filter((f) => f.severity === 'error');
  // A key source that failed or a key the trust rules refused (jwks_unreachable,
  // private_key_published, ...) is reported with every token, but it decides the
  // result only when it could be the cause: once another trusted key verified the
  // signature, the same finding is a warning (the middleware accepts that token).
  const sourceWarnings = keyFindings.map((f) => (f.severity === 'error' ? { ...f, severity: 'warning' as const, detail: { ...f.detail, tokenVerifiedByAnotherKey: true } } : f));
  const otherKeys = prepared.otherKeys ?? [];
  const claimCtx: ClaimContext = prepared.otherEnvironments ? { otherEnvironments: prepared.otherEnvironments } : {};
  const allowedList = expectations.algorithms?.filter((a) => !isAlgNone(a)) ?? (keys.length > 0 ? ALGORITHM_NAMES.filter((a) => keys.some((k) => k.algorithms.includes(a))) : ALGORITHM_NAMES);
  const allowed = new Set(allowedList);
  const expected: Diagnosis['expected'] = { algorithms: allowedList };
  if (expectations.issuer) expected.issuer = expectations.issuer;
  if (expectations.audience) expected.audience = expectations.audience;
  if (expectations.typ !== undefined) expected.typ = expectations.typ;
  if (expectations.requiredClaims) expected.requiredClaims = expectations.requiredClaims;
  const headerCache = new HeaderCache();
  const maxBytes = expectations.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const decodeOptions: DecodeOptions = { headerCache, maxBytes };
  // The synchronous path decodes into one reused result (complete() is done
  // with it before diagnose() returns); diagnoseAsync allocates its own.
  const syncDecodeOptions: DecodeOptions = { headerCache, maxBytes, into: reusableDecodeResult() };

  /**
   * Everything that depends only on the header (alg allow-list, key
   * references, key selection, typ) is computed once per distinct header
   * and cached: tokens from one signer share a handful of headers.
   */
  // Keyed by the header object: decodeToken hands out the same frozen
  // object for a header segment it has seen (HeaderCache), so this is an
  // identity lookup, no string hashing.
  const plans = new WeakMap<JsonObject, HeaderPlan>();
  function planFor(header: JsonObject): HeaderPlan {
    let plan = plans.get(header);
    if (plan) return plan;
    const planFindings: Finding[] = [...checkKeyReferences(header)];
    const algCheck = checkAlgorithm(header, allowed);
    planFindings.push(...algCheck.findings);
    let candidates: KeyRecord[] = [];
    if (algCheck.alg) {
      const sel = selectKeys(header, algCheck.alg, keys);
      candidates = sel.keys;
      // With no key at all because a source failed, jwks_unreachable says it; key_not_found would mislead.
      if (sel.keys.length === 0 && loadErrors.length > 0) planFindings.push(...keyFindings);
      else {
        planFindings.push(...sel.findings);
        // With candidates, the key sources' findings wait for the signature:
        // see sourceFindings below.
        if (sel.keys.length === 0) planFindings.push(...keyFindings);
      }
    } else planFindings.push(...keyFindings);
    planFindings.push(...checkTyp(header, expectations));
    plan = {
      findings: planFindings,
      candidates,
      skipped: signatureReport('skipped', algCheck.alg, undefined, 0),
      failReport: signatureReport('fail', algCheck.alg, candidates.length === 1 ? candidates[0] : undefined, candidates.length),
      passReports: candidates.map((k) => signatureReport('pass', algCheck.alg, k, candidates.length)),
      weak: candidates.map((k) => weakness(k, algCheck.alg!.name)),
      sourceFindings: candidates.length > 0 ? keyFindings : NO_FINDINGS,
      sourceFindingsVerified: candidates.length > 0 ? sourceWarnings : NO_FINDINGS,
    };
    if (algCheck.alg) {
      plan.alg = algCheck.alg;
      plan.verify = verifierFor(algCheck.alg);
    }
    if (Object.isFrozen(header)) plans.set(header, plan);
    return plan;
  }

  /** Everything before the signature: input, strict decode, the header plan. */
  // The synchronous path fills this one object per call (complete() reads it
  // before returning); diagnoseAsync, whose calls overlap, gets its own.
  const reused: Pending = { raw: '', now: 0, findings: [], input: undefined, header: undefined, payload: undefined, token: undefined, plan: undefined };

  function begin(raw: string, options: DiagnoseCallOptions, into?: Pending): Pending {
    const now = toSeconds(options.now);
    const findings: Finding[] = [];
    // Decode first: a token that decodes strictly needed no normalization
    // (the hot path). Only input that fails is normalized (pasted header
    // lines, quotes, wrapping) and decoded again.
    let decoded: DecodeResult | undefined = decodeToken(raw, into ? syncDecodeOptions : decodeOptions);
    let input: NormalizedInput | undefined;
    // Input far over the size cap is refused as it is (malformed_token, size):
    // normalizing megabytes first would be work for nothing. Twice the cap
    // leaves room for what a paste adds (a header name, quotes, line wrapping).
    if (!decoded.ok && raw.length <= 2 * maxBytes) {
      input = normalizeTokenInput(raw);
      if (input.findings.length > 0) findings.push(...input.findings);
      if (input.token === '') decoded = undefined;
      else if (input.token !== raw) decoded = decodeToken(input.token, decodeOptions);
    }
    if (decoded && decoded.findings.length > 0) findings.push(...decoded.findings);
    const header = decoded ? (decoded.ok ? decoded.token.header : decoded.header) : undefined;
    const payload = decoded ? (decoded.ok ? decoded.token.payload : decoded.payload) : undefined;
    const token = decoded?.ok ? decoded.token : undefined;
    let plan: HeaderPlan | undefined;
    // "Every check runs": a header that decodes gets its algorithm and key
    // checks even when the payload or signature does not (alg none, or
    // HS256 against an ES256-only contract, is named, not hidden behind
    // malformed_token). A header without a string alg is already malformed.
    if (header && (token || typeof header.alg === 'string')) {
      plan = planFor(header);
      if (plan.findings.length > 0) findings.push(...plan.findings);
    } else if (header) findings.push(...checkTyp(header, expectations));
    if (!into) return { raw, now, findings, input, header, payload, token, plan };
    into.raw = raw;
    into.now = now;
    into.findings = findings;
    into.input = input;
    into.header = header;
    into.payload = payload;
    into.token = token;
    into.plan = plan;
    return into;
  }

  /** Everything after it: signature outcome, provenance, time and claims, the report. */
  function complete(p: Pending, verified: number): Diagnosis {
    const { findings, header, payload, token, plan, now } = p;
    let signature: SignatureReport = SKIPPED;
    if (plan && header && token) {
      if (plan.alg) signature = plan.skipped;
      if (plan.alg && plan.candidates.length > 0) {
        signature = verified >= 0 ? plan.passReports[verified]! : plan.failReport;
        if (verified < 0) {
          findings.push(makeFinding('signature_invalid', { claim: 'signature', detail: { alg: plan.alg.name, candidates: plan.candidates.length, ...(typeof header.kid === 'string' ? { kid: header.kid } : {}) } }));
          append(findings, plan.sourceFindings);
        } else {
          const weak = plan.weak[verified];
          if (weak) findings.push(weak);
          append(findings, plan.sourceFindingsVerified);
        }
      }
      if (provenance && signature.status !== 'pass' && !isAlgNone(header.alg)) {
        findings.push(...findProvenance(token, header, keys, otherKeys, { remaining: MAX_PROVENANCE_VERIFICATIONS }));
      }
    } else if (plan) append(findings, plan.sourceFindings);
    let clock: ClockReport;
    if (!payload) clock = { now, nowIso: isoSecond(now), toleranceSeconds: expectations.clockToleranceSeconds ?? 0 };
    else {
      clock = checkTimesInto(findings, payload, expectations, now);
      // Each check returns an empty list when it passes: push only what failed (hot path).
      append(findings, checkIssuer(payload, expectations, claimCtx));
      append(findings, checkAudience(payload, expectations, claimCtx));
      append(findings, checkRequiredClaims(payload, expectations));
      append(findings, checkExpectedClaims(payload, expectations));
    }
    dedupeMissing(findings);
    // One literal with every field (absent ones undefined, which JSON omits):
    // one object shape for every diagnosis, no per-call shape transitions.
    const d: Diagnosis = {
      schema: DIAGNOSIS_SCHEMA,
      result: rankResult(findings),
      env: expectations.name,
      findings,
      header,
      claims: payload,
      signature,
      clock,
      expected,
      input: p.input ? { length: p.input.token.length, stripped: p.input.stripped } : { length: p.raw.length, stripped: NOTHING_STRIPPED },
      owners: expectations.owners,
      keySources: prepared.sources,
    };
    return d;
  }

  function diagnose(raw: string, options: DiagnoseCallOptions = {}): Diagnosis {
    const p = begin(raw, options, reused);
    const d = complete(p, firstVerifying(p));
    p.token = undefined; // drop references to this token's objects
    p.header = p.payload = undefined;
    return d;
  }

  async function diagnoseAsync(raw: string, options: DiagnoseCallOptions = {}): Promise<Diagnosis> {
    const p = begin(raw, options);
    const candidates = p.plan?.candidates;
    if (!p.token || !p.plan?.alg || !candidates || candidates.length === 0 || p.plan.alg.kty === 'oct') return complete(p, firstVerifying(p));
    // The decoded signature may live in scratch space that the next token
    // reuses while this one waits for the thread pool: keep a copy.
    p.token = { ...p.token, signature: Buffer.from(p.token.signature) };
    for (let i = 0; i < candidates.length; i++) {
      if (await verifyWithKeyAsync(p.plan.alg, candidates[i]!, p.token.signingInput, p.token.signature)) return complete(p, i);
    }
    return complete(p, -1);
  }

  /** Index of the first candidate key that verifies, or -1. */
  function firstVerifying(p: Pending): number {
    const plan = p.plan;
    if (!p.token || !plan?.verify) return -1;
    const candidates = plan.candidates;
    for (let i = 0; i < candidates.length; i++) {
      if (plan.verify(candidates[i]!, p.token.signingInput, p.token.signature)) return i;
    }
    return -1;
  }

  return {
    expectations,
    keys,
    sources: prepared.sources ?? [],
    diagnose,
    diagnoseAsync,
    withKeys: (next) => buildDiagnoser(expectations, { ...prepared, ...next }, options),
  };
}

/** A required claim reported twice (requiredClaims and iss/aud checks) is kept once. */
const NOTHING_STRIPPED: string[] = Object.freeze([]) as unknown as string[];
const SKIPPED: SignatureReport = Object.freeze(signatureReport('skipped', undefined, undefined, 0)) as SignatureReport;

/** A diagnosis between decoding and the signature check. */
interface Pending {
  raw: string;
  now: number;
  findings: Finding[];
  input: NormalizedInput | undefined;
  header: JsonObject | undefined;
  payload: JsonObject | undefined;
  token: DecodedToken | undefined;
  plan: HeaderPlan | undefined;
}

interface HeaderPlan {
  findings: Finding[];
  alg?: AlgorithmEntry;
  candidates: KeyRecord[];
  /** The algorithm's specialised verifier (monomorphic per algorithm family). */
  verify?: SignatureVerifier;
  skipped: SignatureReport;
  failReport: SignatureReport;
  /** Per candidate (same index): the report when it verifies. */
  passReports: SignatureReport[];
  /** weak_key warning per candidate key (RSA < 2048, short HMAC secret). */
  weak: (Finding | undefined)[];
  /** The key sources' findings when the signature did not verify (they may be the cause). */
  sourceFindings: readonly Finding[];
  /** The same findings, errors as warnings, when a trusted key verified the signature. */
  sourceFindingsVerified: readonly Finding[];
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

function append(to: Finding[], from: readonly Finding[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]!);
}

function dedupeMissing(findings: Finding[]): void {
  let any = false;
  for (let i = 0; i < findings.length && !any; i++) any = findings[i]!.code === 'missing_claim';
  if (!any) return;
  const seen = new Set<string>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.code !== 'missing_claim') continue;
    if (seen.has(f.claim ?? '')) findings.splice(i--, 1);
    else seen.add(f.claim ?? '');
  }
}

function weakness(key: KeyRecord, algName: string): Finding | undefined {
  const alg = getAlgorithm(algName)!;
  if (key.kty === 'oct' && alg.minSecretBytes !== undefined && (key.bits ?? 0) < alg.minSecretBytes * 8) {
    return makeFinding('weak_key', { claim: 'signature', expected: `>= ${alg.minSecretBytes * 8} bits`, actual: `${key.bits} bits`, detail: { fingerprint: key.fingerprint, rfc: 'RFC 7518 section 3.2' } });
  }
  if (key.kty === 'RSA' && (key.bits ?? 0) < 2048) {
    return makeFinding('weak_key', { claim: 'signature', expected: '>= 2048 bits', actual: `${key.bits} bits`, detail: { kid: key.kid, thumbprint: key.thumbprint } });
  }
  return undefined;
}

export interface CreateDiagnoserOptions {
  /** The contract this environment comes from: its other environments feed key provenance and hints. */
  contract?: Contract;
  /** Folder for relative key paths (default: the contract's folder, else cwd). */
  baseDir?: string;
  timeoutMs?: number;
  vars?: Record<string, string | undefined>;
}

/** Loads the other environments' keys for provenance; failures there are ignored (they are not this env's problem). */
async function loadOtherEnvironments(expectations: Expectations, options: CreateDiagnoserOptions): Promise<Pick<PreparedKeys, 'otherKeys' | 'otherEnvironments'>> {
  const c = options.contract;
  if (!c) return {};
  const others = Object.entries(c.environments).filter(([name]) => name !== expectations.name);
  const keySets = await Promise.all(
    others.map(([name, env]) => resolveKeys(env.keys ?? [], { env: name, ...ctxOf(env, options, c) }).then((r) => r.keys)),
  );
  return {
    otherKeys: keySets.flat(),
    otherEnvironments: others.map(([name, env]) => ({ name, ...(env.issuer ? { issuer: env.issuer } : {}), ...(env.audience ? { audience: env.audience } : {}) })),
  };
}

function ctxOf(env: Expectations, options: CreateDiagnoserOptions, c?: Contract) {
  const baseDir = options.baseDir ?? c?.baseDir;
  return {
    ...(baseDir !== undefined ? { baseDir } : {}),
    ...(env.issuer?.[0] !== undefined ? { issuer: env.issuer[0] } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.vars !== undefined ? { vars: options.vars } : {}),
  };
}

/**
 * Loads the environment's keys (files, JWKS URL, discovery: the I/O
 * edge) and returns a prepared diagnoser whose per-token call is
 * synchronous.
 *
 * @example
 * const contract = loadContract('auth-contract.yaml');
 * const d = await createDiagnoser(contract.environments.staging, { contract });
 * console.log(d.diagnose(token).result);
 */
export async function createDiagnoser(expectations: Expectations, options: CreateDiagnoserOptions = {}): Promise<Diagnoser> {
  const [own, others] = await Promise.all([
    resolveKeys(expectations.keys ?? [], { ...(expectations.name !== undefined ? { env: expectations.name } : {}), ...ctxOf(expectations, options, options.contract) }),
    loadOtherEnvironments(expectations, options),
  ]);
  return buildDiagnoser(expectations, { keys: own.keys, findings: own.findings, sources: own.sources, ...others });
}

/**
 * One-shot diagnosis: loads keys, then diagnoses. Never throws on a bad
 * token or an unreachable key source: those are findings.
 *
 * @example (await diagnose(token, contract.environments.staging, { now: new Date('2026-11-28T12:00:00Z') })).result
 */
export async function diagnose(token: string, expectations: Expectations, options: CreateDiagnoserOptions & DiagnoseCallOptions = {}): Promise<Diagnosis> {
  const d = await createDiagnoser(expectations, options);
  return d.diagnose(token, options.now !== undefined ? { now: options.now } : {});
}
