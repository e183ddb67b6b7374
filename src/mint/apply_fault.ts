import { generateKeyPairSync, randomBytes, createSecretKey, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import { ALGORITHMS, ALGORITHM_NAMES, algorithmsForKey, type AlgorithmEntry } from '../keys/algorithms.ts';
import { normalizeTyp } from '../checks/claims.ts';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS } from '../defaults.ts';
import { MINTABLE_FAULTS, type MintableFault } from './faults.ts';
import { valueMeeting, type TokenDraft } from './draft_token.ts';
import type { Signer } from './load_signer.ts';

/** The one change a fault made, as `mint --format json` reports it. */
export interface MintedFault {
  code: MintableFault;
  /** 'iss', 'aud', 'exp', 'header.alg', 'signature', ... */
  claim: string;
  change: string;
  from?: unknown;
  to?: unknown;
}

/** What a fault may read: the environment, the contract's other environments, the instant, the signer. */
export interface FaultContext {
  env: Expectations;
  others: readonly Pick<Expectations, 'issuer' | 'audience'>[];
  now: number;
  lifetimeSeconds: number;
  signer: Signer;
}

// Far enough past each bound that no rounding or a second's tick undoes the fault.
const MARGIN = 60;

type Apply = (d: TokenDraft, c: FaultContext) => Omit<MintedFault, 'code' | 'change'>;

