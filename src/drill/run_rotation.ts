import type { ApiRoute } from '../contract/api_section.ts';
import { readVerifierSection } from '../contract/sections.ts';
import type { Contract } from '../contract/load.ts';
import {
  DEFAULT_CACHE_TTL_SECONDS,
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_DRILL_METRICS_INTERVAL_SECONDS,
  DEFAULT_DRILL_POLL_INTERVAL_MS,
  DRILL_PROPAGATION_MARGIN_SECONDS,
} from '../defaults.ts';
import { makeFinding, type Finding, type ReasonCode } from '../reasons.ts';
import { checkRetirement } from '../rotation/check_retirement.ts';
import { loadKeyMaterials } from '../rotation/load_key_material.ts';
import { sampleMetricsTraffic } from '../rotation/measure_traffic.ts';
import { readVerifierKeys } from '../rotation/read_verifier_keys.ts';
import { drillClaims, drillHeader } from './claims.ts';
import { authRoutes } from './run_attacks.ts';
import { answerEvidence, routeName, sendToken, type Answer } from './send_token.ts';
import { generateDrillSigner, type DrillSigner } from './drill_signer.ts';
import type { DrillContext, DrillResult, DrillStep } from './types.ts';

/** The JWK Set the drill serves and rotates (served mode). */
export interface ServedJwks {
  url: string;
  path: string;
  publish(keys: ReadonlyArray<Record<string, unknown>>): void;
}

/**
 * Sends a token of `signer` until the answer is `want` or the deadline
 * passes: a verifier picks up a JWKS change on its own schedule (cache
 * TTL, refetch cooldown), and the drill measures that delay.
 */
async function until(
  ctx: DrillContext,
  route: ApiRoute,
  signer: DrillSigner,
  want: Answer['verdict'],
  deadlineMs: number,
): Promise<{ answer: Answer; attempts: number; waitedMs: number }> {
  const started = performance.now();
  const poll = ctx.options.pollIntervalMs ?? DEFAULT_DRILL_POLL_INTERVAL_MS;
  for (let attempts = 1; ; attempts++) {
    const answer = await sendToken(
      ctx.api,
      route,
      signer.sign(drillHeader(ctx.env, signer), drillClaims(ctx.env, ctx.nowSeconds())),
      ctx.timeoutMs,
    );
    const waitedMs = Math.round(performance.now() - started);
    if (answer.verdict === want || waitedMs + poll > deadlineMs) return { answer, attempts, waitedMs };
    await ctx.sleep(poll);
  }
}

function stepOf(
  name: string,
  route: ApiRoute,
  signer: DrillSigner,
  want: Answer['verdict'],
  r: { answer: Answer; attempts: number; waitedMs: number },
  failCode: ReasonCode,
): DrillStep {
  const pass = r.answer.verdict === want;
  return {
    name,
    route: routeName(route),
    expected: want,
    observed: r.answer.verdict,
    pass,
    ...(pass ? {} : { code: failCode }),
    evidence: { kid: signer.kid, attempts: r.attempts, waitedMs: r.waitedMs, ...answerEvidence(r.answer) },
  };
}

/** The rotation's phases in order: each publishes a set, then proves what every route does with old- and new-key tokens. */
function phases(current: DrillSigner, next: DrillSigner) {
  return [
    { publish: [current], checks: [{ name: 'baseline', signer: current, want: 'accepted' as const, code: 'key_not_found' as const }] },
    {
      publish: [current, next],
      checks: [
        { name: 'new_key_accepted', signer: next, want: 'accepted' as const, code: 'jwks_stale' as const },
        { name: 'old_key_in_overlap', signer: current, want: 'accepted' as const, code: 'rotation_overlap_short' as const },
      ],
    },
    {
      publish: [next],
      checks: [
        { name: 'old_key_retired', signer: current, want: 'rejected' as const, code: 'rotation_key_still_trusted' as const },
        { name: 'new_key_after_retirement', signer: next, want: 'accepted' as const, code: 'key_not_found' as const },
      ],
    },
  ];
}

