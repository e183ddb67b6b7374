/**
 * The refresh_flow line of `check`: a refreshed token is issued before the
 * old one expires, given the client's refresh lead, the measured
 * token-endpoint latency, the client's expected latency and how far the
 * API's clock runs ahead of the issuer's, and the API accepts it.
 */
import type { Contract } from '../contract/load.ts';
import type { ObtainedToken } from '../obtain/obtain_token.ts';
import { obtainToken } from '../obtain/obtain_token.ts';
import { readObtainSection } from '../obtain/read_obtain_section.ts';
import { makeFinding, type Finding, type ReasonCode } from '../reasons.ts';

import { refreshGrant, type RefreshGrantResult } from './refresh_grant.ts';
import { judgeLine } from './check_line.ts';
import type { LineResult } from './types.ts';

/** Whether the API (or our verifier) accepts a token, and why not. */
export type Acceptance =
  | { accepted: true; by: 'api' | 'verifier'; evidence: Record<string, unknown> }
  | { accepted: false; by: 'api' | 'verifier'; finding: Finding; evidence: Record<string, unknown> };

export interface RefreshCheckInput {
  contract: Contract;
  envName: string;
  client?: string;
  first: ObtainedToken;
  /** The first token's claims, as diagnosed (iat, exp). */
  claims: Record<string, unknown>;
  /** refreshLeadSeconds and where it comes from. */
  lead: { seconds: number; from: 'client' | 'policy' | 'default' };
  expectedLatencyMs: number;
  apiAheadOfIssuerSeconds?: number;
  now: number;
  timeoutMs: number;
  vars?: Record<string, string | undefined>;
  accept: (token: string) => Promise<Acceptance>;
}

/**
 * Refreshes (refresh_token grant when the first response carried a
 * refresh token, else a new request from the same source), then checks
 * the timing (refresh_lead_exceeds_lifetime, refresh_too_late) and that
 * the refreshed token is accepted.
 *
 * @example (await checkRefresh(input)).line.evidence.marginMs
 */
export async function checkRefresh(i: RefreshCheckInput): Promise<LineResult> {
  const refreshed = await refresh(i);
  const grant = i.first.refreshToken !== undefined ? 'refresh_token' : 'new_request';
  if (!refreshed.ok) return judgeLine('refresh_flow', [refreshed.finding], { grant, latencyMs: refreshed.latencyMs });
  const timing = refreshTiming(i, refreshed.latencyMs);
  const acceptance = await i.accept(refreshed.token);
  const findings = [...timing.findings, ...(acceptance.accepted ? [] : [acceptance.finding])];
  return judgeLine('refresh_flow', findings, {
    grant,
    ...timing.evidence,
    acceptedBy: acceptance.by,
    accepted: acceptance.accepted,
    ...acceptance.evidence,
  });
}

async function refresh(i: RefreshCheckInput): Promise<RefreshGrantResult> {
  const spec = readObtainSection(i.contract, i.envName, i.client).spec;
  if (
    i.first.refreshToken !== undefined &&
    i.first.endpoint !== undefined &&
    (spec.kind === 'client_credentials' || spec.kind === 'refresh_token')
  )
    return refreshGrant(i.contract, spec.client, {
      endpoint: i.first.endpoint,
      refreshToken: i.first.refreshToken,
      timeoutMs: i.timeoutMs,
      ...(i.vars ? { vars: i.vars } : {}),
    });
  const again = await obtainToken(i.contract, i.envName, {
    now: i.now,
    timeoutMs: i.timeoutMs,
    ...(i.client !== undefined ? { client: i.client } : {}),
    ...(i.vars ? { vars: i.vars } : {}),
  });
  return again.ok
    ? { ok: true, token: again.token, latencyMs: again.latencyMs }
    : { ok: false, finding: again.finding, latencyMs: again.latencyMs };
}

/**
 * The client refreshes at exp - lead; the new token is in its hands
 * latency + expected latency later; the API judges exp on a clock that may
 * run ahead of the issuer's. The refreshed token must arrive strictly
 * before the old one expires there.
 */
function refreshTiming(i: RefreshCheckInput, latencyMs: number): { findings: Finding[]; evidence: Record<string, unknown> } {
  const exp = typeof i.claims.exp === 'number' ? i.claims.exp : undefined;
  const iat = typeof i.claims.iat === 'number' ? i.claims.iat : undefined;
  const skewMs = Math.max(0, (i.apiAheadOfIssuerSeconds ?? 0) * 1000);
  const neededMs = latencyMs + i.expectedLatencyMs + skewMs;
  const marginMs = Math.round(i.lead.seconds * 1000 - neededMs);
  const evidence: Record<string, unknown> = {
    refreshLeadSeconds: i.lead.seconds,
    refreshLeadFrom: i.lead.from,
    latencyMs,
    expectedLatencyMs: i.expectedLatencyMs,
    apiAheadOfIssuerSeconds: i.apiAheadOfIssuerSeconds ?? null,
    marginMs,
    ...(exp !== undefined ? { oldExp: exp, refreshAt: exp - i.lead.seconds } : {}),
  };
  const findings: Finding[] = [];
  const lifetime = exp !== undefined && iat !== undefined ? exp - iat : undefined;
  if (lifetime !== undefined && i.lead.seconds >= lifetime)
    findings.push(
      finding('refresh_lead_exceeds_lifetime', lifetime, i.lead.seconds, { lifetimeSeconds: lifetime, refreshLeadSeconds: i.lead.seconds }),
    );
  if (marginMs <= 0) findings.push(finding('refresh_too_late', `< ${i.lead.seconds * 1000} ms`, neededMs, { neededMs, marginMs }));
  return { findings, evidence };
}

function finding(code: ReasonCode, expected: unknown, actual: unknown, detail: Record<string, unknown>): Finding {
  return makeFinding(code, { claim: 'refreshLeadSeconds', expected, actual, detail });
}