const set = (target: Record<string, unknown>, name: string, to: unknown, claim = name): Omit<MintedFault, 'code' | 'change'> => {
  const from = target[name];
  if (to === undefined) delete target[name];
  else target[name] = to;
  return { claim, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
};

const tolerance = (c: FaultContext) => c.env.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;

const APPLY: Record<MintableFault, Apply> = {
  malformed_token: (d) => set(d.payload, 'exp', String(d.payload.exp)),
  alg_none: (d) => {
    d.signWith = 'none';
    return set(d.header, 'alg', 'none', 'header.alg');
  },
  alg_not_allowed: (d, c) => {
    const other = disallowedAlg(c);
    d.signWith = other;
    return set(d.header, 'alg', other.alg.name, 'header.alg');
  },
  key_not_found: (d) =>
    set(d.header, 'kid', typeof d.header.kid === 'string' ? `${d.header.kid}-unknown` : 'jwt-doctor-unknown-kid', 'header.kid'),
  signature_invalid: (d) => {
    d.flipSignature = true;
    return { claim: 'signature' };
  },
  token_expired: (d, c) => {
    const exp = c.now - tolerance(c) - MARGIN;
    // iat keeps the lifetime behind exp, but never beyond the maximum age (one fault, not token_too_old too).
    const maxAge = c.env.maxTokenAgeSeconds;
    const iat = Math.max(exp - c.lifetimeSeconds, maxAge !== undefined ? c.now - maxAge : -Infinity);
    d.payload.iat = Math.min(iat, exp);
    return set(d.payload, 'exp', exp);
  },
  token_not_yet_valid: (d, c) => set(d.payload, 'nbf', c.now + tolerance(c) + MARGIN),
  iat_in_future: (d, c) => {
    const iat = c.now + tolerance(c) + MARGIN;
    d.payload.exp = iat + c.lifetimeSeconds;
    return set(d.payload, 'iat', iat);
  },
  token_too_old: (d, c) => set(d.payload, 'iat', c.now - need(c.env.maxTokenAgeSeconds, 'token_too_old') - tolerance(c) - MARGIN),
  issuer_mismatch: (d, c) =>
    set(
      d.payload,
      'iss',
      otherValue(
        need(c.env.issuer, 'issuer_mismatch'),
        c.others.map((o) => o.issuer),
        toggleSlash,
      ),
    ),
  audience_mismatch: (d, c) =>
    set(
      d.payload,
      'aud',
      otherValue(
        need(c.env.audience, 'audience_mismatch'),
        c.others.map((o) => o.audience),
        () => 'jwt-doctor-no-such-audience',
      ),
    ),
  typ_mismatch: (d, c) => set(d.header, 'typ', normalizeTyp(need(c.env.typ, 'typ_mismatch')) === 'jwt' ? 'at+jwt' : 'JWT', 'header.typ'),
  missing_claim: (d, c) => set(d.payload, requiredClaim(c.env), undefined),
  claim_mismatch: (d, c) => {
    const [claim, want] = need(Object.entries(need(c.env.claims, 'claim_mismatch'))[0], 'claim_mismatch');
    return set(d.payload, claim, mismatching(valueMeeting(claim, want), want));
  },
  untrusted_key_reference: (d) => set(d.header, 'jku', 'https://jwt-doctor.invalid/jwks.json', 'header.jku'),
};

/**
 * Applies one fault to a draft and says what changed. A fault the
 * environment cannot have (typ_mismatch without an expected typ) is a
 * usage error naming what the contract must declare.
 *
 * @example applyFault(draft, 'issuer_mismatch', context).to // 'https://auth.staging.example.com'
 */
export function applyFault(draft: TokenDraft, code: MintableFault, context: FaultContext): MintedFault {
  return { code, change: MINTABLE_FAULTS[code].change, ...APPLY[code](draft, context) };
}

function need<T>(value: T | undefined, code: MintableFault): T {
  const requires = (MINTABLE_FAULTS[code] as { requires?: string }).requires;
  if (value === undefined || (Array.isArray(value) && value.length === 0))
    throw new UsageError(
      `fault ${code} needs the environment to declare ${requires ?? 'more'}: this one does not, so a token cannot have that fault here`,
    );
  return value;
}

function toggleSlash(v: string): string {
  return v.endsWith('/') ? v.replace(/\/+$/, '') : `${v}/`;
}

/** Another environment's value this one does not accept, else a derived one. */
function otherValue(accepted: string[], others: (string[] | undefined)[], derive: (v: string) => string): string {
  const foreign = others.flatMap((o) => o ?? []).find((v) => !accepted.includes(v));
  return foreign ?? derive(accepted[0]!);
}

function requiredClaim(env: Expectations): string {
  const candidates = [
    ...(env.requiredClaims ?? []),
    ...(env.issuer ? ['iss'] : []),
    ...(env.audience ? ['aud'] : []),
    ...Object.keys(env.claims ?? {}),
    ...(env.maxTokenAgeSeconds !== undefined ? ['iat'] : []),
  ];
  return need(candidates[0], 'missing_claim');
}

function mismatching(good: unknown, want: unknown): unknown {
  if (typeof good === 'number') return good + 1;
  if (typeof good === 'boolean') return !good;
  if (want !== null && typeof want === 'object' && 'includes' in want) return typeof good === 'string' ? '' : [];
  return typeof good === 'string' ? `${good}-mismatch` : 'jwt-doctor-mismatch';
}

/**
 * An algorithm the verifier refuses: one of the signer's key type outside
 * the contract's `algorithms` (a real signature with the wrong alg), else
 * one of another key type with a throwaway key (what the verifier's keys
 * verify is all it allows when the contract lists none).
 */
function disallowedAlg(c: FaultContext): { alg: AlgorithmEntry; key: KeyObject } {
  const allowed = c.env.algorithms;
  const own = algorithmsForKey(c.signer.kty, c.signer.crv);
  const sameType = allowed ? own.find((a) => !allowed.includes(a)) : undefined;
  if (sameType) return { alg: ALGORITHMS[sameType]!, key: c.signer.key };
  const name = ALGORITHM_NAMES.find((a) => !own.includes(a) && !(allowed ?? []).includes(a) && ALGORITHMS[a]!.kty !== 'OKP')!;
  return { alg: ALGORITHMS[name]!, key: throwawayKey(ALGORITHMS[name]!) };
}

function throwawayKey(alg: AlgorithmEntry): KeyObject {
  if (alg.kty === 'oct') return createSecretKey(randomBytes(64));
  if (alg.kty === 'EC') return generateKeyPairSync('ec', { namedCurve: alg.curves![0]! }).privateKey;
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}
