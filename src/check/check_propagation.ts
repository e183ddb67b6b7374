/**
 * The header_propagation line of `check`: the fresh token sent to every
 * route of the environment's API (src/probe probeApi): accepted where the
 * contract says, the Authorization header arriving intact behind the
 * gateway (echo probe), no route drift.
 */
import type { ApiConfig } from '../contract/api_section.ts';
import { probeApi, type RouteResult } from '../probe/probe_api.ts';
import { judgeLine } from './check_line.ts';
import type { LineResult } from './types.ts';

/**
 * Probes every route with the token; fails with the probe's most
 * fundamental error (header_missing, header_modified, token_rejected,
 * route_drift, transport_error, ...). The evidence names each route's
 * status and outcome, and the token only by fingerprint.
 *
 * @example (await checkPropagation(readApiConfig(contract, 'staging'), token, { timeoutMs: 5000, env: 'staging' })).line.status
 */
export async function checkPropagation(
  api: ApiConfig,
  token: string,
  o: { timeoutMs: number; env: string; clock?: () => number },
): Promise<LineResult> {
  const report = await probeApi(api, token, { timeoutMs: o.timeoutMs, env: o.env, ...(o.clock ? { now: o.clock } : {}) });
  const evidence = { baseUrl: report.baseUrl, token: report.token, routes: report.routes.map(routeEvidence) };
  const result = judgeLine('header_propagation', report.findings, evidence);
  // A route answering another status than the contract's, with no finding of its own.
  if (result.line.status === 'pass' && !report.ok) {
    const bad = report.routes.find((r) => !r.ok)!;
    result.line = { ...result.line, status: 'fail', code: bad.code ?? 'route_unexpected_status' };
  }
  return result;
}

export function routeEvidence(r: RouteResult): Record<string, unknown> {
  return {
    route: r.route,
    expectStatus: r.expectStatus,
    ...(r.status !== undefined ? { status: r.status } : {}),
    outcome: r.outcome,
    ...(r.code !== undefined ? { code: r.code } : {}),
    header: r.header,
    ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}),
  };
}
