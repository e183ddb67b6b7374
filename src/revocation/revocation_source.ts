/**
 * The one interface every revocation source implements (issue 12 item 6):
 * `isRevoked` answers for one verified token, never throws, and says which
 * source answered. A source that cannot answer (Redis down, introspection
 * timing out, deny-list file missing) answers `ok: false`: the caller
 * decides (the middleware fails closed by default, `revocation_unavailable`).
 */

/** What a source looks at: the verified claims, and the token itself (RFC 7662 introspects the token, not its claims). */
export interface RevocationInput {
  claims: Readonly<Record<string, unknown>>;
  token?: string;
}

/** Why a token counts as revoked. */
export type RevokedBy = 'jti' | 'subject' | 'inactive';

export type RevocationAnswer =
  | { ok: true; revoked: false; source: string }
  | { ok: true; revoked: true; source: string; by: RevokedBy }
  | { ok: false; source: string; error: RevocationFailure; message: string };

/** Why a source could not answer: its own small vocabulary, shown in reports and logs. */
export type RevocationFailure = 'timeout' | 'unreachable' | 'protocol' | 'unauthorized' | 'unreadable' | 'no_token';

export interface RevocationSource {
  /** Where answers come from, for reports and logs: "denylist:revoked.txt", "redis://127.0.0.1:6379 revoked-jtis", an endpoint URL. Never a secret. */
  readonly name: string;
  isRevoked(input: RevocationInput): Promise<RevocationAnswer>;
  /** Releases connections (Redis). */
  close?(): Promise<void>;
}

export const notRevoked = (source: string): RevocationAnswer => ({ ok: true, revoked: false, source });
export const revokedBy = (source: string, by: RevokedBy): RevocationAnswer => ({ ok: true, revoked: true, source, by });
export const unavailable = (source: string, error: RevocationFailure, message: string): RevocationAnswer => ({
  ok: false,
  source,
  error,
  message,
});
