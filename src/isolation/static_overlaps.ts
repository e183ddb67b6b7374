import type { Contract } from '../contract/load.ts';
import { readClientsSection } from '../contract/sections.ts';
import type { KeyRecord } from '../keys/import.ts';
import { makeFinding, type Finding } from '../reasons.ts';

/** What production shares with another environment: one finding each, named, never the key itself. */
export type OverlapKind = 'key' | 'issuer' | 'audience';

/**
 * Every audience a token of the environment can carry: the environment's
 * and its clients' (clients.<name>.audience), each a token some signer of
 * that environment mints.
 */
export function audiencesOf(contract: Contract, envName: string): string[] {
  const env = contract.environments[envName]!;
  const clients = Object.values(readClientsSection(contract, env));
  return [...new Set([...(env.audience ?? []), ...clients.flatMap((c) => c.audience ?? [])])];
}

/** A key's identity for evidence: kid and RFC 7638 thumbprint, or the secret's keyed fingerprint (never the material). */
function keyIdentity(k: KeyRecord): Record<string, unknown> {
  return {
    ...(k.kid !== undefined ? { kid: k.kid } : {}),
    ...(k.thumbprint !== undefined ? { thumbprint: k.thumbprint } : {}),
    ...(k.fingerprint !== undefined ? { fingerprint: k.fingerprint } : {}),
  };
}

const sameKey = (a: KeyRecord, b: KeyRecord): boolean =>
  (a.thumbprint !== undefined && a.thumbprint === b.thumbprint) || (a.fingerprint !== undefined && a.fingerprint === b.fingerprint);

/**
 * The overlaps that break isolation whatever is minted: production trusts
 * a key (same RFC 7638 thumbprint, same secret fingerprint), an issuer or
 * an audience that another environment also uses. A shared key means the
 * other environment's signer (or anyone who took it from a less guarded
 * environment) mints tokens production accepts; a shared issuer or
 * audience removes one of the checks that keep a token minted for the
 * other environment out (RFC 8725 section 3.8 and 3.9: validate issuer and
 * audience so a token for one relying party is not usable at another).
 *
 * @example findStaticOverlaps(contract, 'prod', keysByEnv).map((f) => f.detail?.overlap) // ['key', 'issuer']
 */
export function findStaticOverlaps(contract: Contract, prodName: string, keysByEnv: ReadonlyMap<string, readonly KeyRecord[]>): Finding[] {
  const prod = contract.environments[prodName]!;
  const prodKeys = keysByEnv.get(prodName) ?? [];
  const prodAudiences = new Set(prod.audience ?? []);
  const out: Finding[] = [];
  const overlap = (from: string, kind: OverlapKind, evidence: Record<string, unknown>) =>
    out.push(
      makeFinding('environment_isolation_broken', { detail: { from, variant: 'static', overlap: kind, critical: true, ...evidence } }),
    );
  for (const [name, env] of Object.entries(contract.environments)) {
    if (name === prodName) continue;
    for (const k of prodKeys) if ((keysByEnv.get(name) ?? []).some((o) => sameKey(k, o))) overlap(name, 'key', keyIdentity(k));
    for (const iss of env.issuer ?? []) if (prod.issuer?.includes(iss)) overlap(name, 'issuer', { value: iss });
    for (const aud of audiencesOf(contract, name)) if (prodAudiences.has(aud)) overlap(name, 'audience', { value: aud });
  }
  return out;
}
