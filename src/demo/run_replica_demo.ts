/**
 * `npm start`: the guide's incident, replayed on a local staging replica
 * (start_replica.ts). A token the identity provider issues to the local
 * client is rejected by staging's API through the gateway (401, its
 * WWW-Authenticate and reason code); diagnose names the claim delta;
 * staging's verifier is fixed as the diagnosis directs and the API reloads
 * it; the same token now passes, and `check` ends with the post-fix
 * report. Each step prints the jwt-doctor command it is the equivalent of,
 * then its output; the run also returns the steps' codes as data.
 */
import { loadContract, type Contract } from '../contract/load.ts';
import { diagnose } from '../diagnose/create_diagnoser.ts';
import type { Diagnosis } from '../diagnose.ts';
import { obtainToken } from '../obtain/obtain_token.ts';
import { DEFAULT_ECHO_PATH, type ApiConfig } from '../contract/api_section.ts';
import { probeApi, type RouteResult } from '../probe/probe_api.ts';
import { describeFate } from '../probe/format_probe.ts';
import { formatDiagnosisText } from '../report/text.ts';
import { diffContracts } from '../rotation/diff_contracts.ts';
import { join } from 'node:path';
import { REPLICA_NOW_ISO } from './replica_clock.ts';
import { CONTRACT_BEFORE_FILE, CONTRACT_FILE, LOCAL_CLIENT, fixReplicaContract, type VerifierSettings } from './replica_contract.ts';
import { presenter } from './present.ts';
import { runPostFixCheck } from './post_fix_check.ts';
import type { Replica } from './start_replica.ts';
import { ORDERS_ROUTE } from './replica_api.ts';

export type DemoStepName = 'obtain' | 'reject' | 'diagnose' | 'fix' | 'accept' | 'check';

/** One step: the command it stands for, whether it went as the story says, and its codes. */
export interface DemoStep {
  step: DemoStepName;
  /** The equivalent jwt-doctor command line, as printed ($REPLICA: the replica's folder). */
  command: string;
  ok: boolean;
  /** Reason codes (reject: the 401's, diagnose: the findings', check: its failing lines'); the fix: the changed fields. */
  codes: string[];
  /** HTTP status the API answered through the gateway (reject, accept). */
  httpStatus?: number;
  /** diagnose: the result; check: the status ('stable' or 'unstable'). */
  result?: string;
}

export interface ReplicaDemoResult {
  mode: 'replica';
  steps: DemoStep[];
  /** Every step went as the story says (the check ends stable). */
  ok: boolean;
}

/** How the demo renders: `color` paints the diagnosis as `diagnose` does on a terminal. */
export interface ReplicaDemoOptions {
  color?: boolean;
}

interface Context {
  replica: Replica;
  color: boolean;
  show: (text: string) => string;
  write: (text: string) => void;
  contract: string;
  timeoutMs: number;
}

// Loopback calls answer in milliseconds; the margin is for a loaded CI machine, the bound for a hung server.
const TIMEOUT_MS = 10_000;
const TOKEN_FILE = 'local.jwt';

/** Runs the story on a started replica; `write` receives the output as each step ends. */
export async function runReplicaDemo(
  replica: Replica,
  write: (text: string) => void,
  options: ReplicaDemoOptions = {},
): Promise<ReplicaDemoResult> {
  const show = presenter(replica);
  const ctx: Context = {
    replica,
    color: options.color ?? false,
    show,
    write: (t) => write(show(t)),
    contract: `${replica.dir}/${CONTRACT_FILE}`,
    timeoutMs: TIMEOUT_MS,
  };
  write(legend(show));
  const steps: DemoStep[] = [];
  const push = (s: DemoStep) => steps.push({ ...s, command: show(s.command) });
  const done = () => ({ mode: 'replica' as const, steps, ok: steps.every((s) => s.ok) });
  const obtained = await obtainStep(ctx);
  push(obtained.step);
  if (obtained.token === undefined) return done();
  const token = obtained.token;
  push(await probeStep(ctx, token, 'reject'));
  const diagnosed = await diagnoseStep(ctx, token);
  push(diagnosed.step);
  const fix = fixStep(ctx, diagnosed.diagnosis);
  push(fix);
  if (!fix.ok) return done();
  await replica.api.reload();
  ctx.write('# The API reloads its verifier from the fixed contract.\n');
  push(await probeStep(ctx, token, 'accept'));
  push(await checkStep(ctx));
  return done();
}

