import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, loadContractFlag, pickEnvironment, UsageError } from '../common.ts';
import type { Done, Output } from '../command.ts';
import {
  contractOption,
  envOption,
  formatOption,
  INSTANT_FORMS,
  nowOption,
  parseInstantFlag,
  parseTimeout,
  timeoutOption,
} from '../flags.ts';

const HELP = `
The post-fix validation report: obtains a fresh token from the
environment's token source (obtain:, or each client's), then checks
signature, issuer and audience with the environment's real keys; the
token's lifetime against the client's tokenLifetimeSeconds and
policy.tokenLifetimeSeconds; the issuer's and the API's clock offsets (HTTP
Date) against clockToleranceSeconds; header propagation through every route
of the api section (jwt-doctor probe); environment isolation for a
production: true environment; and the refresh flow: a refreshed token
(refresh_token grant when the token response carried a refresh token, else
a new request from the same source) arrives before the old one expires,
given the client's refreshLeadSeconds (else policy.refreshWindowSeconds,
else 60), the measured token-endpoint latency, the client's
expectedLatencyMs and how far the API's clock runs ahead of the issuer's,
and the API (else jwt-doctor's verifier) accepts it.

With clients (environments.<env>.clients) each client's flow runs on its
own and is reported in a "# client NAME" section; --client runs one.

Text is the guide's report: signature, issuer, audience,
clock_skew_seconds (the measured offset, rounded) and refresh_flow always,
lifetime, header_propagation, environment_isolation and token only when
they ran (token only when it fails), then status. A failing line carries
its reason code (clock_skew_seconds also the tolerance); the findings
follow an unstable status. The report never shows a token, a refresh token
or a secret: tokens by length and SHA-256 only.

Examples:
  $ jwt-doctor check --env staging
  $ jwt-doctor check --env staging --client mobile --format json
  $ jwt-doctor check --env staging --junit reports/auth-check.xml
  $ jwt-doctor check --env prod --format markdown > incident-check.md

Exit codes: 0 status = stable, 1 unstable (the report and the JUnit file
are still written), 2 usage or contract error.`;

export interface CheckCommandOptions {
  contract?: string;
  env?: string;
  client?: string;
  junit?: string;
  format?: string;
  timeout?: string;
  now?: string;
  /** commander's --no-isolation. */
  isolation?: boolean;
}

/**
 * `jwt-doctor check --env NAME`: runs src/check/run_check.ts and writes the
 * report (and --junit FILE). Returns the exit code: 0 stable, 1 unstable.
 *
 * @example const code = await checkCommand({ contract: 'auth-contract.yaml', env: 'staging', junit: 'check.xml' }, out);
 */
export async function checkCommand(options: CheckCommandOptions, out: Output = process.stdout): Promise<number> {
  if (options.env === undefined) throw new UsageError('give --env NAME: the environment to check');
  const timeoutMs = parseTimeout(options.timeout);
  const now = parseInstantFlag('--now', options.now);
  const contract = loadContractFlag(options, true)!;
  pickEnvironment(contract, options.env);
  const [{ runCheck }, fmt] = await Promise.all([import('../../check/run_check.ts'), import('../../check/format_check.ts')]);
  const report = await runCheck(contract, options.env, {
    timeoutMs,
    ...(now !== undefined ? { now: () => now } : {}),
    ...(options.client !== undefined ? { client: options.client } : {}),
    ...(options.isolation === false ? { isolation: false } : {}),
  });
  if (options.junit !== undefined) writeJunit(options.junit, fmt.formatCheckJunit(report));
  const format = options.format ?? 'text';
  out.write(
    format === 'json'
      ? JSON.stringify(report, null, 2) + '\n'
      : format === 'markdown'
        ? fmt.formatCheckMarkdown(report)
        : fmt.formatCheckText(report),
  );
  return report.status === 'stable' ? EXIT.ok : EXIT.fail;
}

function writeJunit(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write --junit ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function register(program: Command, done: Done): void {
  program
    .command('check')
    .description(
      'post-fix validation: a fresh token through signature, issuer, audience, lifetime, clock skew, propagation, isolation, refresh',
    )
    .addOption(contractOption())
    .addOption(envOption('environment to check (required)'))
    .option('--client <name>', 'check only this client of the environment (clients.<name>)')
    .option('--junit <file>', 'also write JUnit XML: one testcase per check and client')
    .option('--no-isolation', 'skip the environment-isolation check of a production: true environment')
    .addOption(timeoutOption('deadline of every network call in ms'))
    .addOption(
      nowOption(`judge token times at this instant (${INSTANT_FORMS}; default now; clocks are always read against the real clock)`),
    )
    .addOption(formatOption(['text', 'json', 'markdown']))
    .addHelpText('after', HELP)
    .action(async (flags: CheckCommandOptions) => done(await checkCommand(flags)));
}
