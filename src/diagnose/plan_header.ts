/**
 * Everything a diagnosis decides from the JOSE header alone: the algorithm
 * against the allow-list, untrusted key references, key selection, typ, the
 * weak-key warnings, and which key-source findings a token carries. Pure
 * (no I/O, no clock); computed once per distinct header and cached, since
 * tokens from one signer share a handful of headers.
 */
import { makeFinding, type Finding } from '../reasons.ts';
import type { Expectations } from '../expectations.ts';
import type { JsonObject } from '../token/decode.ts';
import { ALGORITHM_NAMES, isAlgNone, type AlgorithmEntry } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import {
  checkAlgorithm,
  checkKeyReferences,
  selectKeys,
  signatureReport,
  verifierFor,
  type SignatureReport,
  type SignatureVerifier,
} from '../checks/signature.ts';
import { checkTyp } from '../checks/claims.ts';
import { secretReadingWarning } from '../forensics/secret.ts';
import { MIN_RSA_BITS } from '../defaults.ts';

export interface HeaderPlan {
  findings: Finding[];
  alg: AlgorithmEntry | undefined;
  candidates: KeyRecord[];
  /** The algorithm's specialised verifier (monomorphic per algorithm family). */
  verify: SignatureVerifier | undefined;
  skipped: SignatureReport;
  failReport: SignatureReport;
  /** Per candidate (same index): the report when it verifies. */
  passReports: SignatureReport[];
  /** weak_key warning per candidate key (RSA < 2048, short HMAC secret). */
  weak: (Finding | undefined)[];
  /** Per candidate: the warning that its secret's stored text has whitespace at an end (secret_trailing_whitespace), when it verifies. */
  readingWarnings: (Finding | undefined)[];
  /** The key sources' findings when the signature did not verify (they may be the cause). */
  sourceFindings: readonly Finding[];
  /** The same findings, errors as warnings, when a trusted key verified the signature. */
  sourceFindingsVerified: readonly Finding[];
}