/**
 * The rotation drill, against a verifier that fetches the JWK Set the drill
 * serves: publish the current key (baseline), publish the next one next to
 * it and use it while old-key tokens still pass (the overlap), unpublish
 * the old key and wait until the verifier rejects it, then run `rotation
 * retire`'s checklist (src/rotation/check_retirement.ts) with the
 * contract's verifier debug endpoint and metrics.
 *
 * @example const r = await runRotation(ctx, contract, served); r.steps.map((s) => [s.name, s.pass])
 */
export async function runRotation(ctx: DrillContext, contract: Contract, served: ServedJwks): Promise<DrillResult> {
  const current = ctx.signer!;
  const next = generateDrillSigner(current.alg, `${current.kid ?? 'drill'}-next`);
  const verifier = readVerifierSection(contract, ctx.env);
  const deadlineMs =
    ctx.options.propagationTimeoutMs ??
    ((verifier.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) + DEFAULT_COOLDOWN_SECONDS + DRILL_PROPAGATION_MARGIN_SECONDS) * 1000;
  const routes = authRoutes(ctx.api.routes);
  const steps: DrillStep[] = [];
  let unpublishedAt = 0;
  for (const phase of phases(current, next)) {
    served.publish(phase.publish.map((s) => s.publicJwk!));
    if (phase.publish.length === 1 && phase.publish[0] === next) unpublishedAt = ctx.nowSeconds();
    for (const route of routes)
      for (const c of phase.checks)
        steps.push(stepOf(c.name, route, c.signer, c.want, await until(ctx, route, c.signer, c.want, deadlineMs), c.code));
  }
  const retire = await retirementStep(ctx, served, verifier, current.kid ?? '', unpublishedAt);
  steps.push(retire.step);
  const findings: Finding[] = [
    ...steps
      .filter((s) => !s.pass && s.code && s.name !== 'retirement')
      .map((s) => makeFinding(s.code!, { detail: { step: s.name, route: s.route, ...s.evidence } })),
    ...retire.findings,
  ];
  return {
    scenario: 'rotation',
    ready: routes.length > 0 && steps.every((s) => s.pass),
    steps,
    findings,
    summary: { jwks: served.url, oldKid: current.kid, newKid: next.kid, propagationTimeoutMs: deadlineMs },
  };
}

async function retirementStep(
  ctx: DrillContext,
  served: ServedJwks,
  verifier: ReturnType<typeof readVerifierSection>,
  kid: string,
  unpublishedAt: number,
): Promise<{ step: DrillStep; findings: Finding[] }> {
  const interval = ctx.options.metricsIntervalSeconds ?? DEFAULT_DRILL_METRICS_INTERVAL_SECONDS;
  const [live, keys, traffic] = await Promise.all([
    loadKeyMaterials([{ jwksUri: served.url }], { timeoutMs: ctx.timeoutMs }),
    readVerifierKeys({ timeoutMs: ctx.timeoutMs, ...(verifier.debugUrl !== undefined ? { debugUrl: verifier.debugUrl } : {}) }),
    verifier.metricsUrl !== undefined
      ? sampleMetricsTraffic(verifier.metricsUrl, {
          kid,
          ...(ctx.env.name !== undefined ? { env: ctx.env.name } : {}),
          intervalSeconds: interval,
          timeoutMs: ctx.timeoutMs,
          sleep: ctx.sleep,
        })
      : Promise.resolve(undefined),
  ]);
  const report = checkRetirement({
    ...(ctx.env.name !== undefined ? { env: ctx.env.name } : {}),
    kid,
    live,
    verifier: keys,
    ...(traffic ? { traffic } : {}),
    unpublishedAt,
    ...(verifier.cacheTtlSeconds !== undefined ? { cacheTtlSeconds: verifier.cacheTtlSeconds } : {}),
    threshold: 0,
    now: ctx.nowSeconds(),
  });
  const failed = report.items.filter((i) => i.status !== 'pass');
  const step: DrillStep = {
    name: 'retirement',
    expected: 'every checklist item passes',
    observed: failed.length === 0 ? 'passed' : failed.map((i) => `${i.id} ${i.status}`).join(', '),
    pass: report.passed,
    ...(failed[0]?.code !== undefined ? { code: failed[0].code } : {}),
    evidence: { items: Object.fromEntries(report.items.map((i) => [i.id, i.status])), kid },
  };
  return { step, findings: report.findings };
}
