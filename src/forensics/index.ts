/**
 * Signature forensics (issue 11): when a signature does not verify (or no
 * trusted key is selected, or strict decoding refuses the token), bounded
 * probes with the key material already loaded say why. The cause goes on
 * the finding it explains as `detail.cause` and `detail.evidence`, with the
 * cause's owner and fix; the code, the severity and the verdict never
 * change (a token is never valid because a probe verified).
 *
 * Budget: MAX_FORENSIC_VERIFICATIONS extra verifications per token, at most
 * MAX_FORENSIC_VERIFICATIONS_PER_PROBE per probe (src/defaults.ts). The
 * diagnoser runs forensics only on failure (the valid-token path never
 * reaches here) and the middleware only with `forensics: true`.
 */
import { makeFinding, type Finding } from '../reasons.ts';
import { getAlgorithm } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import { peekToken, type DecodedToken, type JsonObject } from '../token/decode.ts';
import { MAX_FORENSIC_VERIFICATIONS, MAX_FORENSIC_VERIFICATIONS_PER_PROBE, MAX_PROVENANCE_VERIFICATIONS } from '../defaults.ts';
import { FORENSIC_CAUSES, makeCause } from './causes.ts';
import { keysForHeader } from './probe_kit.ts';
import {
  expectedSignatureBytes,
  probeEcdsaDer,
  probeHashMismatch,
  probeRsaPadding,
  probeSignatureLength,
  truncatedSegmentCause,
} from './signature_format.ts';
import { probeReencoded } from './reencoded.ts';
import type { ForensicCause, ForensicProbe, ForensicsInput } from './types.ts';
import { applyProbes, SECRET_AND_KEY_PROBES } from './apply_probes.ts';
import type { Finding as ReasonFinding } from '../reasons.ts';

export type { ForensicCause, ForensicCauseName, ForensicProbe, ForensicsBudget, ForensicsInput } from './types.ts';
export { FORENSIC_CAUSES, FORENSIC_CAUSE_NAMES, makeCause } from './causes.ts';

/** The signature-form probes (src/forensics/signature_format.ts): the free length check first. */
export const SIGNATURE_PROBES: readonly ForensicProbe[] = [probeSignatureLength, probeEcdsaDer, probeRsaPadding, probeHashMismatch];

/**
 * Every probe, in the order a failed signature meets them: the signature-format
 * probes first (runForensics: budget MAX_FORENSIC_VERIFICATIONS, at most
 * MAX_FORENSIC_VERIFICATIONS_PER_PROBE each, stops at the first reading that
 * verifies), then the secret, key-use and provenance probes (applyProbes:
 * budget MAX_PROVENANCE_VERIFICATIONS; they also keep the
 * secret_encoding_mismatch and key_from_other_environment findings).
 */
export { SECRET_AND_KEY_PROBES };
export const PROBES: readonly ForensicProbe[] = [...SIGNATURE_PROBES, ...SECRET_AND_KEY_PROBES];

/** What explainFailedSignature runs: `format` (the signature probes), `secretAndKey` (readings, key use, provenance). */
export interface FailedSignatureProbes {
  format: boolean;
  secretAndKey: boolean;
}

/**
 * Issue 11's one call site for a signature that did not verify: the
 * signature-format causes first, then the secret and key causes, which
 * leave a finding the first already explained alone. Never changes a code
 * or a severity: a token is never valid because a probe verified.
 */
export function explainFailedSignature(
  findings: ReasonFinding[],
  input: Omit<ForensicsInput, 'alg' | 'budget'>,
  run: FailedSignatureProbes,
): void {
  const alg = getAlgorithm(input.header.alg);
  if (run.format)
    applyCauses(findings, runForensics({ ...input, alg, budget: { remaining: MAX_FORENSIC_VERIFICATIONS } }, SIGNATURE_PROBES));
  if (run.secretAndKey) applyProbes(findings, { ...input, alg, budget: { remaining: MAX_PROVENANCE_VERIFICATIONS } });
}

/**
 * Runs the probes in order, each with at most
 * MAX_FORENSIC_VERIFICATIONS_PER_PROBE of what is left of `input.budget`,
 * and stops after the first cause whose reading verifies (it explains the
 * failure; more work would only cost). Causes that verify nothing (a
 * length, a DER structure no key confirms) are kept as evidence.
 *
 * @example runForensics({ token, header, alg, trusted, others: [], budget: { remaining: 24 } })[0]?.cause // 'ecdsa_der_encoding'
 */
