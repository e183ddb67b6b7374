import type { Command } from 'commander';
import { Option } from 'commander';
import { readIssuerBaseUrl } from '../../contract/api_section.ts';
import { rawEnvironment } from '../../contract/sections.ts';
import { clockFindings, compareTokenTimes, measureClockOffset, CLOCK_SCHEMA, type ClockMeasurement } from '../../probe/clock_offset.ts';
import { formatClockText, type ClockProbeReport } from '../../probe/format_probe.ts';
import { decodeToken } from '../../token/decode.ts';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { ContractError } from '../../contract/load.ts';
import { EXIT, loadContractFlag, readTokenInput, UsageError } from '../common.ts';
import { MAX_TIMEOUT_MS, parseNumberFlag, parsePositiveInt, parseTimeout, parseUrlFlag } from '../flags.ts';

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

interface Flags {
  contract?: string;
  env?: string;
  token?: string;
  tokenFile?: string;
  samples: string;
  timeout: string;
  issuerUrl?: string;
  apiUrl?: string;
  clockTolerance?: string;
  format: string;
}

export function register(program: Command): void {
  program
    .command('clock')
    .description("offset of the issuer's and API's clocks from HTTP Date headers, against the contract tolerance")
    .option('-c, --contract <file>', 'environment contract (default ./auth-contract.yaml when present)')
    .option('-e, --env <name>', 'environment (issuerBaseUrl or first issuer, and api.baseUrl)')
    .argument('[token]', "place this token's iat/nbf/exp on each remote clock (the token, a file holding it, or - for stdin)")
    .option('-t, --token <token>', 'the token, as the argument (kept for scripts)')
    .option('--token-file <file>', 'read the token from a file (- for stdin)')
    .option('--samples <n>', 'requests per clock', '5')
    .option('--timeout <ms>', `deadline per request (ms, 1 to ${MAX_TIMEOUT_MS})`, '5000')
    .option('--issuer-url <url>', 'issuer URL to read the Date header from (overrides the contract)')
    .option('--api-url <url>', 'API URL to read the Date header from (overrides api.baseUrl)')
    .option('--clock-tolerance <seconds>', 'tolerance in seconds (overrides clockToleranceSeconds)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP)
    .action(async (arg: string | undefined, flags: Flags) => {
      const samples = parsePositiveInt('--samples', flags.samples);
      const timeoutMs = parseTimeout(flags.timeout);
      if (arg !== undefined && flags.token !== undefined) throw new UsageError('the token is given twice (the argument and --token): pass only one');
      const tokenArg = arg ?? flags.token;
      const targets: { target: string; url: string }[] = [];
      let tolerance = 0;
      let envName: string | undefined;
      const needContract = flags.issuerUrl === undefined && flags.apiUrl === undefined;
      const contract = flags.env !== undefined || needContract ? loadContractFlag(flags, true) : undefined;
      if (contract) {
        const names = Object.keys(contract.environments);
        envName = flags.env ?? (names.length === 1 ? names[0] : undefined);
        if (envName === undefined) throw new UsageError(`pick an environment with --env (one of: ${names.join(', ')})`);
        if (!names.includes(envName)) throw new UsageError(`unknown environment "${envName}" (the contract has: ${names.join(', ')})`);
        tolerance = contract.environments[envName]!.clockToleranceSeconds ?? 0;
        const issuer = readIssuerBaseUrl(contract, envName);
        if (issuer !== undefined) targets.push({ target: 'issuer', url: issuer });
        const api = rawEnvironment(contract, envName).api as { baseUrl?: unknown } | undefined;
        if (api !== undefined) {
          if (typeof api?.baseUrl !== 'string' || !/^https?:\/\//.test(api.baseUrl)) throw new ContractError(contract.path ?? '(object)', `environments.${envName}.api.baseUrl`, 'an http(s) URL', JSON.stringify(api?.baseUrl) ?? 'nothing');
          targets.push({ target: 'api', url: api.baseUrl });
        }
      }
      if (flags.issuerUrl !== undefined) replace(targets, 'issuer', parseUrlFlag('--issuer-url', flags.issuerUrl)!);
      if (flags.apiUrl !== undefined) replace(targets, 'api', parseUrlFlag('--api-url', flags.apiUrl)!);
      if (flags.clockTolerance !== undefined) tolerance = parseNumberFlag('--clock-tolerance', flags.clockTolerance, { unit: 'seconds' })!;
      if (targets.length === 0) throw new UsageError('no clock to read: the environment has no issuerBaseUrl, http(s) issuer or api.baseUrl; pass --issuer-url or --api-url');
      let claims: Record<string, unknown> | undefined;
      if (tokenArg !== undefined || flags.tokenFile !== undefined) {
        const n = normalizeTokenInput(readTokenInput({ arg: tokenArg, tokenFile: flags.tokenFile, argName: arg !== undefined ? 'the token argument' : '--token' }));
        const d = decodeToken(n.token);
        if (!d.ok) throw new UsageError(`the token does not decode (${d.findings[0]?.code ?? 'malformed_token'}): run jwt-doctor decode on it`);
        claims = d.token.payload;
      }
      const clocks: ClockMeasurement[] = [];
      for (const t of targets) clocks.push(await measureClockOffset(t.url, t.target, { samples, timeoutMs }));
      const findings = clockFindings(clocks, tolerance);
      const report: ClockProbeReport = { schema: CLOCK_SCHEMA, toleranceSeconds: tolerance, localNow: new Date().toISOString(), clocks, findings, ok: true };
      if (envName !== undefined) report.env = envName;
      if (claims) {
        const cmp = compareTokenTimes(claims, clocks, { now: Date.now() / 1000, toleranceSeconds: tolerance });
        report.token = { times: cmp.times };
        findings.push(...cmp.findings);
      }
      report.ok = !findings.some((f) => f.severity === 'error');
      process.stdout.write(flags.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatClockText(report));
      process.exitCode = report.ok ? EXIT.ok : EXIT.fail;
    });
}

function replace(targets: { target: string; url: string }[], target: string, url: string): void {
  const i = targets.findIndex((t) => t.target === target);
  if (i >= 0) targets[i] = { target, url };
  else targets.push({ target, url });
}
