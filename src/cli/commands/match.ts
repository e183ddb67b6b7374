import type { Command } from 'commander';
import { matchEnvironments, type MatchReport } from '../../match.ts';
import { sanitizeDiagnosis } from '../../report/sanitize.ts';
import { EXIT, loadContractFlag, readTokenInput, requireSecretVariables } from '../common.ts';
import type { Done, Output } from '../command.ts';
import {
  contractOption,
  formatOption,
  INSTANT_FORMS,
  nowOption,
  parseOptionalNow,
  parseTimeout,
  sanitizeOption,
  timeoutOption,
  TIMEOUT_RANGE,
  tokenArgument,
  tokenFileOption,
} from '../flags.ts';

const HELP = `
Examples:
  $ jwt-doctor match "$TOKEN"
  $ jwt-doctor match "$TOKEN" --contract examples/auth-contract.yaml --format json

Exit codes: 0 valid in at least one environment, 1 valid in none, 2 usage or contract error.`;

export function formatMatchTable(r: MatchReport): string {
  const header = ['env', 'result', 'signature', 'failing'];
  const body = r.rows.map((row) => [row.env, row.result, row.signature, row.failing.length ? row.failing.join(', ') : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header), ...body.map(line), ''];
  out.push(`most_likely_minted_by = ${r.mintedBy ?? '(no environment: no key verifies and no claim matches)'}`);
  out.push(`valid_in = ${r.validIn.length ? r.validIn.join(', ') : '(none)'}`);
  return out.join('\n') + '\n';
}

export interface MatchOptions {
  tokenFile?: string;
  contract?: string;
  format?: string;
  sanitize?: boolean;
  timeout?: string;
  now?: string;
}

/**
 * `jwt-doctor match`: the token against every environment of the contract.
 * Returns the exit code: 0 valid in at least one environment, 1 in none.
 *
 * @example const code = await matchCommand(token, { contract: 'auth-contract.yaml', format: 'json' }, out);
 */
export async function matchCommand(token: string | undefined, options: MatchOptions, out: Output = process.stdout): Promise<number> {
  const now = parseOptionalNow(options.now);
  const timeoutMs = parseTimeout(options.timeout);
  const raw = readTokenInput({ arg: token, tokenFile: options.tokenFile });
  const contract = loadContractFlag(options, true)!;
  for (const name of Object.keys(contract.environments)) requireSecretVariables(contract, name);
  const r = await matchEnvironments(raw, contract, { timeoutMs, ...(now !== undefined ? { now } : {}) });
  if (options.format === 'json') {
    const report = options.sanitize
      ? { ...r, diagnoses: Object.fromEntries(Object.entries(r.diagnoses).map(([k, v]) => [k, sanitizeDiagnosis(v)])) }
      : r;
    out.write(JSON.stringify(report, null, 2) + '\n');
  } else out.write(formatMatchTable(r));
  return r.validIn.length > 0 ? EXIT.ok : EXIT.fail;
}

export function register(program: Command, done: Done): void {
  program
    .command('match')
    .description('evaluate a token against every environment of the contract')
    .addArgument(tokenArgument())
    .addOption(tokenFileOption())
    .addOption(contractOption('environment contract (default ./auth-contract.yaml)'))
    .addOption(formatOption(['text', 'json']))
    .addOption(sanitizeOption('hash identifying claims in JSON output'))
    .addOption(timeoutOption(`timeout for every network fetch in ms (${TIMEOUT_RANGE})`))
    .addOption(nowOption(`evaluate at this instant: ${INSTANT_FORMS}`))
    .addHelpText('after', HELP)
    .action(async (token: string | undefined, flags: MatchOptions) => done(await matchCommand(token, flags)));
}