function legend(show: (t: string) => string): string {
  return [
    '# A local staging replica, every server on 127.0.0.1 (free ports, named below as variables):',
    "#   $OP       panva's oidc-provider, staging's identity provider (client_credentials; its JWKS at $OP/jwks)",
    "#   $GATEWAY  a Node reverse proxy in front of $API, the orders API guarded by jwt-doctor's middleware as staging",
    "#   $REPLICA  a temporary folder: the replica's contract (staging's verifier copied from prod by mistake)",
    `# The replica's clock: ${REPLICA_NOW_ISO}, frozen (provider, API, Date headers, diagnose and check).`,
    '',
  ]
    .map(show)
    .join('\n');
}

async function obtainStep(ctx: Context): Promise<{ step: DemoStep; token?: string }> {
  const command = `jwt-doctor token --env local --contract ${ctx.contract} > ${TOKEN_FILE}`;
  ctx.write(`\n# 1. The local client gets a token from the identity provider.\n$ ${command}\n`);
  const r = await obtainToken(loadContract(ctx.contract), 'local', { now: ctx.replica.clock.now(), timeoutMs: ctx.timeoutMs });
  if (!r.ok) {
    ctx.write(`token = none: ${r.finding.code}\n`);
    return { step: { step: 'obtain', command, ok: false, codes: [r.finding.code] } };
  }
  const lines = [`source = ${r.source} (client ${LOCAL_CLIENT})`, `endpoint = ${r.endpoint ?? '(none)'}`];
  if (r.expiresIn !== undefined) lines.push(`expires_in = ${r.expiresIn}`);
  lines.push(`token = written to ${TOKEN_FILE} (a bearer credential: not shown)`);
  ctx.write(lines.join('\n') + '\n');
  return { step: { step: 'obtain', command, ok: true, codes: [] }, token: r.token };
}

function describeRoute(r: RouteResult, baseUrl: string): string[] {
  const challenge = r.wwwAuthenticate[0];
  const params = challenge ? Object.entries(challenge.params).map(([k, v]) => `${k}="${v}"`) : [];
  const lines = [`${r.route} via ${baseUrl} -> ${r.status ?? r.transport?.error ?? 'no answer'}`];
  if (challenge) lines.push(`www-authenticate = ${[challenge.scheme, params.join(', ')].join(' ')}`);
  if (r.code !== undefined) lines.push(`reason = ${r.code}`);
  lines.push(`outcome = ${r.outcome}`, `header = ${describeFate(r.header)}`);
  return lines;
}

/**
 * The orders route behind the gateway, as `probe --base-url --route` sends
 * to it. Not an `api:` section of staging in the contract: `check` would
 * then add a header_propagation line to the guide's six-line report.
 */
function gatewayApi(baseUrl: string): ApiConfig {
  return {
    baseUrl,
    routes: [{ path: ORDERS_ROUTE, method: 'GET', expectStatus: 200, echo: true }],
    header: 'authorization',
    scheme: 'Bearer',
    echoPath: DEFAULT_ECHO_PATH,
  };
}

