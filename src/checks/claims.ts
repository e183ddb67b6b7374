import { makeFinding, type Finding } from '../reasons.ts';
import type { ClaimExpectation, Expectations } from '../expectations.ts';
import type { JsonObject } from '../token/decode.ts';

/** Shared result of a passing check: frozen, so no caller can append to it. */
const NONE: readonly Finding[] = Object.freeze([]);

/** Other environments' issuers and audiences, for "minted by env X" hints. */
export interface ClaimContext {
  otherEnvironments?: readonly { name: string; issuer?: string[]; audience?: string[] }[];
}

/** Why two issuer strings nearly match: the hint the report shows. */
export function issuerNearMiss(actual: string, expected: string): string | undefined {
  if (actual.replace(/\/+$/, '') === expected.replace(/\/+$/, '')) return 'trailing_slash';
  if (actual.toLowerCase() === expected.toLowerCase()) return 'case';
  let a: URL, e: URL;
  try {
    a = new URL(actual);
    e = new URL(expected);
  } catch {
    return undefined;
  }
  const path = (u: URL) => u.pathname.replace(/\/+$/, '');
  if (a.protocol !== e.protocol && a.host === e.host && path(a) === path(e)) return 'scheme';
  // hostname, not host: host carries the port, and a port-only difference is its own hint.
  if (a.hostname.toLowerCase() === e.hostname.toLowerCase() && path(a) === path(e)) return a.port !== e.port ? 'port' : 'case';
  if (a.host !== e.host && path(a) === path(e)) {
    // auth.staging.example.com vs auth.example.com: same registrable tail.
    const tail = (h: string) => h.split('.').slice(-2).join('.');
    if (tail(a.hostname) === tail(e.hostname)) return 'host_alias';
  }
  return undefined;
}

const NEAR_MISS_HINTS: Record<string, string> = {
  trailing_slash: 'The issuers differ only by a trailing slash: iss is compared byte for byte (RFC 7519 section 4.1.1).',
  case: 'The issuers differ only in letter case: iss is case-sensitive.',
  scheme: 'The issuers differ only in scheme (http vs https).',
  port: 'The issuers differ only in port.',
  host_alias: 'Same issuer path on another host: the token was likely minted by another deployment of the issuer (staging vs prod host).',
};

function otherEnvFor(kind: 'issuer' | 'audience', values: unknown[], ctx: ClaimContext): string[] {
  return (ctx.otherEnvironments ?? [])
    .filter((e) => values.some((v) => typeof v === 'string' && (e[kind] ?? []).includes(v)))
    .map((e) => e.name);
}

export function checkIssuer(payload: JsonObject, exp: Expectations, ctx: ClaimContext = {}): readonly Finding[] {
  if (!exp.issuer || exp.issuer.length === 0) return NONE;
  const iss = payload.iss;
  if (iss === undefined) return [makeFinding('missing_claim', { claim: 'iss', expected: one(exp.issuer), actual: null })];
  if (typeof iss === 'string' && exp.issuer.includes(iss)) return NONE;
  const nearMiss = typeof iss === 'string' ? exp.issuer.map((e) => issuerNearMiss(iss, e)).find(Boolean) : undefined;
  const envs = otherEnvFor('issuer', [iss], ctx);
  const detail: Record<string, unknown> = {};
  if (nearMiss) detail.nearMiss = nearMiss;
  if (envs.length) detail.issuerOfEnvironments = envs;
  const hint = envs.length
    ? `The token's issuer belongs to environment ${envs.join(', ')}: the client logged in against the wrong issuer, or this verifier's issuer is wrong.`
    : nearMiss
      ? NEAR_MISS_HINTS[nearMiss]!
      : undefined;
  return [makeFinding('issuer_mismatch', { claim: 'iss', expected: one(exp.issuer), actual: iss, detail, ...(hint ? { hint } : {}) })];
}

