import type { Command } from 'commander';
import { readApiConfig, type ApiConfig, type ApiRoute } from '../../contract/api_section.ts';
import { formatProbeText } from '../../probe/format_probe.ts';
import { probeApi } from '../../probe/probe_api.ts';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { EXIT, loadContractFlag, readTokenInput, UsageError } from '../common.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import {
  collect,
  contractOption,
  envOption,
  formatOption,
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
Sends the same token to every route of the environment's api section and to
each route's echo path (the route's folder + /.well-known/jwt-doctor/echo,
served by the API's embedded echo handler or by jwt-doctor probe-server), then
names each route's fate: accepted, rejected (reason), header_missing,
header_modified (moved / truncated / re_encoded / re_schemed / replaced),
transport_error, redirect_blocked, unexpected_status. The token itself is
never printed: only its length and SHA-256.

Examples:
  $ jwt-doctor probe "$TOKEN" --env staging
  $ jwt-doctor probe token.txt --env staging --route /v1/me --route /v1/orders --format json
  $ jwt-doctor probe --base-url http://127.0.0.1:8080 --route /v1/me --token "$TOKEN" --timeout 2000

Exit codes: 0 every route answers the status the contract expects, 1 some route
does not, 2 usage or contract error.`;

export interface ProbeOptions {
  contract?: string;
  env?: string;
  token?: string;
  tokenFile?: string;
  route?: string[];
  baseUrl?: string;
  header?: string;
  scheme?: string;
  timeout?: string;
  concurrency?: string;
  allowRedirects?: boolean;
  /** false with --no-echo. */
  echo?: boolean;
  format?: string;
}

/**
 * `jwt-doctor probe`: the same token to every API route. Returns the exit
 * code: 0 every route answers the status the contract expects, 1 not.
 *
 * @example const code = await probeCommand(token, { baseUrl: 'http://127.0.0.1:8080', route: ['/v1/me'], format: 'json' }, out);
 */
export async function probeCommand(arg: string | undefined, options: ProbeOptions, out: Output = process.stdout): Promise<number> {
  const timeoutMs = parseTimeout(options.timeout);
  const concurrency = parsePositiveInt('--concurrency', options.concurrency ?? '4');
  const token = readProbeToken(arg, options);
  const { api, env } = resolveApi(options);
  const report = await probeApi(api, token, {
    timeoutMs,
    concurrency,
    allowRedirects: Boolean(options.allowRedirects),
    echo: options.echo ?? true,
    ...(env !== undefined ? { env } : {}),
  });
  writeReport(out, options.format, report, formatProbeText);
  return report.ok ? EXIT.ok : EXIT.fail;
}

export function register(program: Command, done: Done): void {
  program
    .command('probe')
    .description('send the same token to every API route: status, WWW-Authenticate, header fate (echo), route drift')
    .addOption(contractOption())
    .addOption(envOption('environment whose api section to probe'))
    .addArgument(tokenArgument('the token, a pasted "Bearer ..." line, a file holding it, or - for stdin'))
    .addOption(tokenOption())
    .addOption(tokenFileOption())
    .option('--route <path>', 'probe only this route (repeatable); a path not in the contract is probed with GET, expecting 200', collect)
    .option('--base-url <url>', "the API's base URL (overrides api.baseUrl)")
    .option('--header <name>', 'header the API reads (default: api.header, else authorization)')
    .option('--scheme <scheme>', 'scheme before the token, "none" for a bare token (default: api.scheme, else Bearer)')
    .addOption(timeoutOption(`deadline per request, route and echo each (ms, ${TIMEOUT_RANGE})`))
    .option('--concurrency <n>', 'routes probed at once (1: cleanest latency numbers)', '4')
    .option('--allow-redirects', 'follow redirects to another origin (the token is never sent there)')
    .option('--no-echo', 'skip the echo probe')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action(async (arg: string | undefined, flags: ProbeOptions) => done(await probeCommand(arg, flags)));
}

function readProbeToken(arg: string | undefined, flags: ProbeOptions): string {
  if (arg !== undefined && flags.token !== undefined)
    throw new UsageError('the token is given twice (the argument and --token): pass only one');
  const n = normalizeTokenInput(
    readTokenInput({ arg: arg ?? flags.token, tokenFile: flags.tokenFile, argName: arg !== undefined ? 'the token argument' : '--token' }),
  );
  if (n.token === '') throw new UsageError('the token is empty: pass the access token the client sends');
  if (/[\r\n]/.test(n.token)) throw new UsageError('the token contains a line break: paste it on one line');
  return n.token;
}

/** The api section of the environment (or of --base-url and --route alone), with the flags applied. */
function resolveApi(flags: ProbeOptions): { api: ApiConfig; env?: string } {
  const contract =
    flags.baseUrl !== undefined && flags.env === undefined ? undefined : loadContractFlag(flags, flags.baseUrl === undefined);
  let api: ApiConfig;
  let env: string | undefined;
  if (contract) {
    const names = Object.keys(contract.environments);
    env = flags.env ?? (names.length === 1 ? names[0]! : undefined);
    if (env === undefined) throw new UsageError(`pick an environment with --env (one of: ${names.join(', ')})`);
    if (!names.includes(env)) throw new UsageError(`unknown environment "${env}" (the contract has: ${names.join(', ')})`);
    api = readApiConfig(contract, env);
  } else {
    if (!flags.route?.length) throw new UsageError('without a contract, give --base-url URL and at least one --route PATH');
    api = { baseUrl: '', routes: [], header: 'authorization', scheme: 'Bearer', echoPath: '/.well-known/jwt-doctor/echo' };
  }
  if (flags.baseUrl !== undefined) api.baseUrl = parseUrlFlag('--base-url', flags.baseUrl)!;
  if (flags.header !== undefined) api.header = flags.header.toLowerCase();
  if (flags.scheme !== undefined) api.scheme = flags.scheme.toLowerCase() === 'none' ? null : flags.scheme;
  if (flags.route?.length) api.routes = selectRoutes(api.routes, flags.route);
  return { api, ...(env !== undefined ? { env } : {}) };
}

/** --route PATH...: the contract's routes at those paths, or GET expecting 200 for a path it lacks. */
function selectRoutes(known: ApiRoute[], paths: string[]): ApiRoute[] {
  return paths.flatMap((path): ApiRoute[] => {
    if (!path.startsWith('/')) throw new UsageError(`--route expects a path starting with /, got "${path}"`);
    const matches = known.filter((r) => r.path === path);
    return matches.length > 0 ? matches : [{ path, method: 'GET', expectStatus: 200, echo: true }];
  });
}
