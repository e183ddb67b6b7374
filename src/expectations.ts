import type { OwnerRole } from './reasons.ts';
import type { KeySpec } from './keys/sources.ts';

/** What a verifier expects of a claim beyond presence. */
export type ClaimExpectation =
  | string
  | number
  | boolean
  | { equals: unknown }
  | { oneOf: unknown[] }
  /** For space-delimited strings (scope, RFC 8693 section 4.2) or arrays: every value must be present. */
  | { includes: string | string[] };

export type Owners = Partial<Record<OwnerRole, string>>;

/**
 * One environment's verifier expectations: what `diagnose`, the
 * middleware and every check take. Built from a contract environment or
 * from inline flags.
 */
export interface Expectations {
  /** Environment name, when taken from a contract. */
  name?: string;
  /** Accepted issuers (any of). */
  issuer?: string[];
  /** Accepted audiences (any of). */
  audience?: string[];
  /** Allowed algorithms; absent means whatever the keys can verify (never none). */
  algorithms?: string[];
  /** Expected typ header (RFC 8725 section 3.11); compared case-insensitively, "application/" optional. */
  typ?: string;
  requiredClaims?: string[];
  claims?: Record<string, ClaimExpectation>;
  clockToleranceSeconds?: number;
  maxTokenAgeSeconds?: number;
  /** Failures within this many seconds beyond tolerance are flagged `clock_skew_suspected` (default 300). */
  skewWindowSeconds?: number;
  /**
   * A measured clock offset (seconds, positive: the signer's clock ahead of
   * this verifier's), e.g. from `jwt-doctor clock`: lets an expiry be blamed
   * on the clock (`clock_skew_suspected`) when the offset explains it.
   */
  clockOffsetSeconds?: number;
  maxTokenBytes?: number;
  keys?: KeySpec[];
  owners?: Owners;
  production?: boolean;
  /** The identity provider: a profile name (cognito, entra, okta, keycloak, auth0, google, firebase, generic) or { name, tokenUse } (docs/providers.md). */
  provider?: string | { name: string; tokenUse?: 'access' | 'id' };
  /** Extra sections other front ends read (api, clients, policy, tokenSource, ...). */
  [extra: string]: unknown;
}