export function checkAudience(payload: JsonObject, exp: Expectations, ctx: ClaimContext = {}): readonly Finding[] {
  if (!exp.audience || exp.audience.length === 0) return NONE;
  const aud = payload.aud;
  if (aud === undefined) return [makeFinding('missing_claim', { claim: 'aud', expected: one(exp.audience), actual: null })];
  // RFC 7519 section 4.1.3: the verifier must identify itself with a value in aud.
  if (typeof aud === 'string' && exp.audience.includes(aud)) return NONE;
  const values = Array.isArray(aud) ? aud : [aud];
  if (values.some((v) => typeof v === 'string' && exp.audience!.includes(v))) return NONE;
  const detail: Record<string, unknown> = {};
  let hint: string | undefined;
  const envs = otherEnvFor('audience', values, ctx);
  if (envs.length) {
    detail.audienceOfEnvironments = envs;
    hint = `The token was issued for environment ${envs.join(', ')}'s audience: request it for this API's audience.`;
  }
  // "a b" as one string instead of ["a", "b"].
  if (typeof aud === 'string' && /[\s,]/.test(aud) && aud.split(/[\s,]+/).some((v) => exp.audience!.includes(v))) {
    detail.nearMiss = 'delimited_string';
    hint = 'aud holds several audiences in one delimited string; it must be a JSON array of strings.';
  }
  const clientIds = [payload.azp, payload.client_id].filter((v): v is string => typeof v === 'string');
  if (values.some((v) => clientIds.includes(v as string))) {
    detail.nearMiss = 'client_id';
    hint ??=
      "aud holds the client id (azp/client_id): request the token for the API's identifier (the resource/audience parameter), not the client.";
  } else if (exp.audience.some((a) => clientIds.includes(a))) {
    detail.nearMiss = 'expected_client_id';
    hint ??= "The verifier expects the client id as audience; the token names the API identifier. Align the verifier's audience.";
  }
  if (
    !detail.nearMiss &&
    values.some(
      (v) =>
        typeof v === 'string' &&
        exp.audience!.some((a) => a.toLowerCase() === v.toLowerCase() || a.replace(/\/+$/, '') === v.replace(/\/+$/, '')),
    )
  ) {
    detail.nearMiss = 'case_or_slash';
    hint ??= 'An audience differs only by case or trailing slash: aud is compared exactly.';
  }
  return [makeFinding('audience_mismatch', { claim: 'aud', expected: one(exp.audience), actual: aud, detail, ...(hint ? { hint } : {}) })];
}

/** RFC 7515 section 4.1.9: typ compares case-insensitively, "application/" may be omitted. */
export function normalizeTyp(typ: string): string {
  const t = typ.toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}

export function checkTyp(header: JsonObject, exp: Expectations): readonly Finding[] {
  if (exp.typ === undefined) return NONE;
  const typ = header.typ;
  if (typeof typ === 'string' && normalizeTyp(typ) === normalizeTyp(exp.typ)) return NONE;
  const detail: Record<string, unknown> = {};
  let hint: string | undefined;
  const pair = [normalizeTyp(exp.typ), typeof typ === 'string' ? normalizeTyp(typ) : ''].sort().join('|');
  if (pair === 'at+jwt|jwt') {
    detail.nearMiss = 'at+jwt_vs_jwt';
    hint =
      'RFC 9068 access tokens carry typ "at+jwt"; ID tokens and generic JWTs "JWT". Is the client sending an ID token as an access token, or is the verifier pinned to the wrong typ?';
  }
  return [makeFinding('typ_mismatch', { claim: 'header.typ', expected: exp.typ, actual: typ ?? null, detail, ...(hint ? { hint } : {}) })];
}

export function checkRequiredClaims(payload: JsonObject, exp: Expectations): readonly Finding[] {
  if (!exp.requiredClaims) return NONE;
  const out: Finding[] = [];
  for (const claim of exp.requiredClaims ?? []) {
    if (!(claim in payload) || payload[claim] === null) out.push(makeFinding('missing_claim', { claim, actual: null }));
  }
  return out;
}

function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(' ').filter(Boolean);
  return v === undefined || v === null ? [] : [v];
}

export function matchClaim(actual: unknown, want: ClaimExpectation): boolean {
  if (want === null || typeof want !== 'object') return actual === want;
  if ('equals' in want) return JSON.stringify(actual) === JSON.stringify(want.equals);
  if ('oneOf' in want) return want.oneOf.some((w) => JSON.stringify(w) === JSON.stringify(actual));
  const have = asList(actual);
  return (Array.isArray(want.includes) ? want.includes : [want.includes]).every((w) => have.includes(w));
}

export function checkExpectedClaims(payload: JsonObject, exp: Expectations): readonly Finding[] {
  if (!exp.claims) return NONE;
  const out: Finding[] = [];
  for (const [claim, want] of Object.entries(exp.claims ?? {})) {
    if (!(claim in payload)) {
      out.push(makeFinding('missing_claim', { claim, expected: want, actual: null }));
      continue;
    }
    if (!matchClaim(payload[claim], want)) {
      const detail: Record<string, unknown> = {};
      if (typeof want === 'object' && want !== null && 'includes' in want) {
        const have = asList(payload[claim]);
        detail.missing = (Array.isArray(want.includes) ? want.includes : [want.includes]).filter((w) => !have.includes(w));
      }
      out.push(makeFinding('claim_mismatch', { claim, expected: want, actual: payload[claim], detail }));
    }
  }
  return out;
}

function one(list: string[]): string | string[] {
  return list.length === 1 ? list[0]! : list;
}
