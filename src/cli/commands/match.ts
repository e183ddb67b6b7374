import { Option, type Command } from 'commander';
import { matchEnvironments, type MatchReport } from '../../match.ts';
import { sanitizeDiagnosis } from '../../report/sanitize.ts';
import { EXIT, loadContractFlag, readTokenInput, UsageError } from '../common.ts';
import { parseInstant } from '../../report/format_time.ts';

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
    .argument('[token]', 'the token, a pasted header line, or - for stdin')
    .option('--token-file <file>', 'read the token from a file')
    .option('-c, --contract <file>', 'environment contract (default ./auth-contract.yaml)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--sanitize', 'hash identifying claims in JSON output')
    .option('--timeout <ms>', 'timeout for every network fetch in ms', '5000')
    .option('--now <instant>', 'evaluate at this instant: UNIX seconds or ISO 8601')
    .addHelpText('after', HELP)
    .action(async (token: string | undefined, flags: { tokenFile?: string; contract?: string; format: string; sanitize?: boolean; timeout: string; now?: string }) => {
      const raw = readTokenInput(token, flags.tokenFile);
      const contract = loadContractFlag(flags, true)!;
      const now = flags.now === undefined ? undefined : parseInstant(flags.now);
      if (flags.now !== undefined && now === undefined) throw new UsageError(`--now expects UNIX seconds or ISO 8601, got "${flags.now}"`);
      const timeoutMs = Number(flags.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs < 1) throw new UsageError(`--timeout expects milliseconds >= 1, got "${flags.timeout}"`);
      const r = await matchEnvironments(raw, contract, { timeoutMs, ...(now !== undefined ? { now } : {}) });
      if (flags.format === 'json') {
        const out = flags.sanitize ? { ...r, diagnoses: Object.fromEntries(Object.entries(r.diagnoses).map(([k, v]) => [k, sanitizeDiagnosis(v)])) } : r;
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      } else process.stdout.write(formatMatchTable(r));
      process.exitCode = r.validIn.length > 0 ? EXIT.ok : EXIT.fail;
    });
}
