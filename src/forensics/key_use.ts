/**
 * `key_use_excluded` (issue 11): a key with the token's kid exists, but its
 * `use` ("enc"), `key_ops` (no "verify") or its own `alg` (another
 * algorithm) keeps it from verifying this token (RFC 7517 sections
 * 4.2-4.4, RFC 8725 section 3.1). The exclusion stands: the probe only says
 * which member excluded which key (kid + RFC 7638 thumbprint), and whether
 * the signature would verify with it, one verification per key.
 */
import { keyExclusion, keyIdentity, keyUseHint, verifyWithKey } from '../checks/signature.ts';
import type { KeyRecord } from '../keys/import.ts';
import type { ForensicCause, ForensicProbe, ForensicsInput } from './types.ts';

/** The keys a token names (by kid; every key when it names none) that the selection excluded. */
function namedKeys(input: ForensicsInput): KeyRecord[] {
  const kid = typeof input.header.kid === 'string' ? input.header.kid : undefined;
  const all = [...input.trusted, ...(input.excluded ?? [])];
  return kid === undefined ? all : all.filter((k) => k.kid === kid);
}

/**
 * Each key the token names that `use`, `key_ops` or `alg` excludes, with
 * whether the signature verifies with it under the token's alg (one
 * verification per key, within the budget; `verifies: false` and
 * `evidence.checked: false` once it is spent).
 */
export const probeKeyUse: ForensicProbe = (input) => {
  const alg = input.alg;
  if (!alg) return [];
  const kid = typeof input.header.kid === 'string' ? input.header.kid : undefined;
  const out: ForensicCause[] = [];
  for (const key of namedKeys(input)) {
    const exclusion = keyExclusion(key, alg);
    if (!exclusion) continue;
    const checked = input.budget.remaining > 0;
    if (checked) input.budget.remaining--;
    // The key's KeyObject under the token's alg: the member that excludes it is ignored here, and only here.
    const verifies = checked && verifyWithKey(alg, key, input.token.signingInput, input.token.signature);
    out.push({
      cause: 'key_use_excluded',
      owner: 'signer',
      hint: `${keyUseHint(kid, exclusion, alg)} ${!checked ? '' : verifies ? 'The signature verifies with this key: it is the signing key, mislabelled.' : 'The signature does not verify with it either: the signer uses another key.'}`.trimEnd(),
      verifies,
      evidence: {
        ...keyIdentity(key),
        member: exclusion.member,
        value: exclusion.value,
        alg: alg.name,
        verifies,
        checked,
        source: key.source.kind,
        ...(key.source.location !== undefined ? { location: key.source.location } : {}),
      },
    });
  }
  return out;
};
