import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Contract } from '../../contract/load.ts';
import type { Expectations } from '../../expectations.ts';
import { keyContextFor, type KeySpec, type ResolveContext } from '../../keys/sources.ts';
import { EXIT, loadContractFlag, pickEnvironment, UsageError } from '../common.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import { checkRotation } from '../../rotation/check_rotation.ts';
import { checkOverlap } from '../../rotation/check_overlap.ts';
import { checkRetirement } from '../../rotation/check_retirement.ts';
import { readPolicySection, readVerifierSection, type VerifierSection } from '../../contract/sections.ts';
import { loadKeyMaterials } from '../../rotation/load_key_material.ts';
import { loadSourceArgument } from '../../rotation/load_source_argument.ts';
import { readVerifierKeys } from '../../rotation/read_verifier_keys.ts';
import { countLogTraffic, sampleMetricsTraffic, type TrafficEvidence } from '../../rotation/measure_traffic.ts';
import { readPrometheusTraffic } from '../../rotation/read_prometheus_traffic.ts';
import { formatOverlapText, formatRetirementText, formatRotationCheckText } from '../../rotation/format_rotation.ts';
import {
  clockToleranceOption,
  contractOption,
  envOption,
  formatOption,
  INSTANT_FORMS,
  jwksUrlOption,
  nowOption,
  parseInstantFlag,
  parseNowFlag,
  parseNumberFlag,
  parseTimeout,
  parseUrlFlag,
  timeoutOption,
} from '../flags.ts';

const CHECK_HELP = `
Compares the issuer's live key set (the environment's jwksUri / discovery,
or --jwks-url) with the set the verifier actually uses (verifier.debugUrl
in the contract, --debug-url, --snapshot FILE, or --verifier-jwks-url).

rejection window: a token signed by a newly published kid is rejected for
at most (cache TTL remaining + refetch cooldown) seconds; publish_lead adds
the JWKS max-age an HTTP cache in front may keep.

Examples:
  $ jwt-doctor rotation check --env staging
  $ jwt-doctor rotation check --env staging --debug-url http://127.0.0.1:3000/.well-known/jwt-doctor/keys
  $ jwt-doctor rotation check --jwks-url https://auth.example.com/jwks.json --snapshot verifier-keys.json --format json
  $ jwt-doctor rotation check --env staging --envoy-config-dump http://127.0.0.1:15000/config_dump

Exit codes: 0 in sync, 1 an error finding (jwks_stale, source unreachable), 2 usage or contract error.`;

const OVERLAP_HELP = `
OLDSET and NEWSET are JWKS files or URLs (or issuer URLs): the trusted set
before and after the rotation. Keys in OLDSET and not in NEWSET retire.
Tokens in --tokens FILE (one per line) are decoded WITHOUT verification:
only kid and exp are read.

Examples:
  $ jwt-doctor rotation overlap --old old.jwks.json --new new.jwks.json --lifetime 3600 --retire-at 2026-11-28T13:00:00Z
  $ jwt-doctor rotation overlap --old old.jwks.json --new new.jwks.json --env prod --switched-at 2026-11-28T12:00:00Z
  $ jwt-doctor rotation overlap --old old.jwks.json --new https://auth.example.com/jwks.json --tokens live-tokens.txt --format json

Exit codes: 0 the overlap holds, 1 a key retires before tokens it signed expire, 2 usage or contract error.`;

const RETIRE_HELP = `
The closing checklist of a rotation. Every item must pass, with evidence:
  not_published     the old kid is gone from the issuer's JWKS
  not_trusted       the verifier's cached set (debug endpoint) lacks it
  cache_refreshed   the verifier cache was fetched after the unpublish
  residual_traffic  old-kid requests/second (metrics sampled twice
                    --interval apart, a Prometheus server over --window
                    across every instance, or a JSON-lines log) <= --threshold
An item without evidence (no debug endpoint, no metrics) does not pass.

Examples:
  $ jwt-doctor rotation retire --env staging --kid staging-2026-10
  $ jwt-doctor rotation retire --env staging --kid staging-2026-10 --metrics-url http://127.0.0.1:3000/metrics --interval 30 --threshold 0.01
  $ jwt-doctor rotation retire --env staging --kid staging-2026-10 --log verifier.log --window 3600
  $ jwt-doctor rotation retire --env staging --kid staging-2026-10 --prometheus http://prometheus:9090 --window 3600

Exit codes: 0 every item passes, 1 an item fails or lacks evidence, 2 usage or contract error.`;

/** The flags every rotation subcommand takes. */
export interface RotationOptions {
  contract?: string;
  env?: string;
  jwksUrl?: string;
  debugUrl?: string;
  snapshot?: string;
  verifierJwksUrl?: string;
  envoyConfigDump?: string;
  cacheTtl?: string;
  cooldown?: string;
  timeout?: string;
  now?: string;
  format?: string;
}

