import type { Command } from 'commander';
import { readIssuerBaseUrl } from '../../contract/api_section.ts';
import { rawEnvironment } from '../../contract/sections.ts';
import { clockFindings, compareTokenTimes, measureClockOffset, CLOCK_SCHEMA, type ClockMeasurement } from '../../probe/clock_offset.ts';
import { formatClockText, type ClockProbeReport } from '../../probe/format_probe.ts';
import { decodeToken } from '../../token/decode.ts';
import type { Contract } from '../../contract/load.ts';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { ContractError, EXIT, UsageError } from '../../errors.ts';
import { loadContractFlag, readTokenInput } from '../common.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import {
  clockToleranceOption,
  contractOption,
  envOption,
  formatOption,
  parseNumberFlag,
  parsePositiveInt,
  parseTimeout,
  parseUrlFlag,
  timeoutOption,
  TIMEOUT_RANGE,
  tokenArgument,
  tokenFileOption,
  tokenOption,
} from '../flags.ts';

const HELP = `
Measures how far the issuer's and the API's clocks are from this machine's,
from their HTTP Date headers: several samples, the round trip's midpoint as
the moment the header was written, the minimum-RTT sample kept, uncertainty
RTT/2 + 1 s (Date has one-second resolution). Compared with the contract's
clockToleranceSeconds. With a token, its iat/nbf/exp are placed on each
remote clock (as decoded, unverified).

Examples:
  $ jwt-doctor clock --env staging
  $ jwt-doctor clock "$TOKEN" --env staging --samples 8 --format json
  $ jwt-doctor clock --issuer-url https://auth.example.com --api-url https://api.example.com --clock-tolerance 5

Exit codes: 0 every clock within tolerance (and the token's times acceptable
on each), 1 not, or a clock could not be read, 2 usage or contract error.`;

export interface ClockOptions {
  contract?: string;
  env?: string;
  token?: string;
  tokenFile?: string;
  samples?: string;
  timeout?: string;
  issuerUrl?: string;
  apiUrl?: string;
  clockTolerance?: string;
  format?: string;
}

/** The clocks to read, the tolerance to hold them to, and the environment they came from. */
interface ClockTargets {
  targets: { target: string; url: string }[];
  tolerance: number;
  envName?: string;
}

/**
 * `jwt-doctor clock [TOKEN]`: the issuer's and the API's clock offsets
 * (HTTP Date) against the tolerance, and the token's times on each clock.
 * Returns the exit code: 0 every clock within tolerance (and the token's
 * times acceptable on each), 1 not, or a clock could not be read.
 *
 * @example const code = await clockCommand(undefined, { issuerUrl: 'https://auth.example.com', samples: '3' }, out);
 */
export async function clockCommand(arg: string | undefined, options: ClockOptions, out: Output = process.stdout): Promise<number> {
  const samples = parsePositiveInt('--samples', options.samples ?? '5');
  const timeoutMs = parseTimeout(options.timeout);
  if (arg !== undefined && options.token !== undefined)
    throw new UsageError('the token is given twice (the argument and --token): pass only one');
  const { targets, tolerance, envName } = resolveClockTargets(options);
  const claims = readClockTokenClaims(arg, options);
  const clocks: ClockMeasurement[] = [];
  for (const t of targets) clocks.push(await measureClockOffset(t.url, t.target, { samples, timeoutMs }));
  const findings = clockFindings(clocks, tolerance);
  const report: ClockProbeReport = {
    schema: CLOCK_SCHEMA,
    toleranceSeconds: tolerance,
    localNow: new Date().toISOString(),
    clocks,
    findings,
    ok: true,
  };
  if (envName !== undefined) report.env = envName;
  if (claims) {
    const cmp = compareTokenTimes(claims, clocks, { now: Date.now() / 1000, toleranceSeconds: tolerance });
    report.token = { times: cmp.times };
    findings.push(...cmp.findings);
  }
  report.ok = !findings.some((f) => f.severity === 'error');
  writeReport(out, options.format, report, formatClockText);
  return report.ok ? EXIT.ok : EXIT.fail;
}

