import type { KeyObject } from 'node:crypto';
import type { ApiRoute } from '../contract/api_section.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { buildAttacks, makeAttacker, type Attack, type Attacker } from './attacks.ts';
import { drillClaims, drillHeader } from './claims.ts';
import type { DrillListener } from './listener.ts';
import { answerEvidence, routeName, sendToken, type Answer } from './send_token.ts';
import type { DrillContext, DrillResult, DrillStep } from './types.ts';

export interface AttackSetup {
  /** Where jku / x5u point (the drill's listener). */
  listener: DrillListener;
  publicKeys: ReadonlyArray<{ kid?: string; key: KeyObject }>;
}

/** Routes a valid token should pass: the drill attacks those (a route that rejects everything proves nothing). */
export function authRoutes(routes: readonly ApiRoute[]): ApiRoute[] {
  return routes.filter((r) => r.expectStatus >= 200 && r.expectStatus < 300);
}

/** The baseline: a token the environment's signer would mint is accepted, so a rejection below means something. */
async function baseline(ctx: DrillContext, route: ApiRoute): Promise<DrillStep> {
  const token = ctx.signer!.sign(drillHeader(ctx.env, ctx.signer!), drillClaims(ctx.env, ctx.nowSeconds()));
  const a = await sendToken(ctx.api, route, token, ctx.timeoutMs);
  const pass = a.verdict === 'accepted';
  return {
    name: 'baseline',
    route: routeName(route),
    expected: 'accepted',
    observed: a.verdict,
    pass,
    ...(pass ? {} : { code: a.reason ?? (a.error ? 'transport_error' : 'route_unexpected_status') }),
    evidence: answerEvidence(a),
  };
}

function attackStep(attack: Attack, route: ApiRoute, a: Answer): { step: DrillStep; finding?: Finding } {
  const name = routeName(route);
  const evidence = { attack: attack.name, ...answerEvidence(a) };
  if (a.verdict === 'rejected')
    return { step: { name: attack.name, route: name, expected: 'rejected', observed: 'rejected', pass: true, evidence } };
  const code = a.verdict === 'accepted' ? 'verifier_accepts_forged_token' : a.error ? 'transport_error' : 'route_unexpected_status';
  const finding = makeFinding(code, {
    detail: {
      attack: attack.name,
      route: name,
      ...(code === 'verifier_accepts_forged_token' ? { critical: true } : {}),
      ...answerEvidence(a),
    },
  });
  return { step: { name: attack.name, route: name, expected: 'rejected', observed: a.verdict, pass: false, code, evidence }, finding };
}

/** After every request: did the target fetch a URL a token named? A fetch is critical even when the token was rejected. */
function fetchStep(attack: Attack, route: ApiRoute, listener: DrillListener): { step: DrillStep; finding?: Finding } {
  const hits = listener.hits(attack.fetchPath!);
  const evidence = { attack: attack.name, url: listener.url + attack.fetchPath!, requests: hits };
  const step: DrillStep = {
    name: `${attack.name}:fetch`,
    route: routeName(route),
    expected: 'not fetched',
    observed: hits > 0 ? 'fetched' : 'not fetched',
    pass: hits === 0,
    evidence,
  };
  if (hits === 0) return { step };
  step.code = 'verifier_fetches_token_url';
  return { step, finding: makeFinding('verifier_fetches_token_url', { detail: { critical: true, route: routeName(route), ...evidence } }) };
}

/**
 * The attacks drill: for every route that should accept a valid token,
 * the baseline first, then every forged token of buildAttacks; each must
 * be rejected (401 / 403 / 400). An accepted one is
 * `verifier_accepts_forged_token`, a jku / x5u URL the target fetched is
 * `verifier_fetches_token_url` (both critical).
 *
 * @example const r = await runAttacks(ctx, { listener, publicKeys }); r.ready
 */
export async function runAttacks(ctx: DrillContext, setup: AttackSetup): Promise<DrillResult> {
  const steps: DrillStep[] = [];
  const findings: Finding[] = [];
  const attacker: Attacker = makeAttacker(ctx.nowSeconds());
  const routes = authRoutes(ctx.api.routes);
  const sent: Array<{ attack: Attack; route: ApiRoute }> = [];
  for (const [i, route] of routes.entries()) {
    steps.push(await baseline(ctx, route));
    const attacks = buildAttacks(
      { env: ctx.env, signer: ctx.signer!, publicKeys: setup.publicKeys, attacker, listenerUrl: setup.listener.url, now: ctx.nowSeconds() },
      i,
    );
    for (const attack of attacks) {
      if (attack.fetchPath && attack.document) setup.listener.publish(attack.fetchPath, attack.document.body, attack.document.type);
      const { step, finding } = attackStep(attack, route, await sendToken(ctx.api, route, attack.token, ctx.timeoutMs));
      steps.push(step);
      if (finding) findings.push(finding);
      if (attack.fetchPath) sent.push({ attack, route });
    }
  }
  for (const { attack, route } of sent) {
    const { step, finding } = fetchStep(attack, route, setup.listener);
    steps.push(step);
    if (finding) findings.push(finding);
  }
  const names = [...new Set(steps.filter((s) => s.name !== 'baseline' && !s.name.endsWith(':fetch')).map((s) => s.name))];
  const summary = {
    routes: routes.map(routeName),
    attacks: names.length,
    listener: setup.listener.url,
    publicKeys: setup.publicKeys.length,
    accepted: findings
      .filter((f) => f.code === 'verifier_accepts_forged_token')
      .map((f) => `${String(f.detail?.attack)} ${String(f.detail?.route)}`),
  };
  return { scenario: 'attacks', ready: steps.length > 0 && routes.length > 0 && steps.every((s) => s.pass), steps, findings, summary };
}
