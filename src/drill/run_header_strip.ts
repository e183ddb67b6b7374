import { makeFinding, type Finding } from '../reasons.ts';
import { probeApi, type RouteResult } from '../probe/probe_api.ts';
import { drillClaims, drillHeader } from './claims.ts';
import { authRoutes } from './run_attacks.ts';
import { answerEvidence, routeName, sendToken } from './send_token.ts';
import type { DrillContext, DrillResult, DrillStep } from './types.ts';

/** A route delivers the header when its echo saw it intact, or (no echo) when the token was accepted there. */
function deliveryStep(r: RouteResult): DrillStep {
  const delivered = r.header.status === 'intact' || (r.header.status === 'unknown' && r.outcome === 'accepted');
  const evidence: Record<string, unknown> = {
    header: r.header.status,
    outcome: r.outcome,
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.echoPath !== undefined ? { echoPath: r.echoPath } : {}),
  };
  if (r.header.status === 'modified') evidence.kind = r.header.kind;
  if (r.header.status === 'unknown') evidence.why = r.header.why;
  const step: DrillStep = {
    name: 'delivered',
    route: r.route,
    expected: 'header delivered',
    observed: delivered ? 'delivered' : r.header.status === 'unknown' ? `not proven (${r.outcome})` : `header ${r.header.status}`,
    pass: delivered,
    evidence,
  };
  if (!delivered) step.code = r.code ?? (r.header.status === 'modified' ? 'header_modified' : 'header_missing');
  return step;
}

/**
 * The header-stripping drill, through the environment's probe routes: a
 * valid token is sent to every route and its echo (src/probe), and each
 * route must deliver the Authorization header to the API unchanged; then
 * the drill strips the header itself and each route must answer 401 (the
 * API notices a stripped header instead of serving the request
 * anonymously: RFC 6750 section 3.1).
 *
 * @example (await runHeaderStrip(ctx)).steps.filter((s) => !s.pass).map((s) => [s.route, s.code]) // [['GET /strip/v1/me', 'header_missing']]
 */
export async function runHeaderStrip(ctx: DrillContext): Promise<DrillResult> {
  const routes = authRoutes(ctx.api.routes);
  const token = ctx.signer!.sign(drillHeader(ctx.env, ctx.signer!), drillClaims(ctx.env, ctx.nowSeconds()));
  const probe = await probeApi({ ...ctx.api, routes }, token, {
    timeoutMs: ctx.timeoutMs,
    env: ctx.env.name ?? 'env',
    now: () => ctx.nowSeconds() * 1000,
  });
  const steps: DrillStep[] = [];
  const findings: Finding[] = [];
  for (const [i, r] of probe.routes.entries()) {
    const step = deliveryStep(r);
    steps.push(step);
    if (!step.pass)
      findings.push(
        ...(r.findings.length > 0
          ? r.findings.filter((f) => f.severity === 'error')
          : [makeFinding(step.code!, { detail: { route: r.route, ...step.evidence } })]),
      );
    const stripped = await sendToken(ctx.api, routes[i]!, undefined, ctx.timeoutMs);
    const pass = stripped.verdict === 'rejected';
    const strippedStep: DrillStep = {
      name: 'stripped_rejected',
      route: routeName(routes[i]!),
      expected: 'rejected',
      observed: stripped.verdict,
      pass,
      evidence: answerEvidence(stripped),
    };
    if (!pass) {
      strippedStep.code = 'route_unexpected_status';
      findings.push(
        makeFinding('route_unexpected_status', {
          expected: 401,
          actual: stripped.status ?? null,
          detail: { route: strippedStep.route, request: 'no Authorization header', ...strippedStep.evidence },
        }),
      );
    }
    steps.push(strippedStep);
  }
  if (probe.findings.some((f) => f.code === 'route_drift')) findings.push(probe.findings.find((f) => f.code === 'route_drift')!);
  return {
    scenario: 'header-strip',
    ready: steps.length > 0 && steps.every((s) => s.pass),
    steps,
    findings,
    summary: { routes: routes.map(routeName), token: probe.token },
  };
}
