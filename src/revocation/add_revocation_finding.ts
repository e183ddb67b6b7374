import type { Diagnosis } from '../diagnose.ts';
import { normalizeTokenInput } from '../token/normalize.ts';
import { revocationFinding } from './revocation_finding.ts';
import type { RevocationSource } from './revocation_source.ts';

/**
 * A diagnosis with the revocation answer added: only a valid token is
 * looked up (a token failing another check is rejected anyway, and a forged
 * one must not reach an introspection endpoint); `token_revoked` or
 * `revocation_unavailable` then becomes the result (both rank last, so
 * nothing else can be more fundamental).
 *
 * @example const d2 = await addRevocationFinding(d, token, createDenylistSource('revoked.txt'));
 */
export async function addRevocationFinding(d: Diagnosis, token: string, source: RevocationSource): Promise<Diagnosis> {
  if (d.result !== 'valid' || !d.claims) return d;
  const f = revocationFinding(await source.isRevoked({ claims: d.claims, token: normalizeTokenInput(token).token }));
  return f ? { ...d, findings: [...d.findings, f], result: f.code } : d;
}
