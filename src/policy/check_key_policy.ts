import { X509Certificate } from 'node:crypto';
import { makeFinding, type Finding } from '../reasons.ts';
import type { PolicySection } from '../contract/policy_section.ts';

/** Where a key's publication date came from, most explicit first. */
export type KeyAgeSource = 'contract' | 'jwk_iat' | 'x5c_not_before';

/** One trusted key and what is known of its age. */
export interface KeyAge {
  kid?: string;
  thumbprint?: string;
  /** NumericDate the key was published (or its certificate became valid). */
  publishedAt?: number;
  ageSource?: KeyAgeSource;
}

/** The key facts the age comes from: the imported record's names and its raw JWK. */
export interface KeyFacts {
  kid?: string;
  thumbprint?: string;
  jwk?: Readonly<Record<string, unknown>>;
}

const DAY = 86400;

/**
 * A key's publication date: the contract's `policy.keyPublished` entry
 * (by kid, or by thumbprint for a key without one) wins, because it is what
 * the operators assert; else the JWK's `iat` (a NumericDate some providers
 * publish; not registered by RFC 7517, so read only when it is a number);
 * else the notBefore of the first x5c certificate (RFC 7517 section 4.7).
 *
 * @example keyAgeOf({ kid: 'k1', jwk: { iat: 1764547200 } }, {}).ageSource // 'jwk_iat'
 */
export function keyAgeOf(key: KeyFacts, policy: PolicySection): KeyAge {
  const out: KeyAge = {
    ...(key.kid !== undefined ? { kid: key.kid } : {}),
    ...(key.thumbprint !== undefined ? { thumbprint: key.thumbprint } : {}),
  };
  const declared =
    (key.kid !== undefined ? policy.keyPublished?.[key.kid] : undefined) ??
    (key.thumbprint !== undefined ? policy.keyPublished?.[key.thumbprint] : undefined);
  if (declared !== undefined) return { ...out, publishedAt: declared, ageSource: 'contract' };
  const iat = key.jwk?.iat;
  if (typeof iat === 'number' && Number.isFinite(iat)) return { ...out, publishedAt: iat, ageSource: 'jwk_iat' };
  const x5c = key.jwk?.x5c;
  if (Array.isArray(x5c) && typeof x5c[0] === 'string') {
    try {
      const from = Date.parse(new X509Certificate(Buffer.from(x5c[0], 'base64')).validFrom) / 1000;
      if (Number.isFinite(from)) return { ...out, publishedAt: from, ageSource: 'x5c_not_before' };
    } catch {
      // A broken certificate says nothing about the age: unknown.
    }
  }
  return out;
}

const label = (k: KeyAge) => ({
  ...(k.kid !== undefined ? { kid: k.kid } : {}),
  ...(k.thumbprint !== undefined ? { thumbprint: k.thumbprint } : {}),
});

/**
 * The key-lifecycle rules (pure: `now` comes in): every key older than
 * keyMaxAgeDays is key_too_old; when the newest key is older than
 * keyRolloverDays the rotation is overdue (key_rotation_overdue); a key
 * whose age nothing tells is key_age_unknown (info: it cannot be checked).
 *
 * @example checkKeyPolicy([{ kid: 'k1', publishedAt: 0 }], { keyMaxAgeDays: 90 }, 100 * 86400)[0].code // 'key_too_old'
 */
export function checkKeyPolicy(keys: readonly KeyAge[], policy: PolicySection, now: number): Finding[] {
  const { keyMaxAgeDays: maxAge, keyRolloverDays: cadence } = policy;
  if (maxAge === undefined && cadence === undefined) return [];
  const findings: Finding[] = [];
  for (const k of keys) {
    if (k.publishedAt === undefined) {
      findings.push(makeFinding('key_age_unknown', { claim: 'keys', detail: label(k) }));
      continue;
    }
    const ageDays = (now - k.publishedAt) / DAY;
    if (maxAge !== undefined && ageDays > maxAge)
      findings.push(
        makeFinding('key_too_old', {
          claim: 'keys',
          expected: maxAge,
          actual: round(ageDays),
          detail: { ...label(k), ageDays: round(ageDays), keyMaxAgeDays: maxAge, ageSource: k.ageSource },
        }),
      );
  }
  const known = keys.filter((k) => k.publishedAt !== undefined);
  if (cadence !== undefined && known.length > 0) {
    const newest = known.reduce((a, b) => (b.publishedAt! > a.publishedAt! ? b : a));
    const days = (now - newest.publishedAt!) / DAY;
    if (days > cadence)
      findings.push(
        makeFinding('key_rotation_overdue', {
          claim: 'keys',
          expected: cadence,
          actual: round(days),
          detail: { ...label(newest), newestKeyAgeDays: round(days), keyRolloverDays: cadence },
        }),
      );
  }
  return findings;
}

const round = (days: number) => Math.round(days * 10) / 10;
