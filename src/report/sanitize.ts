import { createHmac } from 'node:crypto';
import type { Diagnosis } from '../diagnose.ts';
import type { Finding } from '../reasons.ts';

/** Claims that identify a person or session: replaced by short hashes under --sanitize. */
export const IDENTIFYING_CLAIMS = new Set([
  'sub',
  'email',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'upn',
  'unique_name',
  'phone_number',
  'address',
  'birthdate',
  'oid',
  'sid',
  'session_state',
  'jti',
  'nonce',
  'at_hash',
  'c_hash',
  'ip',
  'ipaddr',
  'login_hint',
  'username',
  'user_id',
  'uid',
]);

/** A short stable hash: the same value gives the same hash within an incident, and cannot be read back. */
export function shortHash(value: unknown): string {
  const key = process.env.JWT_DOCTOR_FINGERPRINT_KEY || 'jwt-doctor/sanitize/v1';
  return 'hash:' + createHmac('sha256', key).update(JSON.stringify(value)).digest('hex').slice(0, 10);
}

export function sanitizeClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = IDENTIFYING_CLAIMS.has(k) || /email|phone|name$/i.test(k) ? shortHash(v) : v;
  return out;
}

function sanitizeFinding(f: Finding): Finding {
  if (!f.claim || !(IDENTIFYING_CLAIMS.has(f.claim) || /email|phone|name$/i.test(f.claim))) return f;
  const out: Finding = { ...f };
  if (out.actual !== undefined && out.actual !== null) out.actual = shortHash(out.actual);
  if (out.expected !== undefined && out.expected !== null) out.expected = shortHash(out.expected);
  return out;
}

/**
 * What an incident note needs and nothing more: identifying claims as
 * short hashes, no signature bytes (never carried), no raw token (never
 * carried), no secret (never carried: keys are identities only).
 */
export function sanitizeDiagnosis(d: Diagnosis): Diagnosis {
  const out: Diagnosis = { ...d, findings: d.findings.map(sanitizeFinding) };
  if (d.claims) out.claims = sanitizeClaims(d.claims);
  return out;
}
