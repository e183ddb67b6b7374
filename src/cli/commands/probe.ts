import type { Command } from 'commander';
import { Option } from 'commander';
import { readApiConfig, type ApiConfig, type ApiRoute } from '../../contract/api_section.ts';
import { formatProbeText } from '../../probe/format_probe.ts';
import { probeApi } from '../../probe/probe_api.ts';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { EXIT, loadContractFlag, readTokenInput, UsageError } from '../common.ts';
import { MAX_TIMEOUT_MS, parsePositiveInt, parseTimeout, parseUrlFlag } from '../flags.ts';

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

interface ProbeFlags {
  contract?: string;
  env?: string;
  token?: string;
  tokenFile?: string;
  route?: string[];
  baseUrl?: string;
  header?: string;
  scheme?: string;
  timeout: string;
  concurrency: string;
  allowRedirects?: boolean;
  echo: boolean;
  format: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command): void {
  program
    .command('probe')
    .description('send the same token to every API route: status, WWW-Authenticate, header fate (echo), route drift')
    .option('-c, --contract <file>', 'environment contract (default ./auth-contract.yaml when present)')
    .option('-e, --env <name>', 'environment whose api section to probe')
    .argument('[token]', 'the token, a pasted "Bearer ..." line, a file holding it, or - for stdin')
    .option('-t, --token <token>', 'the token, as the argument (kept for scripts)')
    .option('--token-file <file>', 'read the token from a file (- for stdin)')
    .option('--route <path>', 'probe only this route (repeatable); a path not in the contract is probed with GET, expecting 200', collect)
    .option('--base-url <url>', "the API's base URL (overrides api.baseUrl)")
    .option('--header <name>', 'header the API reads (default: api.header, else authorization)')
    .option('--scheme <scheme>', 'scheme before the token, "none" for a bare token (default: api.scheme, else Bearer)')
    .option('--timeout <ms>', `deadline per request, route and echo each (ms, 1 to ${MAX_TIMEOUT_MS})`, '5000')
    .option('--concurrency <n>', 'routes probed at once (1: cleanest latency numbers)', '4')
    .option('--allow-redirects', 'follow redirects to another origin (the token is never sent there)')
    .option('--no-echo', 'skip the echo probe')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP)
    .action(async (arg: string | undefined, flags: ProbeFlags) => {
      const timeoutMs = parseTimeout(flags.timeout);
      const concurrency = parsePositiveInt('--concurrency', flags.concurrency);
      const token = readProbeToken(arg, flags);
      const api = resolveApi(flags);
      const report = await probeApi(api, token, { timeoutMs, concurrency, allowRedirects: Boolean(flags.allowRedirects), echo: flags.echo, ...(flags.env !== undefined ? { env: flags.env } : {}) });
      process.stdout.write(flags.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatProbeText(report));
      process.exitCode = report.ok ? EXIT.ok : EXIT.fail;
    });
}

function readProbeToken(arg: string | undefined, flags: ProbeFlags): string {
  if (arg !== undefined && flags.token !== undefined) throw new UsageError('the token is given twice (the argument and --token): pass only one');
  const n = normalizeTokenInput(readTokenInput({ arg: arg ?? flags.token, tokenFile: flags.tokenFile, argName: arg !== undefined ? 'the token argument' : '--token' }));
  if (n.token === '') throw new UsageError('the token is empty: pass the access token the client sends');
  if (/[\r\n]/.test(n.token)) throw new UsageError('the token contains a line break: paste it on one line');
  return n.token;
}

function resolveApi(flags: ProbeFlags): ApiConfig {
  const contract = flags.baseUrl !== undefined && flags.env === undefined ? undefined : loadContractFlag(flags, flags.baseUrl === undefined);
  let api: ApiConfig;
  if (contract) {
    const names = Object.keys(contract.environments);
    const env = flags.env ?? (names.length === 1 ? names[0]! : undefined);
    if (env === undefined) throw new UsageError(`pick an environment with --env (one of: ${names.join(', ')})`);
    if (!names.includes(env)) throw new UsageError(`unknown environment "${env}" (the contract has: ${names.join(', ')})`);
    flags.env = env;
    api = readApiConfig(contract, env);
  } else {
    if (!flags.route?.length) throw new UsageError('without a contract, give --base-url URL and at least one --route PATH');
    api = { baseUrl: '', routes: [], header: 'authorization', scheme: 'Bearer', echoPath: '/.well-known/jwt-doctor/echo' };
  }
  if (flags.baseUrl !== undefined) api.baseUrl = parseUrlFlag('--base-url', flags.baseUrl)!;
  if (flags.header !== undefined) api.header = flags.header.toLowerCase();
  if (flags.scheme !== undefined) api.scheme = flags.scheme.toLowerCase() === 'none' ? null : flags.scheme;
  if (flags.route?.length) {
    const known = api.routes;
    api.routes = flags.route.flatMap((path): ApiRoute[] => {
      if (!path.startsWith('/')) throw new UsageError(`--route expects a path starting with /, got "${path}"`);
      const matches = known.filter((r) => r.path === path);
      return matches.length > 0 ? matches : [{ path, method: 'GET', expectStatus: 200, echo: true }];
    });
  }
  return api;
}
