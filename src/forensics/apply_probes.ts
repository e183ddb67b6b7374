/**
 * The interim wiring of this half of issue 11 (secret readings, key use,
 * other environments), one call in src/diagnose.ts: run the probes, keep
 * the findings two causes always had (`secret_encoding_mismatch`,
 * `key_from_other_environment`), and attach the best cause to the finding
 * it explains (`detail.cause`, `detail.evidence`, owner, hint). The
 * framework's runForensics (src/forensics/index.ts) takes this over: the
 * probes are plain ForensicProbe functions. Never changes a verdict: only
 * a finding's explanation, never its code or severity.
 */
import type { Finding, ReasonCode } from '../reasons.ts';
import type { DecodedToken, JsonObject } from '../token/decode.ts';
import type { KeyRecord } from '../keys/import.ts';
import { getAlgorithm } from '../keys/algorithms.ts';
import { MAX_PROVENANCE_VERIFICATIONS } from '../defaults.ts';
import { probeSecretDoubleEncoded, probeSecretEncoding, probeSecretWhitespace, secretEncodingFinding } from './secret.ts';
import { probeKeyUse } from './key_use.ts';
import { otherEnvironmentFinding, probeOtherEnvironment } from './other_environment.ts';
import type { ForensicCause, ForensicCauseName, ForensicProbe, ForensicsBudget, ForensicsInput } from './types.ts';

/** This half's probes, in the order their causes are preferred and the budget is spent. */
export const SECRET_AND_KEY_PROBES: readonly ForensicProbe[] = [
  probeKeyUse,
  probeSecretWhitespace,
  probeSecretEncoding,
  probeSecretDoubleEncoded,
  probeOtherEnvironment,
];

/** The findings a cause explains, in order of preference (the first present one gets it). */
const TARGETS: Partial<Record<ForensicCauseName, readonly ReasonCode[]>> = {
  key_use_excluded: ['key_not_found', 'alg_not_allowed', 'signature_invalid'],
};
const DEFAULT_TARGETS: readonly ReasonCode[] = ['signature_invalid', 'key_not_found'];

/** Causes that have always had their own finding: kept, same code and fields. */
const OWN_FINDING: Partial<Record<ForensicCauseName, (c: ForensicCause) => Finding>> = {
  secret_encoding: secretEncodingFinding,
  key_from_other_environment: otherEnvironmentFinding,
};

/**
 * Runs `probes` on one token that did not verify (or whose key was
 * excluded) and explains its findings in place. Returns the causes.
 *
 * @example applyProbes(findings, { token, header, alg, trusted, others, budget: { remaining: 32 } });
 */
export function applyProbes(
  findings: Finding[],
  input: ForensicsInput,
  probes: readonly ForensicProbe[] = SECRET_AND_KEY_PROBES,
): ForensicCause[] {
  const causes: ForensicCause[] = [];
  for (const probe of probes) causes.push(...probe(input));
  for (const c of causes) {
    const own = OWN_FINDING[c.cause];
    if (own) findings.push(own(c));
  }
  const explained = new Set<ReasonCode>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (f.severity !== 'error' || explained.has(f.code) || f.detail?.cause !== undefined) continue;
    const best = bestCause(causes, f.code);
    if (!best) continue;
    explained.add(f.code);
    // Findings of a header plan are shared by every token with that header: explain a copy.
    findings[i] = { ...f, owner: best.owner, hint: best.hint, detail: { ...f.detail, cause: best.cause, evidence: best.evidence } };
  }
  return causes;
}

/**
 * The cause for a finding: one that verifies first, then probe order. A
 * bad signature is explained only by a reading or key that verifies it; a
 * key finding also by an exclusion that does not (the key exists, and is
 * not the signer's).
 */
function bestCause(causes: readonly ForensicCause[], code: ReasonCode): ForensicCause | undefined {
  const fits = causes.filter((c) => (TARGETS[c.cause] ?? DEFAULT_TARGETS).includes(code));
  return fits.find((c) => c.verifies) ?? (code === 'signature_invalid' ? undefined : fits[0]);
}

/**
 * Today's provenance search as a function (the secret encodings, then the
 * other environments), returning only the findings those causes always
 * had. Kept for callers of the former checks/signature.ts export.
 */
export function findProvenance(
  token: DecodedToken,
  header: JsonObject,
  trusted: readonly KeyRecord[],
  others: readonly KeyRecord[],
  budget: ForensicsBudget = { remaining: MAX_PROVENANCE_VERIFICATIONS },
): Finding[] {
  const findings: Finding[] = [];
  applyProbes(findings, { token, header, alg: getAlgorithm(header.alg), trusted, others, budget }, [
    probeSecretEncoding,
    probeOtherEnvironment,
  ]);
  return findings;
}
