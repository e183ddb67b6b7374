import type { ApiConfig } from '../contract/api_section.ts';
import { probeApi } from '../probe/probe_api.ts';
import { makeFinding } from '../reasons.ts';
import type { Acceptance } from './check_refresh.ts';
import { routeEvidence } from './check_propagation.ts';

/**
 * One request with the token through the API's first route (no echo):
 * accepted when the route answers the status the contract expects; else
 * the route's reason code (token_rejected when the API states none).
 *
 * @example (await acceptByApi(api, refreshed, { timeoutMs: 5000, envName: 'staging' })).accepted
 */
export async function acceptByApi(
  api: ApiConfig,
  token: string,
  o: { timeoutMs: number; envName: string; clock?: () => number },
): Promise<Acceptance> {
  const first = api.routes[0];
  if (!first)
    return {
      accepted: false,
      by: 'api',
      finding: makeFinding('route_unexpected_status', { detail: { why: 'the api section has no route' } }),
      evidence: {},
    };
  const report = await probeApi({ ...api, routes: [first] }, token, {
    timeoutMs: o.timeoutMs,
    echo: false,
    env: o.envName,
    ...(o.clock ? { now: o.clock } : {}),
  });
  const route = report.routes[0]!;
  const evidence = { route: routeEvidence(route) };
  if (route.ok && route.outcome === 'accepted') return { accepted: true, by: 'api', evidence };
  const finding =
    route.findings.find((f) => f.severity === 'error') ??
    makeFinding(route.code ?? 'token_rejected', { detail: { route: route.route, status: route.status } });
  return { accepted: false, by: 'api', finding, evidence };
}
