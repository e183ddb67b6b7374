import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT, loadContractFlag, pickEnvironment, readTokenInput, requireSecretVariables, UsageError } from '../common.ts';
import type { Done, Output } from '../command.ts';
import { contractOption, envOption, formatOption, INSTANT_FORMS, nowOption, parseNowFlag, parseTimeout, timeoutOption } from '../flags.ts';

const HELP = `
Checks one environment against its lifecycle policy (the contract's
policy: section): the verifier's clock tolerance against
maxClockToleranceSeconds; every key of the environment's key sources against
keyMaxAgeDays and keyRolloverDays (a key's age from policy.keyPublished, else
the JWK "iat", else its x5c certificate's notBefore); and each TOKEN: it is
verified with the environment's keys, then its lifetime (exp - iat) is held
against tokenLifetimeSeconds, its remaining time against
refreshWindowSeconds (inside the window the client should have refreshed
already), and it is looked up in the revocation source (deny-list file,
Redis set, RFC 7662 introspection). Only a token whose signature verifies
is looked up: a forged token is never sent to an introspection endpoint.

TOKEN is a token, a file holding one, a pasted "Authorization: Bearer" line,
or - to read tokens from stdin, one per line. The report shows a token's jti
and position, never the token.

Examples:
  $ jwt-doctor policy --env staging
  $ jwt-doctor policy --env staging "$TOKEN" --now 2026-11-28T12:56:00Z
  $ jwt-doctor policy --env prod --format json - < tokens.txt
  $ jwt-doctor policy --env prod "$TOKEN" --no-revocation --format markdown

Exit codes: 0 the policy holds, 1 a violation (including a revoked token or
an unreachable revocation source), 2 usage or contract error.`;

export interface PolicyOptions {
  contract?: string;
  env?: string;
  now?: string;
  timeout?: string;
  format?: string;
  /** commander's --no-revocation: false skips the revocation lookup. */
  revocation?: boolean;
}

/**
 * `jwt-doctor policy --env NAME [TOKEN...]`: the environment's verifier
 * settings, key set and tokens against its lifecycle policy. Returns the
 * exit code: 0 the policy holds, 1 a violation (usage and contract errors throw).
 *
 * @example const code = await policyCommand([token], { contract: 'auth-contract.yaml', env: 'staging', format: 'json' }, out);
 */
export async function policyCommand(tokenArgs: readonly string[], options: PolicyOptions, out: Output = process.stdout): Promise<number> {
  if (options.env === undefined) throw new UsageError('give --env NAME: the environment whose policy to check');
  const timeoutMs = parseTimeout(options.timeout);
  const now = parseNowFlag(options.now);
  const contract = loadContractFlag(options, true)!;
  const env = pickEnvironment(contract, options.env);
  const tokens = readTokens(tokenArgs);
  if (tokens.length > 0) requireSecretVariables(contract, env.name);
  const [{ readPolicySection }, { createRevocationSource }, { buildPolicyReport }, { formatPolicyText, formatPolicyMarkdown }] =
    await Promise.all([
      import('../../contract/sections.ts'),
      import('../../revocation/from_config.ts'),
      import('../../policy/build_policy_report.ts'),
      import('../../policy/format_policy.ts'),
    ]);
  const config = readPolicySection(contract, env).revocationSource;
  const revocation =
    config && options.revocation !== false && tokens.length > 0
      ? createRevocationSource(config, { baseDir: contract.baseDir, timeoutMs })
      : undefined;
  try {
    const report = await buildPolicyReport({ contract, env, tokens, now, timeoutMs, ...(revocation ? { revocation } : {}) });
    const format = options.format ?? 'text';
    out.write(
      format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : format === 'markdown'
          ? formatPolicyMarkdown(report)
          : formatPolicyText(report),
    );
    return report.result === 'pass' ? EXIT.ok : EXIT.fail;
  } finally {
    await revocation?.close?.();
  }
}

/** Each argument by readTokenInput's rules; `-` reads stdin, one token per line. */
function readTokens(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (arg !== '-') {
      out.push(readTokenInput({ arg, argName: 'TOKEN' }).trim());
      continue;
    }
    let text: string;
    try {
      text = readFileSync(0, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read tokens from stdin: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    if (lines.length === 0) throw new UsageError('stdin holds no token: pipe tokens in, one per line');
    out.push(...lines);
  }
  return out;
}

export function register(program: Command, done: Done): void {
  program
    .command('policy')
    .description(
      'check an environment against its lifecycle policy: token lifetime, refresh window, clock tolerance, key age and rollover, revocation',
    )
    .argument('[tokens...]', 'tokens to check (a token, a file holding one, a pasted header line, or - for stdin, one per line)')
    .addOption(contractOption())
    .addOption(envOption('environment whose policy: section applies (required)'))
    .option('--no-revocation', 'do not look tokens up in the revocation source')
    .addOption(timeoutOption('timeout for every key fetch and revocation lookup in ms'))
    .addOption(nowOption(`evaluate at this instant (${INSTANT_FORMS}; default now)`))
    .addOption(formatOption(['text', 'json', 'markdown']))
    .addHelpText('after', HELP)
    .action(async (tokens: string[], flags: PolicyOptions) => done(await policyCommand(tokens, flags)));
}