async function probeStep(ctx: Context, token: string, step: 'reject' | 'accept'): Promise<DemoStep> {
  const command = `jwt-doctor probe ${TOKEN_FILE} --base-url ${ctx.replica.origins.gateway} --route ${ORDERS_ROUTE}`;
  const title =
    step === 'reject'
      ? '# 2. The same token, sent to the staging API through the gateway: rejected.'
      : '# 5. The same token again, through the gateway: accepted.';
  ctx.write(`\n${title}\n$ ${command}\n`);
  const api = gatewayApi(ctx.replica.origins.gateway);
  const report = await probeApi(api, token, { timeoutMs: ctx.timeoutMs, concurrency: 1 });
  const route = report.routes[0];
  if (route === undefined) return { step, command, ok: false, codes: [] };
  ctx.write(describeRoute(route, api.baseUrl).join('\n') + '\n');
  const ok = step === 'reject' ? route.status === 401 : route.status === 200;
  return {
    step,
    command,
    ok,
    codes: route.code !== undefined ? [route.code] : [],
    ...(route.status !== undefined ? { httpStatus: route.status } : {}),
  };
}

async function diagnoseStep(ctx: Context, token: string): Promise<{ step: DemoStep; diagnosis: Diagnosis }> {
  const command = `jwt-doctor diagnose ${TOKEN_FILE} --contract ${ctx.contract} --env staging --now ${REPLICA_NOW_ISO}`;
  ctx.write(`\n# 3. Why: the claim delta against staging's contract.\n$ ${command}\n\n`);
  const contract = loadContract(ctx.contract);
  const d = await diagnose(token, contract.environments.staging!, { contract, now: ctx.replica.clock.now(), timeoutMs: ctx.timeoutMs });
  ctx.write(formatDiagnosisText(d, { color: ctx.color }));
  const codes = d.findings.map((f) => f.code);
  return { step: { step: 'diagnose', command, ok: d.result === 'claim_mismatch', codes, result: d.result }, diagnosis: d };
}

/**
 * The fix the diagnosis directs: its issuer_mismatch and audience_mismatch
 * findings are the verifier's to fix (owner verifier), and the token's
 * issuer is the identity provider staging's clients log in against, so
 * staging's verifier expects the issuer and audience the token carries.
 */
function settingsFromDiagnosis(d: Diagnosis): VerifierSettings | undefined {
  const actual = (code: string) => d.findings.find((f) => f.code === code && f.owner === 'verifier')?.actual;
  const issuer = actual('issuer_mismatch');
  const audience = [actual('audience_mismatch')].flat()[0];
  if (typeof issuer !== 'string' || typeof audience !== 'string') return undefined;
  return { issuer, audience };
}

function fixStep(ctx: Context, d: Diagnosis): DemoStep {
  const before = join(ctx.replica.dir, CONTRACT_BEFORE_FILE);
  const command = `jwt-doctor contract diff ${before} ${ctx.contract}`;
  const settings = settingsFromDiagnosis(d);
  ctx.write("\n# 4. The fix, as the findings direct (owner: staging's verifier): expect the issuer and audience the provider issues.\n");
  if (settings === undefined) {
    ctx.write('fix = none: the diagnosis names no verifier issuer/audience fix\n');
    return { step: 'fix', command, ok: false, codes: [] };
  }
  const old = loadContract(ctx.contract);
  fixReplicaContract(ctx.replica.dir, ctx.replica.origins, settings);
  const diff = diffContracts(old, loadContract(ctx.contract), { old: before, new: ctx.contract });
  ctx.write(`$ ${command}\n`);
  ctx.write(diff.changes.map((c) => `${c.env}.${c.field}: ${String(c.from)} -> ${String(c.to)} (${c.impact})`).join('\n') + '\n');
  return { step: 'fix', command, ok: diff.changes.length > 0, codes: diff.changes.map((c) => c.field) };
}

async function checkStep(ctx: Context): Promise<DemoStep> {
  const command = `jwt-doctor check --env staging --contract ${ctx.contract}`;
  ctx.write(`\n# 6. Post-fix validation.\n$ ${command}\n\n`);
  const contract: Contract = loadContract(ctx.contract);
  const r = await runPostFixCheck(contract, 'staging', { clock: ctx.replica.clock, timeoutMs: ctx.timeoutMs });
  ctx.write(r.text);
  return { step: 'check', command, ok: r.status === 'stable', codes: r.codes, result: r.status };
}