/** What every header plan of one diagnoser shares: resolved once, when the diagnoser is built. */
export interface PlanContext {
  readonly expectations: Expectations;
  readonly keys: readonly KeyRecord[];
  /** Keys published for another use (`use: "enc"`): never candidates, named by key_not_found (key_use_excluded). */
  readonly excludedKeys: readonly KeyRecord[];
  /** The allow-list as reported (`expected.algorithms`) and as looked up. */
  readonly allowedList: string[];
  readonly allowed: ReadonlySet<string>;
  /** Findings from loading the key sources. */
  readonly keyFindings: readonly Finding[];
  /** The same, errors turned into warnings (a trusted key verified the token). */
  readonly keyWarnings: readonly Finding[];
  /** A key source failed (an error among keyFindings). */
  readonly loadFailed: boolean;
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * The plan context of a key set: the contract's algorithms without `none`
 * (RFC 8725 section 3.1), else every algorithm some trusted key can do.
 */
export function planContext(
  expectations: Expectations,
  keys: readonly KeyRecord[],
  keyFindings: readonly Finding[],
  excludedKeys: readonly KeyRecord[] = [],
): PlanContext {
  const allowedList =
    expectations.algorithms?.filter((a) => !isAlgNone(a)) ??
    (keys.length > 0 ? ALGORITHM_NAMES.filter((a) => keys.some((k) => k.algorithms.includes(a))) : ALGORITHM_NAMES);
  // A key source that failed or a key the trust rules refused (jwks_unreachable,
  // private_key_published, ...) is reported with every token, but it decides the
  // result only when it could be the cause: once another trusted key verified the
  // signature, the same finding is a warning (the middleware accepts that token).
  const keyWarnings = keyFindings.map((f) =>
    f.severity === 'error' ? { ...f, severity: 'warning' as const, detail: { ...f.detail, tokenVerifiedByAnotherKey: true } } : f,
  );
  return {
    expectations,
    keys,
    excludedKeys,
    allowedList,
    allowed: new Set(allowedList),
    keyFindings,
    keyWarnings,
    loadFailed: keyFindings.some((f) => f.severity === 'error'),
  };
}

/**
 * The plan of one header. Findings in a fixed order: untrusted key
 * references, algorithm, keys, typ.
 */
export function planHeader(header: JsonObject, ctx: PlanContext): HeaderPlan {
  const findings: Finding[] = [...checkKeyReferences(header)];
  const { alg, findings: algFindings } = checkAlgorithm(header, ctx.allowed);
  findings.push(...algFindings);
  const candidates = alg ? selectCandidates(header, alg, ctx, findings) : [];
  if (!alg) findings.push(...ctx.keyFindings);
  findings.push(...checkTyp(header, ctx.expectations));
  return {
    findings,
    alg,
    candidates,
    verify: alg ? verifierFor(alg) : undefined,
    skipped: signatureReport('skipped', alg, undefined, 0),
    failReport: signatureReport('fail', alg, candidates.length === 1 ? candidates[0] : undefined, candidates.length),
    passReports: candidates.map((k) => signatureReport('pass', alg, k, candidates.length)),
    weak: candidates.map((k) => weakKeyWarning(k, alg!)),
    readingWarnings: candidates.map((k) => secretReadingWarning(k)),
    sourceFindings: candidates.length > 0 ? ctx.keyFindings : NO_FINDINGS,
    sourceFindingsVerified: candidates.length > 0 ? ctx.keyWarnings : NO_FINDINGS,
  };
}

/** The keys that may verify this header's token; pushes the key findings that apply before the signature. */
function selectCandidates(header: JsonObject, alg: AlgorithmEntry, ctx: PlanContext, findings: Finding[]): KeyRecord[] {
  const sel = selectKeys(header, alg, ctx.keys, ctx.excludedKeys);
  // With no key at all because a source failed, jwks_unreachable says it; key_not_found would mislead.
  if (sel.keys.length === 0 && ctx.loadFailed) findings.push(...ctx.keyFindings);
  else {
    findings.push(...sel.findings);
    // With candidates, the key sources' findings wait for the signature (HeaderPlan.sourceFindings).
    if (sel.keys.length === 0) findings.push(...ctx.keyFindings);
  }
  return sel.keys;
}

/** A weak_key warning for a key that verified: RSA below 2048 bits, an HMAC secret shorter than the hash (RFC 7518 sections 3.2, 3.3). */
export function weakKeyWarning(key: KeyRecord, alg: AlgorithmEntry): Finding | undefined {
  if (key.kty === 'oct' && alg.minSecretBytes !== undefined && (key.bits ?? 0) < alg.minSecretBytes * 8) {
    return makeFinding('weak_key', {
      claim: 'signature',
      expected: `>= ${alg.minSecretBytes * 8} bits`,
      actual: `${key.bits} bits`,
      detail: { fingerprint: key.fingerprint, rfc: 'RFC 7518 section 3.2' },
    });
  }
  if (key.kty === 'RSA' && (key.bits ?? 0) < MIN_RSA_BITS) {
    return makeFinding('weak_key', {
      claim: 'signature',
      expected: `>= ${MIN_RSA_BITS} bits`,
      actual: `${key.bits} bits`,
      detail: { kid: key.kid, thumbprint: key.thumbprint },
    });
  }
  return undefined;
}

/**
 * Header plans keyed by the header object: decodeToken hands out the same
 * frozen object for a header segment it has seen (HeaderCache), so this is
 * an identity lookup, no string hashing. An unfrozen header (not cached by
 * the decoder) is planned but not kept.
 */
export class HeaderPlans {
  private readonly plans = new WeakMap<JsonObject, HeaderPlan>();
  constructor(readonly context: PlanContext) {}
  planFor(header: JsonObject): HeaderPlan {
    let plan = this.plans.get(header);
    if (plan) return plan;
    plan = planHeader(header, this.context);
    if (Object.isFrozen(header)) this.plans.set(header, plan);
    return plan;
  }
}
