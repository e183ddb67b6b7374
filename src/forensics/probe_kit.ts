/**
 * What every forensic probe shares: which keys to try, a verification that
 * spends the budget, and how a key is named in evidence (identities only).
 */
import { verify as cryptoVerify } from 'node:crypto';
import type { AlgorithmEntry } from '../keys/algorithms.ts';
import type { KeyRecord } from '../keys/import.ts';
import type { JsonObject } from '../token/decode.ts';
import type { ForensicsBudget } from './types.ts';

/**
 * The trusted keys of a type a probe may try for this header: the keys
 * with the token's kid, else the kid-less ones (selectKeys' rule, without
 * the alg binding: a probe asks what the key would verify under another
 * reading). Keys excluded by `use` or `key_ops` are left to the
 * key_use_excluded probe, so two causes never name one key.
 */
export function keysForHeader(header: JsonObject, trusted: readonly KeyRecord[], kty: KeyRecord['kty']): KeyRecord[] {
  const usable = trusted.filter(
    (k) => k.kty === kty && (k.use === undefined || k.use === 'sig') && (k.keyOps === undefined || k.keyOps.includes('verify')),
  );
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (kid === undefined) return usable;
  const byKid = usable.filter((k) => k.kid === kid);
  return byKid.length > 0 ? byKid : usable.filter((k) => k.kid === undefined);
}

/** Runs one verification if the budget allows it (false when it does not). */
export function spend(budget: ForensicsBudget, verify: () => boolean): boolean {
  if (budget.remaining <= 0) return false;
  budget.remaining--;
  try {
    return verify();
  } catch {
    return false;
  }
}

/** crypto.verify over a signing input (ASCII), never throwing. */
export function verifyRaw(
  hash: AlgorithmEntry['hash'],
  signingInput: string,
  key: Parameters<typeof cryptoVerify>[2],
  signature: Buffer,
): boolean {
  try {
    return cryptoVerify(hash, Buffer.from(signingInput, 'latin1'), key, signature);
  } catch {
    return false;
  }
}

/** A key in evidence: kid and RFC 7638 thumbprint, or a secret's keyed fingerprint. Never material. */
export function keyIdentity(key: KeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (key.kid !== undefined) out.kid = key.kid;
  if (key.thumbprint !== undefined) out.thumbprint = key.thumbprint;
  if (key.fingerprint !== undefined) out.fingerprint = key.fingerprint;
  if (key.bits !== undefined) out.bits = key.bits;
  if (key.crv !== undefined) out.crv = key.crv;
  return out;
}
