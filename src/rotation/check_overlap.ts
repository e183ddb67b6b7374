import { makeFinding, type Finding } from '../reasons.ts';
import { normalizeTokenInput } from '../token/normalize.ts';
import { peekToken } from '../token/decode.ts';
import type { LoadedKeyMaterial } from './load_key_material.ts';
import { worstSeverity } from './format_text.ts';

export const OVERLAP_SCHEMA = 'jwt-doctor/rotation-overlap/v1';

interface SetKey {
  kid?: string;
  thumbprint?: string;
}

export interface OverlapReport {
  schema: typeof OVERLAP_SCHEMA;
  now: string;
  mode: 'tokens' | 'lifetime';
  /** Keys in the old set and not in the new one: the keys being retired. */
  retiring: SetKey[];
  kept: SetKey[];
  added: SetKey[];
  lifetimeSeconds?: number;
  clockToleranceSeconds: number;
  /** Lifetime mode: when the signer stops signing with the old key. */
  switchedAt?: string;
  tokens?: {
    total: number;
    unreadable: number;
    expired: number;
    live: number;
    byKid: Record<string, { live: number; latestExp?: string; set: 'old' | 'new' | 'both' | 'none' }>;
  };
  /**
   * Earliest instant at which the old key(s) can stop being trusted: a pure
   * function of the plan (switch time, lifetime, tolerance, tokens' exp),
   * never of the clock; it may lie in the past.
   */
  earliestSafeRetirement: string;
  /** now >= earliestSafeRetirement: the overlap has already run its course (the only use of `now`). */
  alreadySafe: boolean;
  /** retireAt <= now: the planned retirement has already happened. */
  retired?: boolean;
  retireAt?: string;
  /** Seconds between retireAt and the earliest safe time (negative: too early). */
  marginSeconds?: number;
  safe: boolean;
  findings: Finding[];
  result: 'ok' | 'warning' | 'error';
}

export interface CheckOverlapInput {
  old: LoadedKeyMaterial;
  new: LoadedKeyMaterial;
  /** Token lifetime (policy.tokenLifetimeSeconds) for the lifetime mode. */
  lifetimeSeconds?: number;
  /** Live tokens (one per entry) for the tokens mode: decoded untrusted, only kid and exp read. */
  tokens?: readonly string[];
  /** When the signer switched (or switches) to the new key; default now. UNIX seconds. */
  switchedAt?: number;
  /** Planned retirement of the old key. UNIX seconds. */
  retireAt?: number;
  clockToleranceSeconds?: number;
  /** UNIX seconds. */
  now: number;
}

function keysOf(m: LoadedKeyMaterial): SetKey[] {
  return m.entries
    .filter((e) => e.record && e.record.use !== 'enc')
    .map((e) => ({
      ...(e.record!.kid !== undefined ? { kid: e.record!.kid } : {}),
      ...((e.record!.thumbprint ?? e.record!.fingerprint) ? { thumbprint: e.record!.thumbprint ?? e.record!.fingerprint } : {}),
    }));
}

function same(a: SetKey, b: SetKey): boolean {
  if (a.thumbprint !== undefined && b.thumbprint !== undefined)
    return a.thumbprint === b.thumbprint && (a.kid === undefined || b.kid === undefined || a.kid === b.kid);
  return a.kid !== undefined && a.kid === b.kid;
}

const iso = (s: number) => new Date(s * 1000).toISOString();

/**
 * Proves (or disproves) a rotation's overlap: every key that signed a
 * still-valid token must stay trusted until that token expires (plus the
 * clock tolerance). With live tokens, the latest exp per retiring kid
 * decides; with only a lifetime, the old key must outlive the switch by
 * one token lifetime. Gives the earliest safe retirement time and, with
 * `retireAt`, `rotation_overlap_short` when the plan is too early. Pure,
 * and a function of the plan: `now` only says what has already happened
 * (which tokens are still live, `alreadySafe`, `retired`), so the same plan
 * checked before and after its retirement gets the same verdict.
 *
 * @example checkOverlap({ old, new: next, lifetimeSeconds: 3600, now: Date.now() / 1000 }).earliestSafeRetirement
 */
