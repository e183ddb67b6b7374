/**
 * Identity-provider profiles (issue 15): what one provider's tokens look
 * like and how its own documentation says to fix a generic finding. A
 * profile runs after the generic checks, only on a diagnosis that has
 * findings or whose contract names the provider: it rewrites a finding's
 * hint into the provider's fix and tags it `detail.provider`, and, only
 * when the contract says `provider:` (never when merely detected), applies
 * the provider's documented validation rules that differ from RFC 7519's
 * (Cognito access tokens carry `client_id` instead of `aud`; Google ID
 * tokens carry either issuer form). Pure: no I/O, no clock.
 */
import type { Expectations } from '../expectations.ts';
import type { Finding, OwnerRole } from '../reasons.ts';
import type { JsonObject } from '../token/decode.ts';

export const PROVIDER_NAMES = ['cognito', 'entra', 'okta', 'keycloak', 'auth0', 'google', 'firebase', 'generic'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The contract's `provider:` field: a name, or { name, tokenUse } (docs/providers.md). */
export interface ProviderSetting {
  name: ProviderName;
  /** Cognito: the token_use the API takes (default access). */
  tokenUse?: 'access' | 'id';
}

/** What a profile reads and edits: the diagnosis's findings, in place. */
export interface ProfileContext {
  findings: Finding[];
  header: JsonObject | undefined;
  claims: JsonObject | undefined;
  expectations: Expectations;
  /** True when the contract names this provider: the profile may change verdicts, not only advice. */
  configured: boolean;
  setting: ProviderSetting;
}

export interface Profile {
  name: ProviderName;
  /** The provider's name as its users know it. */
  title: string;
  /** Where its token format is documented (cited in docs/providers.md). */
  docs: string;
  /** True when this issuer string is one this provider mints (token iss, contract issuer, discovery issuer). */
  ownsIssuer(iss: string): boolean;
  /** Rewrites findings into the provider's own fix; verdict changes only when ctx.configured. */
  adjust(ctx: ProfileContext): void;
}

/**
 * The finding at `i` replaced by a copy with the provider's hint (and the
 * role that applies that fix, when it is not the generic code's) and
 * `detail.provider` (findings may be shared by cached header plans: never
 * edited in place).
 */
export function retag(ctx: ProfileContext, i: number, hint: string, detail: Record<string, unknown> = {}, owner?: OwnerRole): void {
  const f = ctx.findings[i];
  if (!f) return;
  ctx.findings[i] = { ...f, hint, ...(owner ? { owner } : {}), detail: { ...(f.detail ?? {}), ...detail, provider: ctx.setting.name } };
}

/** Index of the first finding with this code (and claim, when given), or -1. */
export function findingIndex(ctx: ProfileContext, code: Finding['code'], claim?: string): number {
  return ctx.findings.findIndex((f) => f.code === code && (claim === undefined || f.claim === claim));
}

/** The token's string claim, or undefined. */
export function stringClaim(claims: JsonObject | undefined, name: string): string | undefined {
  const v = claims?.[name];
  return typeof v === 'string' ? v : undefined;
}

/** The token's aud as a list of strings. */
export function audiences(claims: JsonObject | undefined): string[] {
  const aud = claims?.aud;
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Each expected issuer paired with the token's, for issuer_mismatch rewrites. */
export function issuerPair(ctx: ProfileContext): { actual: string; expected: string[] } | undefined {
  const actual = stringClaim(ctx.claims, 'iss');
  const expected = ctx.expectations.issuer;
  return actual !== undefined && expected && expected.length > 0 ? { actual, expected } : undefined;
}
