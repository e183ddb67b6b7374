/**
 * `jwt-doctor check --env NAME`: the guide's post-fix validation report
 * (issue 12 items 3 and 4), per client of the environment.
 */
import type { Contract } from '../contract/load.ts';
import { readApiConfig, type ApiConfig } from '../contract/api_section.ts';
import { rawEnvironment, readClientsSection, readPolicySection } from '../contract/sections.ts';
import { loadEnvironmentKeys, loadOtherEnvironments } from '../diagnose/load_keys.ts';
import { DEFAULT_CHECK_CLOCK_SAMPLES, DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import { UsageError } from '../errors.ts';
import type { Finding } from '../reasons.ts';
import { checkIsolation } from '../isolation/check_isolation.ts';
import { checkClock } from './check_clock.ts';
import { checkDiscovery } from './check_discovery.ts';
import { judgeLine, skipLine } from './check_line.ts';
import { checkClient, type CheckContext, type SharedLines } from './check_client.ts';
import { CHECK_SCHEMA, type CheckOptions, type CheckReport, type ClientCheck, type LineResult } from './types.ts';

export { CHECK_SCHEMA };
export type { CheckLine, CheckLineName, CheckOptions, CheckReport, ClientCheck } from './types.ts';

/**
 * Obtains a fresh token per client (or once when the environment defines
 * no clients) and checks signature, issuer and audience with the
 * environment's real keys, lifetime against the client and policy, the
 * issuer's and API's clock offsets against the tolerance, header
 * propagation through the API's routes, environment isolation (production
 * environments) and the refresh flow. Never throws on a failing
 * environment (token endpoint down, opaque token, no token source, API
 * down: a failing line with its code); an unknown environment or client
 * is a UsageError, an invalid contract section a ContractError.
 *
 * @example
 * const report = await runCheck(loadContract('auth-contract.yaml'), 'staging');
 * process.stdout.write(formatCheckText(report)); // signature = pass ... status = stable
 */
export async function runCheck(contract: Contract, envName: string, options: CheckOptions = {}): Promise<CheckReport> {
  const ctx = await prepareCheck(contract, envName, options);
  const shared = await sharedLines(ctx, options);
  const clients: ClientCheck[] = [];
  const findings: Finding[] = [...shared.clock.findings, ...shared.isolation.findings, ...shared.discovery.findings];
  for (const name of ctx.clientNames) {
    const r = await checkClient(ctx, name, shared);
    clients.push(r.check);
    findings.push(...r.findings);
  }
  return {
    schema: CHECK_SCHEMA,
    env: envName,
    status: clients.every((c) => c.status === 'stable') ? 'stable' : 'unstable',
    clients,
    findings,
    checkedAt: new Date(ctx.now() * 1000).toISOString(),
  };
}

/** Options resolved once, the environment's sections read once, its keys loaded once for every client. */
async function prepareCheck(contract: Contract, envName: string, o: CheckOptions): Promise<CheckContext> {
  const env = Object.hasOwn(contract.environments, envName) ? contract.environments[envName]! : undefined;
  if (!env) throw new UsageError(`unknown environment "${envName}" (the contract has: ${Object.keys(contract.environments).join(', ')})`);
  const clients = readClientsSection(contract, env);
  const names = Object.keys(clients);
  if (o.client !== undefined && !Object.hasOwn(clients, o.client))
    throw new UsageError(`unknown client "${o.client}" of environment ${envName} (it has: ${names.join(', ') || 'no clients'})`);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const api: ApiConfig | undefined = rawEnvironment(contract, envName).api !== undefined ? readApiConfig(contract, envName) : undefined;
  const load = { baseDir: contract.baseDir, timeoutMs, ...(o.vars ? { vars: o.vars } : {}) };
  const [own, others] = await Promise.all([loadEnvironmentKeys(env, load), loadOtherEnvironments(contract, envName, load)]);
  return {
    contract,
    envName,
    env,
    now: o.now ?? (() => Math.floor(Date.now() / 1000)),
    timeoutMs,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.vars ? { vars: o.vars } : {}),
    policy: readPolicySection(contract, env),
    clients,
    clientNames: o.client !== undefined ? [o.client] : names.length > 0 ? names : [null],
    keys: {
      keys: own.keys,
      findings: own.findings,
      sources: own.sources,
      ...(own.excluded ? { excludedKeys: own.excluded } : {}),
      ...others,
    },
    ...(api ? { api } : {}),
  };
}

/** The environment's lines: its clocks and its isolation, the same for every client. */
async function sharedLines(ctx: CheckContext, o: CheckOptions): Promise<SharedLines> {
  const clock = await checkClock(ctx.contract, ctx.envName, {
    timeoutMs: ctx.timeoutMs,
    samples: o.clockSamples ?? DEFAULT_CHECK_CLOCK_SAMPLES,
    ...(ctx.clock ? { clock: ctx.clock } : {}),
  });
  const [isolation, discovery] = await Promise.all([
    isolationLine(ctx, o.isolation ?? ctx.env.production === true),
    checkDiscovery(ctx.env, ctx.timeoutMs),
  ]);
  return { clock, isolation, discovery };
}

async function isolationLine(ctx: CheckContext, run: boolean): Promise<LineResult> {
  if (!run)
    return skipLine(
      'environment_isolation',
      ctx.env.production === true ? 'turned off (isolation: false)' : 'not a production: true environment',
    );
  const r = await checkIsolation(ctx.contract, ctx.envName, { now: ctx.now(), timeoutMs: ctx.timeoutMs });
  const evidence = { attempts: r.attempts, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
  if (r.status === 'skip') return { line: { name: 'environment_isolation', status: 'skip', evidence }, findings: r.findings };
  const judged = judgeLine('environment_isolation', r.findings, evidence);
  // The isolation check's own verdict decides; the findings name why.
  if (r.status === 'fail' && judged.line.status === 'pass') judged.line = { ...judged.line, status: 'fail' };
  if (r.status === 'pass' && judged.line.status === 'fail') judged.line = { name: 'environment_isolation', status: 'pass', evidence };
  return judged;
}
