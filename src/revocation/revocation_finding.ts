import { makeFinding, type Finding } from '../reasons.ts';
import type { RevocationAnswer } from './revocation_source.ts';

/**
 * A revocation answer as a finding: `token_revoked` (with the source and
 * why: jti, subject cut-off, inactive), `revocation_unavailable` (with the
 * source's failure kind and message), or none when the token is not revoked.
 *
 * @example revocationFinding({ ok: true, revoked: true, source: 'denylist:revoked.txt', by: 'jti' })?.code // 'token_revoked'
 */
export function revocationFinding(answer: RevocationAnswer): Finding | undefined {
  if (!answer.ok)
    return makeFinding('revocation_unavailable', {
      claim: 'jti',
      actual: answer.error,
      detail: { source: answer.source, error: answer.error, message: answer.message },
    });
  if (!answer.revoked) return undefined;
  return makeFinding('token_revoked', { claim: answer.by === 'subject' ? 'sub' : 'jti', detail: { source: answer.source, by: answer.by } });
}
