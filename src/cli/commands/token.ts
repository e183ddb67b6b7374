import type { Command } from 'commander';
import { EXIT, UsageError } from '../../errors.ts';
import { REASONS } from '../../reasons.ts';
import { loadContractFlag } from '../common.ts';
import type { Done, Output } from '../command.ts';
import { contractOption, envOption, formatOption, nowOption, parseNowFlag, parseTimeout, timeoutOption, TIMEOUT_RANGE } from '../flags.ts';
import type { ObtainResult } from '../../obtain/obtain_token.ts';

const HELP = `
Obtains a fresh token from the environment's token source (contract
section obtain:, or clients.<name>.obtain: with --client):
  clientCredentials  OAuth 2.0 client_credentials at the issuer's token endpoint (discovery)
  refreshToken       OAuth 2.0 refresh_token grant
  command            a command that prints the token (argv list, or sh -c string)
  static             a token from a variable or a file
  mint               jwt-doctor mint with the environment's signer
Secrets (client secret, refresh token) come from variables or files only.
Prints the token alone on stdout, so it pipes into diagnose. A failure
prints one line with its reason code on stderr (never a token or a secret):
token_endpoint_unreachable, token_request_rejected (with the OAuth error),
token_opaque (with the introspection endpoint), token_command_failed.
--format json prints the token with its source, latency and expires_in;
a rotated refresh token is never printed (refreshTokenIssued says it came).

Examples:
  $ jwt-doctor token --env staging
  $ jwt-doctor token --env staging --client mobile | jwt-doctor diagnose - --env staging
  $ jwt-doctor token --env staging --format json --timeout 3000

Exit codes: 0 a token, 1 the source gave none (reason code on stderr),
2 usage or contract error (no token source, a secret variable unset).`;

export const TOKEN_SCHEMA = 'jwt-doctor/token/v1';

export interface TokenCommandOptions {
  contract?: string;
  env?: string;
  client?: string;
  timeout?: string;
  now?: string;
  iKnow?: boolean;
  format?: string;
}

/**
 * `jwt-doctor token --env NAME`: obtains a token (src/obtain/obtain_token.ts)
 * and prints it. Returns the exit code: 0 a token, 1 none.
 *
 * @example const code = await tokenCommand({ contract: 'auth-contract.yaml', env: 'staging' }, out, err);
 */
export async function tokenCommand(
  options: TokenCommandOptions,
  out: Output = process.stdout,
  err: Output = process.stderr,
): Promise<number> {
  if (options.env === undefined) throw new UsageError('token needs --env NAME: the environment whose token source to use');
  const contract = loadContractFlag(options, true)!;
  const { obtainToken } = await import('../../obtain/obtain_token.ts');
  const r = await obtainToken(contract, options.env, {
    now: parseNowFlag(options.now),
    ...(options.timeout !== undefined ? { timeoutMs: parseTimeout(options.timeout) } : {}),
    ...(options.client !== undefined ? { client: options.client } : {}),
    allowProduction: options.iKnow === true,
  });
  if (options.format === 'json') out.write(JSON.stringify(tokenReport(options, r), null, 2) + '\n');
  else if (r.ok) out.write(`${r.token}\n`);
  else err.write(failureLine(r));
  return r.ok ? EXIT.ok : EXIT.fail;
}

/** The JSON report: the token and how it came; a refresh token only as a flag. */
export function tokenReport(options: TokenCommandOptions, r: ObtainResult): Record<string, unknown> {
  const head = {
    schema: TOKEN_SCHEMA,
    ok: r.ok,
    env: options.env,
    ...(options.client !== undefined ? { client: options.client } : {}),
    source: r.source,
    latencyMs: r.latencyMs,
    ...(r.endpoint !== undefined ? { endpoint: r.endpoint } : {}),
  };
  if (!r.ok) return { ...head, finding: r.finding };
  const { ok: _ok, refreshToken, token, source: _s, latencyMs: _l, endpoint: _e, obtainedAt, ...rest } = r;
  return { ...head, obtainedAt: new Date(obtainedAt * 1000).toISOString(), ...rest, refreshTokenIssued: refreshToken !== undefined, token };
}

function failureLine(r: Extract<ObtainResult, { ok: false }>): string {
  const f = r.finding;
  const what = [f.detail?.oauthError, f.detail?.error, f.detail?.status !== undefined ? `HTTP ${String(f.detail.status)}` : undefined]
    .filter((v) => typeof v === 'string' && v !== '')
    .join(', ');
  return `jwt-doctor: ${f.code}: ${REASONS[f.code].title}${what ? ` (${what})` : ''}${r.endpoint ? ` at ${r.endpoint}` : ''}: ${f.hint}\n`;
}

export function register(program: Command, done: Done): void {
  program
    .command('token')
    .description("obtain a fresh token from the environment's token source")
    .addOption(contractOption())
    .addOption(envOption('environment whose token source to use'))
    .option('--client <name>', "client of the environment (clients.<name>.obtain, else the environment's obtain)")
    .addOption(
      timeoutOption(`deadline of each request or of the command (ms, ${TIMEOUT_RANGE}; when not given: the source's timeoutMs, else 5000)`),
    )
    .addOption(nowOption('the instant for obtainedAt and the mint source (default now)'))
    .option('--i-know', 'mint source: allow an environment marked production: true')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    // The default --timeout yields to the source's own timeoutMs: only a typed one overrides it.
    .action(async (flags: TokenCommandOptions, cmd: Command) =>
      done(await tokenCommand(cmd.getOptionValueSource('timeout') === 'default' ? withoutTimeout(flags) : flags)),
    );
}

function withoutTimeout(flags: TokenCommandOptions): TokenCommandOptions {
  const { timeout: _default, ...rest } = flags;
  return rest;
}
