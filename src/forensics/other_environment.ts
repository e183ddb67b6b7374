/**
 * `key_from_other_environment` (today's provenance finding, issue 11): the
 * signature verifies with a key of another environment of the contract,
 * any alg its type supports (never none), its secrets also under their
 * other encodings. Identities only (describeKey); bounded by the budget.
 */
import { makeFinding, type Finding } from '../reasons.ts';
import { alternateSecretReadings, describeKey, type KeyRecord } from '../keys/import.ts';
import { spendVerification } from './secret.ts';
import type { ForensicCause, ForensicProbe } from './types.ts';

const alternates = new WeakMap<KeyRecord, KeyRecord[]>();
function alternatesOf(key: KeyRecord): KeyRecord[] {
  let alts = alternates.get(key);
  if (!alts) alternates.set(key, (alts = alternateSecretReadings(key)));
  return alts;
}

/** Other environments' keys (each secret also under its other encodings) whose signature verifies, at most one per identity. */
export const probeOtherEnvironment: ForensicProbe = (input) => {
  const alg = input.alg;
  if (!alg) return [];
  const kid = typeof input.header.kid === 'string' ? input.header.kid : undefined;
  const seen = new Set<string>();
  const out: ForensicCause[] = [];
  const tryKey = (key: KeyRecord, encodingNote?: string): void => {
    if (!key.algorithms.includes(alg.name)) return;
    if (kid !== undefined && key.kid !== undefined && key.kid !== kid) return;
    const id = `${key.source.env}|${key.thumbprint ?? key.fingerprint}|${key.source.encoding ?? ''}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (spendVerification(input, key)) out.push(otherEnvironmentCause(key, encodingNote));
  };
  for (const key of input.others) {
    if (input.budget.remaining <= 0) break;
    tryKey(key);
    if (key.kty === 'oct') for (const alt of alternatesOf(key)) tryKey(alt, alt.source.encoding);
  }
  return out;
};

function otherEnvironmentCause(key: KeyRecord, encodingNote: string | undefined): ForensicCause {
  return {
    cause: 'key_from_other_environment',
    owner: 'secrets',
    hint: `The token was signed with a key of environment ${String(key.source.env)}: point the client or signer at this environment.`,
    verifies: true,
    evidence: { env: key.source.env, key: describeKey(key), ...(encodingNote ? { encoding: encodingNote } : {}) },
  };
}

/** The `key_from_other_environment` finding of its cause: the fields it always had, plus cause and evidence. */
export function otherEnvironmentFinding(c: ForensicCause): Finding {
  return makeFinding('key_from_other_environment', {
    claim: 'signature',
    actual: c.evidence.env,
    detail: { ...c.evidence, cause: c.cause, evidence: c.evidence },
  });
}
