/**
 * The pure diagnoser: given expectations and loaded keys, a synchronous
 * per-token diagnosis in two explicit steps, `begin` (input, strict decode,
 * the header plan) and `complete` (signature outcome, provenance, time and
 * claims, the report), with the signature check between them (on the
 * event loop, or on the thread pool for diagnoseAsync). No I/O: loading the
 * keys is src/diagnose/load_keys.ts, createDiagnoser and diagnose are
 * src/diagnose/create_diagnoser.ts.
 */
import { makeFinding, rankResult, type Finding, type ReasonCode } from './reasons.ts';
import type { Expectations, Owners } from './expectations.ts';
import { normalizeTokenInput, type NormalizedInput } from './token/normalize.ts';
import {
  decodeToken,
  HeaderCache,
  reusableDecodeResult,
  type DecodedToken,
  type DecodeOptions,
  type DecodeResult,
  type JsonObject,
} from './token/decode.ts';
import { isAlgNone } from './keys/algorithms.ts';
import type { KeyRecord } from './keys/import.ts';
import type { SourceReport } from './keys/source_report.ts';
import { signatureReport, verifyWithKeyAsync, type SignatureReport } from './checks/signature.ts';
import { checkAudience, checkExpectedClaims, checkIssuer, checkRequiredClaims, checkTyp, type ClaimContext } from './checks/claims.ts';
import { checkTimesInto, isoSecond, type ClockReport } from './checks/time.ts';
import { explainFailedSignature, explainMalformedToken } from './forensics/index.ts';
import { HeaderPlans, planContext, type HeaderPlan } from './diagnose/plan_header.ts';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_MAX_TOKEN_BYTES } from './defaults.ts';
import { applyProviderProfile, providerOfContract, type ProviderReport } from './providers/index.ts';

export const DIAGNOSIS_SCHEMA = 'jwt-doctor/diagnosis/v1';

/** The diagnosis: the same object the library returns and `--format json` prints. */
export interface Diagnosis {
  schema: typeof DIAGNOSIS_SCHEMA;
  result: 'valid' | ReasonCode;
  // Optional fields may hold undefined: the diagnoser builds one literal with
  // every field (one object shape on the hot path), and JSON omits undefined.
  env?: string | undefined;
  /** The identity-provider profile used: named by the contract, or detected from an issuer (docs/providers.md). */
  provider?: ProviderReport | undefined;
  findings: Finding[];
  /** Unverified header and claims (absent when they do not decode). */
  header?: JsonObject | undefined;
  claims?: JsonObject | undefined;
  signature: SignatureReport;
  clock: ClockReport;
  /** What the verifier expects, as compared (for the claim delta). */
  expected: { issuer?: string[]; audience?: string[]; algorithms: string[]; typ?: string; requiredClaims?: string[] };
  input: { length: number; stripped: readonly string[] };
  owners?: Owners | undefined;
  keySources?: SourceReport[] | undefined;
}