/** The issuer and API URLs from the environment, replaced by --issuer-url and --api-url. */
function resolveClockTargets(options: ClockOptions): ClockTargets {
  const needContract = options.issuerUrl === undefined && options.apiUrl === undefined;
  const contract = options.env !== undefined || needContract ? loadContractFlag(options, true) : undefined;
  const r: ClockTargets = contract ? contractClockTargets(contract, options.env) : { targets: [], tolerance: 0 };
  if (options.issuerUrl !== undefined) replace(r.targets, 'issuer', parseUrlFlag('--issuer-url', options.issuerUrl)!);
  if (options.apiUrl !== undefined) replace(r.targets, 'api', parseUrlFlag('--api-url', options.apiUrl)!);
  if (options.clockTolerance !== undefined)
    r.tolerance = parseNumberFlag('--clock-tolerance', options.clockTolerance, { unit: 'seconds' })!;
  if (r.targets.length === 0)
    throw new UsageError(
      'no clock to read: the environment has no issuerBaseUrl, http(s) issuer or api.baseUrl; pass --issuer-url or --api-url',
    );
  return r;
}

function contractClockTargets(contract: Contract, env: string | undefined): ClockTargets {
  const names = Object.keys(contract.environments);
  const envName = env ?? (names.length === 1 ? names[0] : undefined);
  if (envName === undefined) throw new UsageError(`pick an environment with --env (one of: ${names.join(', ')})`);
  if (!names.includes(envName)) throw new UsageError(`unknown environment "${envName}" (the contract has: ${names.join(', ')})`);
  const targets: { target: string; url: string }[] = [];
  const issuer = readIssuerBaseUrl(contract, envName);
  if (issuer !== undefined) targets.push({ target: 'issuer', url: issuer });
  const api = rawEnvironment(contract, envName).api as { baseUrl?: unknown } | undefined;
  if (api !== undefined) {
    if (typeof api?.baseUrl !== 'string' || !/^https?:\/\//.test(api.baseUrl))
      throw new ContractError(
        contract.path ?? '(object)',
        `environments.${envName}.api.baseUrl`,
        'an http(s) URL',
        JSON.stringify(api?.baseUrl) ?? 'nothing',
      );
    targets.push({ target: 'api', url: api.baseUrl });
  }
  return { targets, tolerance: contract.environments[envName]!.clockToleranceSeconds ?? 0, envName };
}

/** The token's claims, as decoded (unverified), when a token is given. */
function readClockTokenClaims(arg: string | undefined, options: ClockOptions): Record<string, unknown> | undefined {
  const tokenArg = arg ?? options.token;
  if (tokenArg === undefined && options.tokenFile === undefined) return undefined;
  const n = normalizeTokenInput(
    readTokenInput({ arg: tokenArg, tokenFile: options.tokenFile, argName: arg !== undefined ? 'the token argument' : '--token' }),
  );
  const d = decodeToken(n.token);
  if (!d.ok) throw new UsageError(`the token does not decode (${d.findings[0]?.code ?? 'malformed_token'}): run jwt-doctor decode on it`);
  return d.token.payload;
}

export function register(program: Command, done: Done): void {
  program
    .command('clock')
    .description("offset of the issuer's and API's clocks from HTTP Date headers, against the contract tolerance")
    .addOption(contractOption())
    .addOption(envOption('environment (issuerBaseUrl or first issuer, and api.baseUrl)'))
    .addArgument(tokenArgument("place this token's iat/nbf/exp on each remote clock (the token, a file holding it, or - for stdin)"))
    .addOption(tokenOption())
    .addOption(tokenFileOption())
    .option('--samples <n>', 'requests per clock', '5')
    .addOption(timeoutOption(`deadline per request (ms, ${TIMEOUT_RANGE})`))
    .option('--issuer-url <url>', 'issuer URL to read the Date header from (overrides the contract)')
    .option('--api-url <url>', 'API URL to read the Date header from (overrides api.baseUrl)')
    .addOption(clockToleranceOption('tolerance in seconds (overrides clockToleranceSeconds)'))
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action(async (arg: string | undefined, flags: ClockOptions) => done(await clockCommand(arg, flags)));
}

function replace(targets: { target: string; url: string }[], target: string, url: string): void {
  const i = targets.findIndex((t) => t.target === target);
  if (i >= 0) targets[i] = { target, url };
  else targets.push({ target, url });
}