export interface OverlapOptions extends RotationOptions {
  old: string;
  new: string;
  lifetime?: string;
  tokens?: string;
  switchedAt?: string;
  retireAt?: string;
  clockTolerance?: string;
}

export interface RetireOptions extends RotationOptions {
  kid: string;
  metricsUrl?: string;
  prometheus?: string;
  log?: string;
  threshold?: string;
  interval?: string;
  window?: string;
  unpublishedAt?: string;
}

interface Setup {
  contract?: Contract;
  env?: Expectations;
  /** The contract's verifier section, with --cache-ttl, and --cooldown (not a contract field). */
  verifier: VerifierSection & { cooldownSeconds?: number };
  ctx: ResolveContext;
  timeoutMs: number;
  now: number;
}

function setup(flags: RotationOptions): Setup {
  const timeoutMs = parseTimeout(flags.timeout);
  const now = parseNowFlag(flags.now);
  let contract: Contract | undefined;
  let env: Expectations | undefined;
  if (flags.env !== undefined) {
    contract = loadContractFlag(flags, true)!;
    env = pickEnvironment(contract, flags.env);
  }
  const verifier: Setup['verifier'] = contract && env ? readVerifierSection(contract, env) : {};
  const ttl = parseNumberFlag('--cache-ttl', flags.cacheTtl);
  if (ttl !== undefined) verifier.cacheTtlSeconds = ttl;
  const cooldown = parseNumberFlag('--cooldown', flags.cooldown);
  if (cooldown !== undefined) verifier.cooldownSeconds = cooldown;
  const ctx: ResolveContext = keyContextFor(env ?? {}, { timeoutMs, ...(contract ? { baseDir: contract.baseDir } : {}) });
  return { ...(contract ? { contract } : {}), ...(env ? { env } : {}), verifier, ctx, timeoutMs, now };
}

function liveSpecs(flags: RotationOptions, s: Setup): KeySpec[] {
  const url = parseUrlFlag('--jwks-url', flags.jwksUrl);
  if (url) return [{ jwksUri: url }];
  const specs = (s.env?.keys ?? []).filter((k) => 'jwksUri' in k || 'discovery' in k || 'jwksFile' in k || 'jwk' in k);
  if (specs.length === 0)
    throw new UsageError(
      s.env
        ? `environment "${s.env.name}" has no JWKS key source: pass --jwks-url URL`
        : 'give --env NAME (with a contract) or --jwks-url URL for the live key set',
    );
  return specs;
}

function verifierOptions(flags: RotationOptions, s: Setup) {
  const debugUrl =
    parseUrlFlag('--debug-url', flags.debugUrl) ??
    (flags.snapshot === undefined && flags.verifierJwksUrl === undefined && flags.envoyConfigDump === undefined
      ? s.verifier.debugUrl
      : undefined);
  const verifierJwksUrl = parseUrlFlag('--verifier-jwks-url', flags.verifierJwksUrl);
  return {
    timeoutMs: s.timeoutMs,
    ...(debugUrl ? { debugUrl } : {}),
    ...(flags.snapshot !== undefined ? { snapshotFile: flags.snapshot } : {}),
    ...(verifierJwksUrl ? { verifierJwksUrl } : {}),
    ...(flags.envoyConfigDump !== undefined ? { envoyConfigDump: flags.envoyConfigDump } : {}),
  };
}

/** The env name and the verifier cache settings, as the rotation checks take them. */
function envAndCache(s: Setup) {
  return {
    ...(s.env?.name !== undefined ? { env: s.env.name } : {}),
    ...(s.verifier.cacheTtlSeconds !== undefined ? { cacheTtlSeconds: s.verifier.cacheTtlSeconds } : {}),
  };
}

/**
 * `jwt-doctor rotation check`: the issuer's live key set against the
 * verifier's cached set. Returns the exit code: 0 in sync, 1 an error
 * finding (jwks_stale, source unreachable).
 *
 * @example const code = await rotationCheckCommand({ jwksUrl, snapshot: 'verifier-keys.json', format: 'json' }, out);
 */
export async function rotationCheckCommand(options: RotationOptions, out: Output = process.stdout): Promise<number> {
  const s = setup(options);
  const vopts = verifierOptions(options, s);
  if (!vopts.debugUrl && !vopts.snapshotFile && !vopts.verifierJwksUrl && !vopts.envoyConfigDump) {
    throw new UsageError(
      'no verifier key set to compare: set verifier.debugUrl in the contract, or pass --debug-url URL, --snapshot FILE or --verifier-jwks-url URL',
    );
  }
  const [live, verifier] = await Promise.all([loadKeyMaterials(liveSpecs(options, s), s.ctx), readVerifierKeys(vopts)]);
  const report = checkRotation({
    ...envAndCache(s),
    live,
    verifier,
    ...(s.verifier.cooldownSeconds !== undefined ? { cooldownSeconds: s.verifier.cooldownSeconds } : {}),
    now: s.now,
  });
  writeReport(out, options.format, report, formatRotationCheckText);
  return report.result === 'error' ? EXIT.fail : EXIT.ok;
}

