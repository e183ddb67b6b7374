import type { ApiRoute } from '../contract/api_section.ts';
import { DEFAULT_DRILL_SKEW_SLACK_SECONDS } from '../defaults.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { drillClaims, drillHeader } from './claims.ts';
import { authRoutes } from './run_attacks.ts';
import { answerEvidence, routeName, sendToken, type Answer } from './send_token.ts';
import type { DrillContext, DrillResult, DrillStep } from './types.ts';

/** The time claims the skew drill shifts. */
export type SkewClaim = 'exp' | 'nbf' | 'iat';

/** Widest shift the boundary search tries: a verifier that accepts a token a week off has no tolerance to speak of. */
export const MAX_SKEW_SEARCH_SECONDS = 7 * 86_400;

/**
 * The claims of a token `shift` seconds off in the direction that fails it:
 * exp `shift` seconds in the past (RFC 7519 section 4.1.4), nbf or iat
 * `shift` seconds in the future (sections 4.1.5, 4.1.6). A verifier with
 * tolerance T accepts exp for shift < T, nbf and iat for shift <= T.
 */
function shiftedClaims(ctx: DrillContext, claim: SkewClaim, shift: number): Record<string, unknown> {
  const now = ctx.nowSeconds();
  const base = drillClaims(ctx.env, now);
  const life = Number(base.exp) - now;
  if (claim === 'exp') return { ...base, iat: now - shift - 1, exp: now - shift };
  if (claim === 'nbf') return { ...base, nbf: now + shift, exp: now + shift + life };
  return { ...base, iat: now + shift, exp: now + shift + life };
}

type Probe = (shift: number) => Promise<Answer>;

/**
 * The smallest shift the target rejects, by doubling then bisection
 * between an accepted and a rejected shift (whole seconds). Undefined
 * when nothing up to MAX_SKEW_SEARCH_SECONDS is rejected, or when even
 * the accepted end could not be found.
 */
async function firstRejected(
  probe: Probe,
  accepted: number | undefined,
  rejected: number | undefined,
  start: number,
): Promise<number | undefined> {
  let lo = accepted;
  let hi = rejected;
  for (let step = 1; hi === undefined; step *= 2) {
    const s: number = (lo ?? start) + step;
    if (s > MAX_SKEW_SEARCH_SECONDS) return undefined;
    if ((await probe(s)).verdict === 'rejected') hi = s;
    else lo = s;
  }
  let high: number = hi;
  for (let step = 1; lo === undefined; step *= 2) {
    const s: number = high - step;
    if (s < -3600) return undefined;
    if ((await probe(s)).verdict === 'accepted') lo = s;
    else high = s;
  }
  let low: number = lo;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if ((await probe(mid)).verdict === 'accepted') low = mid;
    else high = mid;
  }
  return high;
}

async function skewClaim(
  ctx: DrillContext,
  route: ApiRoute,
  claim: SkewClaim,
  tol: number,
  slack: number,
): Promise<{ steps: DrillStep[]; measured: number | null; findings: Finding[] }> {
  const probe: Probe = (shift) =>
    sendToken(ctx.api, route, ctx.signer!.sign(drillHeader(ctx.env, ctx.signer!), shiftedClaims(ctx, claim, shift)), ctx.timeoutMs);
  const within = await probe(tol - slack);
  const beyond = await probe(tol + slack);
  const first = await firstRejected(
    probe,
    within.verdict === 'accepted' ? tol - slack : undefined,
    beyond.verdict === 'rejected' ? tol + slack : undefined,
    tol + slack,
  );
  // exp fails from the first rejected shift on; nbf and iat pass up to the last accepted one.
  const measured = first === undefined ? null : claim === 'exp' ? first : first - 1;
  const name = routeName(route);
  const at = { claim, toleranceSeconds: tol, measuredToleranceSeconds: measured };
  const findings: Finding[] = [];
  const withinStep: DrillStep = {
    name: `${claim}:within`,
    route: name,
    expected: 'accepted',
    observed: within.verdict,
    pass: within.verdict === 'accepted',
    evidence: { shiftSeconds: tol - slack, ...at, ...answerEvidence(within) },
  };
  const beyondStep: DrillStep = {
    name: `${claim}:beyond`,
    route: name,
    expected: 'rejected',
    observed: beyond.verdict,
    pass: beyond.verdict === 'rejected',
    evidence: { shiftSeconds: tol + slack, ...at, ...answerEvidence(beyond) },
  };
  if (!withinStep.pass) {
    withinStep.code = within.reason ?? 'token_rejected';
    findings.push(makeFinding(withinStep.code, { claim, detail: { route: name, ...withinStep.evidence } }));
  }
  if (!beyondStep.pass) {
    beyondStep.code = beyond.verdict === 'accepted' ? 'verifier_accepts_forged_token' : 'route_unexpected_status';
    findings.push(
      makeFinding(beyondStep.code, {
        claim,
        detail: {
          route: name,
          attack: `${claim}_beyond_tolerance`,
          ...(beyond.verdict === 'accepted' ? { critical: true } : {}),
          ...beyondStep.evidence,
        },
      }),
    );
  }
  return { steps: [withinStep, beyondStep], measured, findings };
}

/**
 * The clock-skew drill: for exp, nbf and iat, a token shifted
 * `tolerance - slack` seconds must be accepted and one shifted
 * `tolerance + slack` rejected (the slack absorbs the clock difference
 * between the drill and the target); then the boundary the target
 * actually applies is measured, in whole seconds (null: none found).
 *
 * @example (await runSkew(ctx)).summary.measured // { exp: 10, nbf: 10, iat: 10 }
 */
export async function runSkew(ctx: DrillContext): Promise<DrillResult> {
  const route = authRoutes(ctx.api.routes)[0];
  const tol = ctx.env.clockToleranceSeconds ?? 0;
  const slack = ctx.options.skewSlackSeconds ?? DEFAULT_DRILL_SKEW_SLACK_SECONDS;
  if (!route)
    return {
      scenario: 'skew',
      ready: false,
      steps: [],
      findings: [],
      summary: { error: 'no route expects a valid token (expectStatus 2xx)' },
    };
  const steps: DrillStep[] = [];
  const findings: Finding[] = [];
  const measured: Record<string, number | null> = {};
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const r = await skewClaim(ctx, route, claim, tol, slack);
    steps.push(...r.steps);
    findings.push(...r.findings);
    measured[claim] = r.measured;
  }
  return {
    scenario: 'skew',
    ready: steps.every((s) => s.pass),
    steps,
    findings,
    summary: { route: routeName(route), toleranceSeconds: tol, slackSeconds: slack, measured },
  };
}