export function checkOverlap(input: CheckOverlapInput): OverlapReport {
  const findings: Finding[] = [...input.old.findings, ...input.new.findings].filter((f) => f.severity === 'error');
  const oldKeys = keysOf(input.old);
  const newKeys = keysOf(input.new);
  const retiring = oldKeys.filter((o) => !newKeys.some((n) => same(o, n)));
  const kept = oldKeys.filter((o) => newKeys.some((n) => same(o, n)));
  const added = newKeys.filter((n) => !oldKeys.some((o) => same(o, n)));
  const tol = input.clockToleranceSeconds ?? 0;
  const now = input.now;
  // The latest instant a retiring key is still needed; undefined: nothing constrains the retirement.
  let earliest: number | undefined;
  const report: OverlapReport = {
    schema: OVERLAP_SCHEMA,
    now: iso(now),
    mode: input.tokens ? 'tokens' : 'lifetime',
    retiring,
    kept,
    added,
    clockToleranceSeconds: tol,
    earliestSafeRetirement: iso(now),
    alreadySafe: true,
    safe: true,
    findings,
    result: 'ok',
  };

  if (input.tokens) {
    const read = readTokens(input.tokens, oldKeys, newKeys, tol, now, findings);
    report.tokens = read.summary;
    earliest = read.earliest;
  } else if (input.lifetimeSeconds !== undefined) {
    report.lifetimeSeconds = input.lifetimeSeconds;
    const switchedAt = input.switchedAt ?? now;
    report.switchedAt = iso(switchedAt);
    // The last token signed with the old key is minted just before the switch and lives one
    // lifetime (README formula): switchedAt + lifetime + tolerance, whatever the clock says now.
    if (retiring.length > 0) earliest = switchedAt + input.lifetimeSeconds + tol;
  }
  judgeRetirement(report, input, retiring, findings, earliest);
  report.result = worstSeverity(findings);
  return report;
}

/**
 * The token list of a `tokens` check: per kid, how many are live and until
 * when; `earliest` is the latest exp (+ tolerance) of a token only the
 * retiring keys verify. Pushes key_not_found for a live token no set trusts.
 */
function readTokens(
  tokens: readonly string[],
  oldKeys: SetKey[],
  newKeys: SetKey[],
  tol: number,
  now: number,
  findings: Finding[],
): { summary: NonNullable<OverlapReport['tokens']>; earliest: number | undefined } {
  const byKid: NonNullable<OverlapReport['tokens']>['byKid'] = {};
  let earliest: number | undefined;
  let unreadable = 0;
  let expired = 0;
  let live = 0;
  tokens.forEach((line, index) => {
    const { token } = normalizeTokenInput(line);
    const peek = token ? peekToken(token) : { findings: [] };
    const kid = peek.header?.kid;
    const exp = peek.payload?.exp;
    if (!peek.header || typeof exp !== 'number') {
      unreadable++;
      return;
    }
    const k: SetKey = typeof kid === 'string' ? { kid } : {};
    const inOld = k.kid !== undefined && oldKeys.some((o) => o.kid === k.kid);
    const inNew = k.kid !== undefined && newKeys.some((n) => n.kid === k.kid);
    const set = inOld && inNew ? 'both' : inOld ? 'old' : inNew ? 'new' : 'none';
    // The plan's constraint counts every token the retiring key signed, expired or not, so
    // the verdict does not depend on when the check runs (an exp in the past constrains nothing
    // that matters: the earliest time is then in the past too).
    if (set === 'old') earliest = Math.max(earliest ?? -Infinity, exp + tol);
    // RFC 7519 section 4.1.4: rejected when now >= exp (+ tolerance); such a token needs no key.
    if (now >= exp + tol) {
      expired++;
      return;
    }
    live++;
    const name = k.kid ?? '(no kid)';
    const row = (byKid[name] ??= { live: 0, set });
    row.live++;
    if (row.latestExp === undefined || Date.parse(row.latestExp) / 1000 < exp) row.latestExp = iso(exp);
    if (set === 'none') {
      findings.push(
        makeFinding('key_not_found', {
          severity: k.kid === undefined ? 'warning' : 'error',
          claim: 'header.kid',
          actual: k.kid ?? null,
          detail: { index, ...(k.kid !== undefined ? { kid: k.kid } : { reason: 'no_kid' }), exp: iso(exp) },
        }),
      );
    }
  });
  return { summary: { total: tokens.length, unreadable, expired, live, byKid }, earliest };
}

/** Fills the times and the verdict: `now` only tells what has already happened. */
function judgeRetirement(
  report: OverlapReport,
  input: CheckOverlapInput,
  retiring: SetKey[],
  findings: Finding[],
  constraint: number | undefined,
): void {
  // With nothing to wait for, the earliest safe time is the check instant (already safe).
  const earliest = constraint ?? input.now;
  report.earliestSafeRetirement = iso(earliest);
  report.alreadySafe = input.now >= earliest;
  if (input.retireAt !== undefined) {
    report.retireAt = iso(input.retireAt);
    report.retired = input.retireAt <= input.now;
    report.marginSeconds = Math.round(input.retireAt - earliest);
    if (constraint !== undefined && input.retireAt < constraint && retiring.length > 0) {
      report.safe = false;
      findings.push(
        makeFinding('rotation_overlap_short', {
          claim: 'retireAt',
          expected: report.earliestSafeRetirement,
          actual: report.retireAt,
          detail: {
            retiring: retiring.map((k) => k.kid ?? k.thumbprint),
            shortBySeconds: Math.round(earliest - input.retireAt),
            earliestSafeRetirement: report.earliestSafeRetirement,
          },
        }),
      );
    }
  }
}