/**
 * `jwt-doctor rotation overlap`: every key that signed a live token stays
 * trusted until the token expires. Returns the exit code: 0 the overlap
 * holds, 1 a key retires too early.
 *
 * @example const code = await rotationOverlapCommand({ old: 'old.jwks.json', new: 'new.jwks.json', lifetime: '3600' }, out);
 */
export async function rotationOverlapCommand(options: OverlapOptions, out: Output = process.stdout): Promise<number> {
  const s = setup(options);
  let lifetime = parseNumberFlag('--lifetime', options.lifetime);
  if (lifetime === undefined && s.contract && s.env) lifetime = readPolicySection(s.contract, s.env).tokenLifetimeSeconds;
  const tokens = options.tokens === undefined ? undefined : readTokensFile(options.tokens);
  if (lifetime === undefined && tokens === undefined)
    throw new UsageError('give --lifetime SECONDS, --env NAME with policy.tokenLifetimeSeconds, or --tokens FILE');
  const tol = parseNumberFlag('--clock-tolerance', options.clockTolerance) ?? s.env?.clockToleranceSeconds ?? 0;
  const switchedAt = parseInstantFlag('--switched-at', options.switchedAt);
  const retireAt = parseInstantFlag('--retire-at', options.retireAt);
  const [oldSet, newSet] = await Promise.all([
    loadSourceArgument(options.old, { timeoutMs: s.timeoutMs }),
    loadSourceArgument(options.new, { timeoutMs: s.timeoutMs }),
  ]);
  const report = checkOverlap({
    old: oldSet,
    new: newSet,
    ...(tokens ? { tokens } : {}),
    ...(lifetime !== undefined ? { lifetimeSeconds: lifetime } : {}),
    ...(switchedAt !== undefined ? { switchedAt } : {}),
    ...(retireAt !== undefined ? { retireAt } : {}),
    clockToleranceSeconds: tol,
    now: s.now,
  });
  writeReport(out, options.format, report, formatOverlapText);
  return report.result === 'error' ? EXIT.fail : EXIT.ok;
}

