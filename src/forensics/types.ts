import type { AlgorithmEntry } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import type { OwnerRole } from '../reasons.ts';
import type { DecodedToken, JsonObject } from '../token/decode.ts';

/**
 * Signature forensics (issue 11): when a signature does not verify, or a
 * key with the token's kid is excluded, bounded probes with the key
 * material already loaded say why. A cause never changes the verdict: it is
 * reported as `detail.cause` (with `detail.evidence`) on the finding it
 * explains, with that cause's owner and fix.
 */
export type ForensicCauseName =
  | 'ecdsa_der_encoding'
  | 'ecdsa_wrong_length'
  | 'signature_truncated'
  | 'rsa_padding_mismatch'
  | 'hash_mismatch'
  | 'secret_trailing_whitespace'
  | 'secret_double_encoded'
  | 'secret_encoding'
  | 'key_use_excluded'
  | 'token_reencoded'
  | 'key_from_other_environment';

export interface ForensicCause {
  cause: ForensicCauseName;
  /** Who fixes it (may differ from the finding's registry owner). */
  owner: OwnerRole;
  /** One line: the fix direction. */
  hint: string;
  /** Whether the signature verifies under the reading this cause names. */
  verifies: boolean;
  /** Identities and measurements only: kid, thumbprint, fingerprint, lengths, member names. Never a secret or key. */
  evidence: Record<string, unknown>;
}

/** What a probe may spend: each extra signature verification costs one. */
export interface ForensicsBudget {
  remaining: number;
}

export interface ForensicsInput {
  token: DecodedToken;
  header: JsonObject;
  /** The token's algorithm as the header names it, when known to the registry. */
  alg: AlgorithmEntry | undefined;
  /** The verifier's trusted keys (after trust rules). */
  trusted: readonly KeyRecord[];
  /** Other environments' keys (provenance). */
  others: readonly KeyRecord[];
  /** Keys a source published for another use (`use: "enc"`): never trusted, named by key_use_excluded. */
  excluded?: readonly KeyRecord[];
  budget: ForensicsBudget;
}

/** A probe: pure, bounded by `input.budget`, no I/O, no clock. */
export type ForensicProbe = (input: ForensicsInput) => ForensicCause[];