export interface PreparedKeys {
  keys: KeyRecord[];
  /** Findings from loading the key sources (jwks_unreachable, invalid keys). */
  findings?: Finding[];
  sources?: SourceReport[];
  /** Keys of the contract's other environments, for key provenance. */
  otherKeys?: KeyRecord[];
  /** Keys a source published for another use (`use: "enc"`): never verify; a token naming one hears why (key_use_excluded). */
  excludedKeys?: KeyRecord[];
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
  /**
   * Signature forensics (issue 11, src/forensics/): when the signature
   * does not verify, no key is selected, or strict decoding refuses the
   * token, bounded probes say why (`detail.cause` on that finding, with
   * its owner and fix), at most MAX_FORENSIC_VERIFICATIONS extra
   * verifications per token. Never changes the result. Default true; the
   * middleware turns it off unless its `forensics` option is set.
   */
  forensics?: boolean;
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

/** What buildDiagnoser resolves once, at the door (fast-jwt's createVerifier); begin and complete read it per token. */
interface Core {
  readonly expectations: Expectations;
  readonly prepared: PreparedKeys;
  readonly keys: readonly KeyRecord[];
  readonly otherKeys: readonly KeyRecord[];
  readonly excludedKeys: readonly KeyRecord[];
  readonly provenance: boolean;
  readonly forensics: boolean;
  readonly claimCtx: ClaimContext;
  readonly expected: Diagnosis['expected'];
  readonly plans: HeaderPlans;
  readonly maxBytes: number;
  readonly decodeOptions: DecodeOptions;
  /** The synchronous path decodes into one reused result (complete() is done with it before diagnose() returns). */
  readonly syncDecodeOptions: DecodeOptions;
  readonly toleranceSeconds: number;
  /** The contract's provider profile, or the one its issuers show (resolved once). */
  readonly provider: ReturnType<typeof providerOfContract>;
  /** The synchronous path fills this one object per call; diagnoseAsync, whose calls overlap, gets its own. */
  readonly reused: Pending;
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
  const core = resolveCore(expectations, prepared, options);
  return {
    expectations,
    keys: prepared.keys,
    sources: prepared.sources ?? [],
    diagnose: (raw, call = NO_CALL_OPTIONS) => diagnoseSync(core, raw, call),
    diagnoseAsync: (raw, call = NO_CALL_OPTIONS) => diagnoseOffloaded(core, raw, call),
    withKeys: (next) => buildDiagnoser(expectations, { ...prepared, ...next }, options),
  };
}

function resolveCore(expectations: Expectations, prepared: PreparedKeys, options: DiagnoserOptions): Core {
  const context = planContext(expectations, prepared.keys, prepared.findings ?? [], prepared.excludedKeys ?? []);
  const headerCache = new HeaderCache();
  const maxBytes = expectations.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  return {
    expectations,
    prepared,
    keys: prepared.keys,
    otherKeys: prepared.otherKeys ?? [],
    excludedKeys: prepared.excludedKeys ?? [],
    provenance: options.provenance ?? true,
    forensics: options.forensics ?? true,
    claimCtx: prepared.otherEnvironments ? { otherEnvironments: prepared.otherEnvironments } : {},
    expected: expectedOf(expectations, context.allowedList),
    plans: new HeaderPlans(context),
    maxBytes,
    decodeOptions: { headerCache, maxBytes },
    syncDecodeOptions: { headerCache, maxBytes, into: reusableDecodeResult() },
    toleranceSeconds: expectations.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    provider: providerOfContract(expectations),
    reused: { raw: '', now: 0, findings: [], input: undefined, header: undefined, payload: undefined, token: undefined, plan: undefined },
  };
}

/** What the verifier expects, as compared (the claim delta), in the report's field order. */
function expectedOf(expectations: Expectations, algorithms: string[]): Diagnosis['expected'] {
  const expected: Diagnosis['expected'] = { algorithms };
  if (expectations.issuer) expected.issuer = expectations.issuer;
  if (expectations.audience) expected.audience = expectations.audience;
  if (expectations.typ !== undefined) expected.typ = expectations.typ;
  if (expectations.requiredClaims) expected.requiredClaims = expectations.requiredClaims;
  return expected;
}

function diagnoseSync(core: Core, raw: string, options: DiagnoseCallOptions): Diagnosis {
  const p = begin(core, raw, options, core.reused);
  const d = complete(core, p, firstVerifying(p));
  p.token = undefined; // drop references to this token's objects
  p.header = p.payload = undefined;
  return d;
}

async function diagnoseOffloaded(core: Core, raw: string, options: DiagnoseCallOptions): Promise<Diagnosis> {
  const p = begin(core, raw, options);
  const candidates = p.plan?.candidates;
  if (!p.token || !p.plan?.alg || !candidates || candidates.length === 0 || p.plan.alg.kty === 'oct')
    return complete(core, p, firstVerifying(p));
  // The decoded signature may live in scratch space that the next token
  // reuses while this one waits for the thread pool: keep a copy.
  p.token = { ...p.token, signature: Buffer.from(p.token.signature) };
  for (let i = 0; i < candidates.length; i++) {
    if (await verifyWithKeyAsync(p.plan.alg, candidates[i]!, p.token.signingInput, p.token.signature)) return complete(core, p, i);
  }
  return complete(core, p, -1);
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

/** Step one, everything before the signature: input, strict decode, the header plan. */
function begin(core: Core, raw: string, options: DiagnoseCallOptions, into?: Pending): Pending {
  const now = toSeconds(options.now);
  const findings: Finding[] = [];
  // Decode first: a token that decodes strictly needed no normalization
  // (the hot path). Only input that fails is normalized (pasted header
  // lines, quotes, wrapping) and decoded again.
  let decoded: DecodeResult | undefined = decodeToken(raw, into ? core.syncDecodeOptions : core.decodeOptions);
  let input: NormalizedInput | undefined;
  // Input far over the size cap is refused as it is (malformed_token, size):
  // normalizing megabytes first would be work for nothing. Twice the cap
  // leaves room for what a paste adds (a header name, quotes, line wrapping).
  if (!decoded.ok && raw.length <= 2 * core.maxBytes) {
    input = normalizeTokenInput(raw);
    if (input.findings.length > 0) findings.push(...input.findings);
    if (input.token === '') decoded = undefined;
    else if (input.token !== raw) decoded = decodeToken(input.token, core.decodeOptions);
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
    plan = core.plans.planFor(header);
    if (plan.findings.length > 0) findings.push(...plan.findings);
  } else if (header) findings.push(...checkTyp(header, core.expectations));
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

/** Step two, everything after the signature: its outcome, provenance, time and claims, the report. */
function complete(core: Core, p: Pending, verified: number): Diagnosis {
  const { findings, payload, now } = p;
  if (core.forensics && !p.token) explainRefusedToken(core, p);
  const signature = signatureOutcome(core, p, verified);
  let clock: ClockReport;
  if (!payload) clock = { now, nowIso: isoSecond(now), toleranceSeconds: core.toleranceSeconds };
  else {
    const expectations = core.expectations;
    clock = checkTimesInto(findings, payload, expectations, now);
    // Each check returns an empty list when it passes: push only what failed (hot path).
    append(findings, checkIssuer(payload, expectations, core.claimCtx));
    append(findings, checkAudience(payload, expectations, core.claimCtx));
    append(findings, checkRequiredClaims(payload, expectations));
    append(findings, checkExpectedClaims(payload, expectations));
  }
  // A provider profile turns generic findings into the provider's own fix; only a diagnosis with
  // findings, or a contract naming the provider, pays for it (the valid-token path stays as it was).
  const provider =
    core.provider || findings.length > 0
      ? applyProviderProfile(findings, { header: p.header, claims: payload }, core.expectations, core.provider)
      : undefined;
  dedupeMissing(findings);
  // One literal with every field (absent ones undefined, which JSON omits):
  // one object shape for every diagnosis, no per-call shape transitions.
  const d: Diagnosis = {
    schema: DIAGNOSIS_SCHEMA,
    result: rankResult(findings),
    env: core.expectations.name,
    provider,
    findings,
    header: p.header,
    claims: payload,
    signature,
    clock,
    expected: core.expected,
    input: p.input ? { length: p.input.token.length, stripped: p.input.stripped } : { length: p.raw.length, stripped: NOTHING_STRIPPED },
    owners: core.expectations.owners,
    keySources: core.prepared.sources,
  };
  return d;
}

/** The signature report for candidate `verified` (-1: none verified); pushes its findings and the key sources' that apply. */
function signatureOutcome(core: Core, p: Pending, verified: number): SignatureReport {
  const { findings, header, token, plan } = p;
  if (!plan) return SKIPPED;
  if (!header || !token) {
    append(findings, plan.sourceFindings);
    return SKIPPED;
  }
  let signature = plan.alg ? plan.skipped : SKIPPED;
  if (plan.alg && plan.candidates.length > 0) {
    signature = verified >= 0 ? plan.passReports[verified]! : plan.failReport;
    if (verified < 0) {
      findings.push(
        makeFinding('signature_invalid', {
          claim: 'signature',
          detail: {
            alg: plan.alg.name,
            candidates: plan.candidates.length,
            ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
          },
        }),
      );
      append(findings, plan.sourceFindings);
    } else {
      const weak = plan.weak[verified];
      if (weak) findings.push(weak);
      const reading = plan.readingWarnings[verified];
      if (reading) findings.push(reading);
      append(findings, plan.sourceFindingsVerified);
    }
  }
  if ((core.provenance || core.forensics) && signature.status !== 'pass' && !isAlgNone(header.alg)) {
    explainFailedSignature(
      findings,
      { token, header, trusted: core.keys, others: core.otherKeys, excluded: core.excludedKeys },
      { format: core.forensics, secretAndKey: core.provenance },
    );
  }
  return signature;
}

/** Forensics on a token strict decoding refused (a re-encoded or cut token); the decoder stays strict. */
function explainRefusedToken(core: Core, p: Pending): void {
  if (!p.findings.some((f) => f.code === 'malformed_token')) return;
  const decode = (text: string): DecodedToken | undefined => {
    const r = decodeToken(text, { maxBytes: core.maxBytes });
    return r.ok ? r.token : undefined;
  };
  explainMalformedToken(p.findings, p.input?.token ?? p.raw, p.header, core.keys, decode);
}

const NO_CALL_OPTIONS: DiagnoseCallOptions = Object.freeze({});
const NOTHING_STRIPPED: readonly string[] = Object.freeze([]);
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

function append(to: Finding[], from: readonly Finding[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]!);
}

/** A required claim reported twice (requiredClaims and iss/aud checks) is kept once. */
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