export function runForensics(input: ForensicsInput, probes: readonly ForensicProbe[] = SIGNATURE_PROBES): ForensicCause[] {
  const causes: ForensicCause[] = [];
  for (const probe of probes) {
    const share = { remaining: Math.max(0, Math.min(MAX_FORENSIC_VERIFICATIONS_PER_PROBE, input.budget.remaining)) };
    const granted = share.remaining;
    const found = probe({ ...input, budget: share });
    input.budget.remaining -= granted - Math.max(0, share.remaining);
    causes.push(...found);
    if (found.some((c) => c.verifies)) break;
  }
  return causes;
}

/**
 * Puts the primary cause (the first whose reading verifies, else the
 * first) on the first error finding it explains: a new finding (plans
 * share theirs between tokens) with the cause's owner and hint, and
 * `detail.cause`, `detail.evidence` (with `verifies`) and, when several
 * probes found something, `detail.causes`. Returns whether one was placed.
 */
export function applyCauses(findings: Finding[], causes: readonly ForensicCause[]): boolean {
  const primary = causes.find((c) => c.verifies) ?? causes[0];
  if (!primary) return false;
  for (const code of FORENSIC_CAUSES[primary.cause].explains) {
    const i = findings.findIndex((f) => f.code === code && f.severity === 'error');
    if (i < 0) continue;
    const f = findings[i]!;
    const detail: Record<string, unknown> = {
      ...f.detail,
      cause: primary.cause,
      evidence: { ...primary.evidence, verifies: primary.verifies },
    };
    if (causes.length > 1) detail.causes = causes.map((c) => ({ cause: c.cause, verifies: c.verifies }));
    findings[i] = makeFinding(f.code, { ...f, owner: primary.owner, hint: primary.hint, detail });
    return true;
  }
  return false;
}

/** Forensics for a token that decoded but whose signature did not verify (or found no key). */
export function explainSignatureFailure(
  findings: Finding[],
  token: DecodedToken,
  trusted: readonly KeyRecord[],
  others: readonly KeyRecord[],
  probes: readonly ForensicProbe[] = SIGNATURE_PROBES,
): ForensicCause[] {
  const input: ForensicsInput = {
    token,
    header: token.header,
    alg: getAlgorithm(token.header.alg),
    trusted,
    others,
    budget: { remaining: MAX_FORENSIC_VERIFICATIONS },
  };
  const causes = runForensics(input, probes);
  applyCauses(findings, causes);
  return causes;
}

/**
 * Forensics for a token strict decoding refused (malformed_token): a
 * re-encoded token whose canonical form verifies, or a signature segment
 * cut to an impossible length or inside the payload. `text` is the token as received (after
 * input normalization), `decode` the strict decoder.
 */
export function explainMalformedToken(
  findings: Finding[],
  text: string,
  header: JsonObject | undefined,
  trusted: readonly KeyRecord[],
  decode: (token: string) => DecodedToken | undefined,
): ForensicCause[] {
  const budget = { remaining: MAX_FORENSIC_VERIFICATIONS };
  let causes = probeReencoded(text, { decode, trusted, budget });
  if (causes.length === 0) {
    const cut = truncationCause(findings, text, header, trusted);
    if (cut) causes = [cut];
  }
  applyCauses(findings, causes);
  return causes;
}

/**
 * A cut token strict decoding refused: its signature segment has an
 * impossible length, or the cut fell inside the payload and only two
 * segments are left (a header limit shorter than a token with many claims).
 */
function truncationCause(
  findings: readonly Finding[],
  text: string,
  header: JsonObject | undefined,
  trusted: readonly KeyRecord[],
): ForensicCause | undefined {
  const segments = text.split('.');
  if (segments.length === 2) {
    const head = peekToken(`${text}.`).header;
    const alg = head && getAlgorithm(head.alg);
    if (!head || !alg) return undefined;
    const expected = expectedSignatureBytes(alg, keysForHeader(head, trusted, alg.kty));
    return makeCause('signature_truncated', false, {
      alg: alg.name,
      segments: 2,
      missing: 'signature',
      ...(expected !== undefined ? { expectedBytes: expected } : {}),
      tokenLength: text.length,
    });
  }
  const alg = header && getAlgorithm(header.alg);
  const segment = segments[2];
  if (!header || !alg || segment === undefined || !findings.some((f) => f.code === 'malformed_token' && f.detail?.segment === 'signature'))
    return undefined;
  return truncatedSegmentCause(header, alg, trusted, segment, text.length);
}
