/**
 * One client's flow of `check`: obtain a fresh token from its source,
 * diagnose it with the environment's keys and the client's audience, probe
 * the API with it, refresh it. The environment's lines (clock, isolation)
 * come in shared.
 */
import type { Contract } from '../contract/load.ts';
import type { ApiConfig } from '../contract/api_section.ts';
import type { ClientSection, PolicySection } from '../contract/sections.ts';
import { buildDiagnoser, type Diagnoser, type PreparedKeys } from '../diagnose.ts';
import { ContractError, ProductionRefusedError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import { obtainToken, type ObtainResult } from '../obtain/obtain_token.ts';
import { fingerprintToken } from '../probe/fingerprint.ts';
import { makeFinding, mostFundamental, type Finding } from '../reasons.ts';
import { DEFAULT_REFRESH_LEAD_SECONDS } from '../defaults.ts';
import { judgeLine, skipLine } from './check_line.ts';
import { checkPropagation } from './check_propagation.ts';
import { checkRefresh, type Acceptance } from './check_refresh.ts';
import { linesWithoutToken, tokenLines, type LifetimeLimit } from './check_token.ts';
import { acceptByApi } from './accept_by_api.ts';
import type { ClockCheck } from './check_clock.ts';
import type { ClientCheck, LineResult } from './types.ts';

export interface CheckContext {
  contract: Contract;
  envName: string;
  env: Expectations;
  now: () => number;
  timeoutMs: number;
  clock?: () => number;
  vars?: Record<string, string | undefined>;
  policy: PolicySection;
  clients: Record<string, ClientSection>;
  clientNames: (string | null)[];
  keys: PreparedKeys;
  api?: ApiConfig;
}

export interface SharedLines {
  clock: ClockCheck;
  isolation: LineResult;
  /** The issuer's discovery metadata against the contract (skipped unless the keys come from discovery). */
  discovery: LineResult;
}

/**
 * Runs one client's flow (client null: the environment's own source) and
 * returns its section and findings (each with detail.client).
 *
 * @example const { check } = await checkClient(ctx, 'web', shared); check.status // 'stable'
 */
export async function checkClient(
  ctx: CheckContext,
  name: string | null,
  shared: SharedLines,
): Promise<{ check: ClientCheck; findings: Finding[] }> {
  const section = name !== null ? ctx.clients[name] : undefined;
  const diagnoser = buildDiagnoser(section?.audience ? { ...ctx.env, audience: section.audience } : ctx.env, ctx.keys);
  const now = ctx.now();
  const obtained = await obtainSafely(ctx, name, now);
  const results: LineResult[] = [];
  if (!obtained.ok) {
    results.push(judgeLine('token', [obtained.finding], obtainEvidence(obtained)), ...linesWithoutToken(), shared.clock);
    results.push(ctx.api ? skipLine('header_propagation', 'no token: see the token line') : noApi(), shared.isolation, shared.discovery);
    results.push(skipLine('refresh_flow', 'no token: see the token line'));
  } else {
    const diagnosis = diagnoser.diagnose(obtained.token, { now });
    const t = tokenLines(diagnosis, lifetimeLimit(ctx.policy, section), now);
    const token = { ...t.token, line: { ...t.token.line, evidence: obtainEvidence(obtained) } };
    results.push(token, t.signature, t.issuer, t.audience, t.lifetime, shared.clock);
    results.push(
      ctx.api
        ? await checkPropagation(ctx.api, obtained.token, {
            timeoutMs: ctx.timeoutMs,
            env: ctx.envName,
            ...(ctx.clock ? { clock: ctx.clock } : {}),
          })
        : noApi(),
    );
    results.push(shared.isolation, shared.discovery);
    results.push(
      await checkRefresh({
        contract: ctx.contract,
        envName: ctx.envName,
        ...(name !== null ? { client: name } : {}),
        first: obtained,
        claims: diagnosis.claims ?? {},
        lead: refreshLead(ctx.policy, section),
        expectedLatencyMs: section?.expectedLatencyMs ?? 0,
        ...(shared.clock.apiAheadOfIssuerSeconds !== undefined ? { apiAheadOfIssuerSeconds: shared.clock.apiAheadOfIssuerSeconds } : {}),
        now,
        timeoutMs: ctx.timeoutMs,
        ...(ctx.vars ? { vars: ctx.vars } : {}),
        accept: (token) => (ctx.api ? acceptByApi(ctx.api, token, ctx) : acceptByVerifier(diagnoser, token, now)),
      }),
    );
  }
  return assemble(name, results, new Set([shared.clock, shared.isolation, shared.discovery]));
}

function assemble(name: string | null, results: LineResult[], shared: Set<LineResult>): { check: ClientCheck; findings: Finding[] } {
  const lines = results.map((r) => r.line);
  const own = results.filter((r) => !shared.has(r)).flatMap((r) => r.findings);
  const findings = name === null ? own : own.map((f) => ({ ...f, detail: { ...f.detail, client: name } }));
  return { check: { client: name, lines, status: lines.some((l) => l.status === 'fail') ? 'unstable' : 'stable' }, findings };
}

/** The token source's answer; a contract that names no usable source is token_source_missing, so the report is still written. */
async function obtainSafely(ctx: CheckContext, name: string | null, now: number): Promise<ObtainResult> {
  try {
    return await obtainToken(ctx.contract, ctx.envName, {
      now,
      timeoutMs: ctx.timeoutMs,
      ...(name !== null ? { client: name } : {}),
      ...(ctx.vars ? { vars: ctx.vars } : {}),
    });
  } catch (e) {
    if (!(e instanceof ContractError) && !(e instanceof ProductionRefusedError)) throw e;
    const finding = makeFinding('token_source_missing', { detail: { error: e.code, message: e.message } });
    return { ok: false, source: 'static', finding, latencyMs: 0 };
  }
}

function obtainEvidence(r: ObtainResult): Record<string, unknown> {
  const common = { source: r.source, latencyMs: r.latencyMs, ...(r.endpoint !== undefined ? { endpoint: r.endpoint } : {}) };
  if (!r.ok) return common;
  return {
    ...common,
    obtainedAt: r.obtainedAt,
    ...(r.expiresIn !== undefined ? { expiresIn: r.expiresIn } : {}),
    refreshToken: r.refreshToken !== undefined,
    token: { length: r.token.length, sha256: fingerprintToken(r.token) },
  };
}

function noApi(): LineResult {
  return skipLine('header_propagation', 'no api section: no routes to probe');
}

/** The shorter of the client's and the policy's lifetime. */
function lifetimeLimit(policy: PolicySection, client: ClientSection | undefined): LifetimeLimit {
  const c = client?.tokenLifetimeSeconds;
  const p = policy.tokenLifetimeSeconds;
  if (c !== undefined && (p === undefined || c <= p)) return { seconds: c, from: 'client' };
  return p !== undefined ? { seconds: p, from: 'policy' } : {};
}

function refreshLead(policy: PolicySection, client: ClientSection | undefined): { seconds: number; from: 'client' | 'policy' | 'default' } {
  if (client?.refreshLeadSeconds !== undefined) return { seconds: client.refreshLeadSeconds, from: 'client' };
  if (policy.refreshWindowSeconds !== undefined) return { seconds: policy.refreshWindowSeconds, from: 'policy' };
  return { seconds: DEFAULT_REFRESH_LEAD_SECONDS, from: 'default' };
}

function acceptByVerifier(diagnoser: Diagnoser, token: string, now: number): Promise<Acceptance> {
  const d = diagnoser.diagnose(token, { now });
  const evidence = { result: d.result };
  const worst = mostFundamental(d.findings);
  return Promise.resolve(
    d.result === 'valid' || !worst
      ? { accepted: true, by: 'verifier', evidence }
      : { accepted: false, by: 'verifier', finding: worst, evidence },
  );
}
