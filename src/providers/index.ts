/**
 * Provider profiles (docs/providers.md): the registry, the contract's
 * `provider:` field, detection from an issuer, and the one entry point the
 * diagnoser calls on a diagnosis.
 */
import type { Expectations } from '../expectations.ts';
import type { Finding } from '../reasons.ts';
import type { JsonObject } from '../token/decode.ts';
import { auth0 } from './auth0.ts';
import { cognito } from './cognito.ts';
import { entra } from './entra.ts';
import { firebase } from './firebase.ts';
import { google } from './google.ts';
import { keycloak } from './keycloak.ts';
import { okta } from './okta.ts';
import { PROVIDER_NAMES, type Profile, type ProviderName, type ProviderSetting } from './profile.ts';

export { PROVIDER_NAMES, type Profile, type ProviderName, type ProviderSetting } from './profile.ts';

/** The generic profile: RFC 7519 as it is, no rewrite. */
const generic: Profile = {
  name: 'generic',
  title: 'Generic OpenID provider',
  docs: 'https://www.rfc-editor.org/rfc/rfc7519',
  ownsIssuer: () => false,
  adjust: () => undefined,
};

export const PROFILES: Readonly<Record<ProviderName, Profile>> = { cognito, entra, okta, keycloak, auth0, google, firebase, generic };

// Detection order: the most specific issuer forms first (Firebase before Google).
const DETECTABLE: readonly Profile[] = [cognito, entra, okta, firebase, google, auth0, keycloak];

/** Which provider minted a token with this issuer, by the issuer forms each documents; undefined when none. */
export function detectProvider(issuer: string): ProviderName | undefined {
  for (const p of DETECTABLE) if (p.ownsIssuer(issuer)) return p.name;
  return undefined;
}

/** The diagnosis's `provider` field: the profile used, and whether the contract said it or jwt-doctor detected it. */
export interface ProviderReport {
  name: ProviderName;
  source: 'contract' | 'detected';
}

/** The contract's `provider:` (a name, or { name, tokenUse }), already schema-checked; undefined when absent. */
export function readProviderSetting(expectations: Expectations): ProviderSetting | undefined {
  const raw = expectations.provider;
  if (typeof raw === 'string') return (PROVIDER_NAMES as readonly string[]).includes(raw) ? { name: raw as ProviderName } : undefined;
  if (raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string') return raw as ProviderSetting;
  return undefined;
}

/** Resolved once per diagnoser: the contract's provider, else the one its issuers show. */
export function providerOfContract(expectations: Expectations): { setting: ProviderSetting; report: ProviderReport } | undefined {
  const setting = readProviderSetting(expectations);
  if (setting) return { setting, report: { name: setting.name, source: 'contract' } };
  for (const iss of expectations.issuer ?? []) {
    const name = detectProvider(iss);
    if (name) return { setting: { name }, report: { name, source: 'detected' } };
  }
  return undefined;
}

/**
 * Applies a profile to one diagnosis's findings, in place, and says which
 * profile was used. `known` is providerOfContract's answer; without one, the
 * token's own iss may show the provider (on a diagnosis with findings only:
 * a valid token needs no advice, and the hot path stays as it was).
 */
export function applyProviderProfile(
  findings: Finding[],
  token: { header: JsonObject | undefined; claims: JsonObject | undefined },
  expectations: Expectations,
  known: { setting: ProviderSetting; report: ProviderReport } | undefined,
): ProviderReport | undefined {
  let resolved = known;
  if (!resolved) {
    const iss = token.claims?.iss;
    const name = typeof iss === 'string' && findings.length > 0 ? detectProvider(iss) : undefined;
    if (!name) return undefined;
    resolved = { setting: { name }, report: { name, source: 'detected' } };
  }
  const configured = resolved.report.source === 'contract';
  if (findings.length > 0 || configured)
    PROFILES[resolved.setting.name].adjust({ findings, ...token, expectations, configured, setting: resolved.setting });
  return resolved.report;
}
