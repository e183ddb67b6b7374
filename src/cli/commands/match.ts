import { Option, type Command } from 'commander';
import { matchEnvironments, type MatchReport } from '../../match.ts';
import { sanitizeDiagnosis } from '../../report/sanitize.ts';
import { EXIT, loadContractFlag, readTokenInput, requireSecretVariables } from '../common.ts';
import { MAX_TIMEOUT_MS, parseOptionalNow, parseTimeout } from '../flags.ts';

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

export function register(program: Command): void {
  program
    .command('match')
    .description('evaluate a token against every environment of the contract')
    .argument('[token]', 'the token, a pasted header line, a file holding it, or - for stdin')
    .option('--token-file <file>', 'read the token from a file (- for stdin)')
    .option('-c, --contract <file>', 'environment contract (default ./auth-contract.yaml)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--sanitize', 'hash identifying claims in JSON output')
    .option('--timeout <ms>', `timeout for every network fetch in ms (1 to ${MAX_TIMEOUT_MS})`, '5000')
    .option('--now <instant>', 'evaluate at this instant: ISO 8601 with Z or an offset, or UNIX seconds')
    .addHelpText('after', HELP)
    .action(async (token: string | undefined, flags: { tokenFile?: string; contract?: string; format: string; sanitize?: boolean; timeout: string; now?: string }) => {
      const now = parseOptionalNow(flags.now);
      const timeoutMs = parseTimeout(flags.timeout);
      const raw = readTokenInput({ arg: token, tokenFile: flags.tokenFile });
      const contract = loadContractFlag(flags, true)!;
      for (const name of Object.keys(contract.environments)) requireSecretVariables(contract, name);
      const r = await matchEnvironments(raw, contract, { timeoutMs, ...(now !== undefined ? { now } : {}) });
      if (flags.format === 'json') {
        const out = flags.sanitize ? { ...r, diagnoses: Object.fromEntries(Object.entries(r.diagnoses).map(([k, v]) => [k, sanitizeDiagnosis(v)])) } : r;
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      } else process.stdout.write(formatMatchTable(r));
      process.exitCode = r.validIn.length > 0 ? EXIT.ok : EXIT.fail;
    });
}
