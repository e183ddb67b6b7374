import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_CONTRACT_FILE } from '../../defaults.ts';
import { EXIT, loadContractFlag, pickEnvironment, readTokenInput, UsageError } from '../common.ts';
import type { Done, Output } from '../command.ts';
import { contractOption, envOption, formatOption, parseNumberFlag, tokenArgument, tokenFileOption } from '../flags.ts';

const HELP = `
Writes the runbook of one environment as Markdown, generated from the
contract: the guide's debug steps in its order (decode; verify issuer,
audience and signature; clock; header propagation; keys and rotation; fix;
validate) as jwt-doctor commands with the contract and environment filled
in, only the steps the contract supports:

  token, check   when the environment (or a client) has an obtain source
  clock          when it has an http(s) issuer or issuerBaseUrl
  probe          when it has an api section
  keys           when it has key sources; rotation check when they are served (jwksUri, discovery)
  policy         when it has a policy section
  drill          when it has an api section and is not production: true

Each step names its owners (the reason registry's owner roles, with the
teams of the contract's owners section), what it answers, and the reason
codes it may report.

With --with-results every step is run now, in order, through jwt-doctor's
own entry, each within --step-timeout, and its output and exit code are
embedded under it. The steps that take a token use TOKEN (the rejected one)
or, when the environment has an obtain source, the token its first step
obtains. Tokens never appear in the runbook: each is shown as its length
and a short SHA-256.

Examples:
  $ jwt-doctor runbook --env staging --contract auth-contract.yaml
  $ jwt-doctor runbook --env staging --out docs/runbooks/staging.md
  $ jwt-doctor runbook --env staging --with-results "$TOKEN" --out incident-4711.md
  $ jwt-doctor runbook --env staging --format json

Exit codes: 0 the runbook is written (with --with-results: and every step
exited 0), 1 with --with-results a step failed or did not answer in time,
2 usage or contract error.`;

export interface RunbookFlags {
  contract?: string;
  env?: string;
  withResults?: boolean;
  out?: string;
  stepTimeout?: string;
  tokenFile?: string;
  format?: string;
}

/** Default deadline of one step under --with-results, in seconds. */
const DEFAULT_STEP_TIMEOUT_SECONDS = 60;

/**
 * `jwt-doctor runbook --env NAME [--with-results] [--out FILE]`. Returns the
 * exit code (usage and contract errors throw).
 *
 * @example const code = await runbookCommand(undefined, { contract: 'auth-contract.yaml', env: 'staging' }, out);
 */
export async function runbookCommand(tokenArg: string | undefined, flags: RunbookFlags, out: Output = process.stdout): Promise<number> {
  if (flags.env === undefined) throw new UsageError('give --env NAME: the environment whose runbook to write');
  const stepTimeout = parseNumberFlag('--step-timeout', flags.stepTimeout, { min: 1, max: 3600, unit: 'seconds' });
  const tokenGiven = tokenArg !== undefined || flags.tokenFile !== undefined;
  if (tokenGiven && flags.withResults !== true) throw new UsageError('a token is only used with --with-results: add it, or drop the token');
  const contract = loadContractFlag(flags, true)!;
  pickEnvironment(contract, flags.env);
  const token = tokenGiven ? readTokenInput({ arg: tokenArg, tokenFile: flags.tokenFile }).trim() : undefined;
  const [{ planRunbook }, { formatRunbookMarkdown, formatRunbookJson }] = await Promise.all([
    import('../../runbook/plan_runbook.ts'),
    import('../../runbook/format_runbook.ts'),
  ]);
  const runbook = planRunbook(contract, flags.env, flags.contract ?? DEFAULT_CONTRACT_FILE);
  let results;
  if (flags.withResults === true) {
    const [{ runRunbook }, { main }] = await Promise.all([import('../../runbook/run_runbook.ts'), import('../main.ts')]);
    results = await runRunbook(runbook, {
      cli: main,
      stepTimeoutMs: (stepTimeout ?? DEFAULT_STEP_TIMEOUT_SECONDS) * 1000,
      ...(token !== undefined ? { token } : {}),
    });
  }
  const text = flags.format === 'json' ? formatRunbookJson(runbook, results) : formatRunbookMarkdown(runbook, results);
  if (flags.out !== undefined) {
    try {
      writeFileSync(flags.out, text);
    } catch (e) {
      throw new UsageError(`cannot write --out ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    out.write(`runbook of ${flags.env} written to ${flags.out} (${runbook.steps.length} steps)\n`);
  } else out.write(text);
  const failed = results && Object.values(results.byStep).some((r) => r.status === 'timeout' || (r.status === 'ran' && r.exitCode !== 0));
  return failed ? EXIT.fail : EXIT.ok;
}

export function register(program: Command, done: Done): void {
  program
    .command('runbook')
    .description("the environment's debug runbook as Markdown: the exact jwt-doctor commands in the guide's order, owners, reason codes")
    .addArgument(tokenArgument('with --with-results: the rejected token (the token, a file holding it, or - for stdin)'))
    .addOption(contractOption())
    .addOption(envOption('environment whose runbook to write (required)'))
    .option('--with-results', 'run every step now and embed its output and exit code (tokens redacted)')
    .option('--step-timeout <seconds>', `with --with-results: deadline of each step (default ${DEFAULT_STEP_TIMEOUT_SECONDS})`)
    .addOption(tokenFileOption())
    .option('-o, --out <file>', 'write the runbook to this file instead of stdout')
    .addOption(formatOption(['markdown', 'json']))
    .addHelpText('after', HELP)
    .action(async (token: string | undefined, flags: RunbookFlags) => done(await runbookCommand(token, flags)));
}