/** --tokens FILE: one token per line. */
function readTokensFile(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch (e) {
    throw new UsageError(`cannot read --tokens ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * `jwt-doctor rotation retire`: the closing checklist of a rotation, with
 * evidence. Returns the exit code: 0 every item passes, 1 an item fails or
 * lacks evidence.
 *
 * @example const code = await rotationRetireCommand({ env: 'staging', kid: 'staging-2026-10', log: 'verifier.log' }, out);
 */
export async function rotationRetireCommand(options: RetireOptions, out: Output = process.stdout): Promise<number> {
  const s = setup(options);
  const threshold = parseNumberFlag('--threshold', options.threshold ?? '0')!;
  const interval = parseNumberFlag('--interval', options.interval ?? '10', { max: 86_400, unit: 'seconds' })!;
  const windowSeconds = parseNumberFlag('--window', options.window ?? '3600', 1)!;
  const unpublishedAt = parseInstantFlag('--unpublished-at', options.unpublishedAt);
  // First: a usage error (two traffic sources) stops before any fetch starts.
  const trafficP = measureResidualTraffic(options, s, interval, windowSeconds);
  const [live, verifier, traffic] = await Promise.all([
    loadKeyMaterials(liveSpecs(options, s), s.ctx),
    readVerifierKeys(verifierOptions(options, s)),
    trafficP,
  ]);
  const report = checkRetirement({
    ...envAndCache(s),
    kid: options.kid,
    live,
    verifier,
    ...(traffic ? { traffic } : {}),
    ...(unpublishedAt !== undefined ? { unpublishedAt } : {}),
    threshold,
    now: s.now,
  });
  writeReport(out, options.format, report, formatRetirementText);
  return report.passed ? EXIT.ok : EXIT.fail;
}

/** The residual-traffic evidence of `retire`: a log, a Prometheus server, or one verifier's metrics page (flag, else the contract's). */
function measureResidualTraffic(
  options: RetireOptions,
  s: Setup,
  interval: number,
  windowSeconds: number,
): Promise<TrafficEvidence | undefined> {
  const sources = [options.log, options.prometheus, options.metricsUrl].filter((v) => v !== undefined);
  if (sources.length > 1) throw new UsageError('give one of --log, --prometheus, --metrics-url');
  const envName = s.env?.name !== undefined ? { env: s.env.name } : {};
  if (options.log !== undefined)
    return Promise.resolve(countLogTraffic(options.log, { kid: options.kid, ...envName, windowSeconds, now: s.now }));
  const prometheus = parseUrlFlag('--prometheus', options.prometheus);
  if (prometheus !== undefined)
    return readPrometheusTraffic(prometheus, { kid: options.kid, ...envName, windowSeconds, now: s.now, timeoutMs: s.timeoutMs });
  const metricsUrl = parseUrlFlag('--metrics-url', options.metricsUrl) ?? s.verifier.metricsUrl;
  if (metricsUrl === undefined) return Promise.resolve(undefined);
  return sampleMetricsTraffic(metricsUrl, { kid: options.kid, ...envName, intervalSeconds: interval, timeoutMs: s.timeoutMs });
}

function addCommon(cmd: Command, withVerifier = true): Command {
  cmd
    .addOption(contractOption())
    .addOption(envOption())
    .addOption(jwksUrlOption("the issuer's live JWKS URL (instead of the environment's key sources)"));
  if (withVerifier) {
    cmd
      .option('--debug-url <url>', 'verifier debug endpoint (default verifier.debugUrl; path /.well-known/jwt-doctor/keys)')
      .option('--snapshot <file>', 'verifier key snapshot (jwt-doctor/verifier-keys/v1 JSON)')
      .option('--verifier-jwks-url <url>', 'a JWKS URL standing for what the verifier holds')
      .option(
        '--envoy-config-dump <file|url>',
        "an Envoy admin /config_dump: the keys that gateway's jwt_authn holds inline (Istio sidecars)",
      )
      .option('--cache-ttl <seconds>', 'verifier JWKS cache TTL (default verifier.cacheTtlSeconds, else 600)')
      .option('--cooldown <seconds>', 'verifier refetch cooldown on unknown kid (default 30, jose cooldownDuration)');
  }
  return cmd
    .addOption(timeoutOption())
    .addOption(nowOption(`evaluate at this instant (${INSTANT_FORMS})`))
    .addOption(formatOption(['text', 'json']));
}

function registerCheck(rotation: Command, done: Done): void {
  addCommon(rotation.command('check').description("compare the issuer's live key set with the verifier's cached set"))
    .addHelpText('after', CHECK_HELP)
    .action(async (flags: RotationOptions) => done(await rotationCheckCommand(flags)));
}

function registerOverlap(rotation: Command, done: Done): void {
  addCommon(rotation.command('overlap').description('prove every key that signed a live token stays trusted until it expires'), false)
    .requiredOption('--old <set>', 'the trusted key set before the rotation (JWKS file or URL)')
    .requiredOption('--new <set>', 'the trusted key set after the rotation (JWKS file or URL)')
    .option('--lifetime <seconds>', 'token lifetime (default policy.tokenLifetimeSeconds of --env)')
    .option('--tokens <file>', 'live tokens, one per line (decoded without verification: kid and exp)')
    .option('--switched-at <instant>', 'when the signer switched to the new key (default now)')
    .option('--retire-at <instant>', 'planned retirement of the old key')
    .addOption(clockToleranceOption('verifier clock tolerance (default clockToleranceSeconds of --env, else 0)'))
    .addHelpText('after', OVERLAP_HELP)
    .action(async (flags: OverlapOptions) => done(await rotationOverlapCommand(flags)));
}

function registerRetire(rotation: Command, done: Done): void {
  addCommon(
    rotation.command('retire').description('closing checklist: old key unpublished, untrusted, caches refreshed, no residual traffic'),
  )
    .requiredOption('--kid <kid>', 'the retired key id')
    .option('--metrics-url <url>', 'Prometheus text endpoint (default verifier.metricsUrl)')
    .option('--prometheus <url>', 'Prometheus server: residual traffic across every instance it scrapes, over --window')
    .option('--log <file>', 'JSON-lines log with a kid field per request (instead of metrics)')
    .option('--threshold <rate>', 'highest acceptable old-kid requests per second', '0')
    .option('--interval <seconds>', 'seconds between the two metrics samples', '10')
    .option('--window <seconds>', 'log and --prometheus: count the last SECONDS before now', '3600')
    .option('--unpublished-at <instant>', 'when the old key was removed from the JWKS')
    .addHelpText('after', RETIRE_HELP)
    .action(async (flags: RetireOptions) => done(await rotationRetireCommand(flags)));
}

export function register(program: Command, done: Done): void {
  const rotation = program.command('rotation').description('key rotation: check caches, prove overlap, retirement checklist');
  rotation.addHelpText(
    'after',
    '\nSubcommands: check | overlap | retire (run "jwt-doctor rotation <sub> --help").\n\nExit codes: 0 pass, 1 fail, 2 usage or contract error.',
  );
  registerCheck(rotation, done);
  registerOverlap(rotation, done);
  registerRetire(rotation, done);
}
