import { Option, type Command } from 'commander';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { peekToken, DEFAULT_MAX_TOKEN_BYTES } from '../../token/decode.ts';
import { describeInstant } from '../../report/format_time.ts';
import { formatValue } from '../../report/text.ts';
import { sanitizeClaims } from '../../report/sanitize.ts';
import { REASONS } from '../../reasons.ts';
import { EXIT } from '../usage_error.ts';
import { readTokenInput } from '../read_token_input.ts';
import { parseNowFlag, parsePositiveInt } from '../flags.ts';

const HELP = `
The output is UNVERIFIED: decoding checks the token's shape, never its
signature or claims. Use "diagnose" to verify.

Examples:
  $ jwt-doctor decode "$TOKEN"
  $ jwt-doctor decode "Authorization: Bearer $TOKEN" --format json
  $ jwt-doctor decode - --sanitize < token.txt

Exit codes: 0 decodes, 1 malformed, 2 usage error.`;

const FIRST_HEADER = ['alg', 'kid', 'typ'];
const FIRST_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];

export function register(program: Command): void {
  program
    .command('decode')
    .description('decode a token without trusting it: header, claims, times (UNVERIFIED)')
    .argument('[token]', 'the token, a pasted header line, a file holding it, or - for stdin')
    .option('--token-file <file>', 'read the token from a file (- for stdin)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--sanitize', 'replace identifying claims (sub, email, name, ...) with short hashes')
    .option('--max-token-bytes <n>', 'size cap checked before decoding', String(DEFAULT_MAX_TOKEN_BYTES))
    .option('--now <instant>', 'show times relative to this instant (ISO 8601 with Z or an offset, or UNIX seconds)')
    .addHelpText('after', HELP)
    .action((token: string | undefined, flags: { tokenFile?: string; format: string; sanitize?: boolean; maxTokenBytes: string; now?: string }) => {
      const maxBytes = parsePositiveInt('--max-token-bytes', flags.maxTokenBytes, 16);
      const now = parseNowFlag(flags.now);
      const raw = readTokenInput({ arg: token, tokenFile: flags.tokenFile });
      const input = normalizeTokenInput(raw);
      const peek = input.token ? peekToken(input.token, { maxBytes }) : { findings: [] };
      const findings = [...input.findings, ...peek.findings];
      const claims = peek.payload && flags.sanitize ? sanitizeClaims(peek.payload) : peek.payload;
      const failed = findings.some((f) => f.severity === 'error');
      if (flags.format === 'json') {
        const times: Record<string, unknown> = {};
        for (const t of ['exp', 'nbf', 'iat']) if (typeof claims?.[t] === 'number') times[t] = { value: claims[t], description: describeInstant(t, claims[t] as number, now) };
        process.stdout.write(JSON.stringify({ schema: 'jwt-doctor/decode/v1', verified: false, header: peek.header ?? null, claims: claims ?? null, times, input: { length: input.token.length, stripped: input.stripped }, findings }, null, 2) + '\n');
      } else {
        const lines = ['# UNVERIFIED: decoded without checking the signature or claims'];
        const show = (prefix: string, obj: Record<string, unknown> | undefined, first: string[]) => {
          if (!obj) return;
          const keys = [...first.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !first.includes(k))];
          for (const k of keys) {
            const v = obj[k];
            const label = first.includes(k) ? k : `${prefix}.${k}`;
            lines.push(`${label} = ${typeof v === 'number' && ['exp', 'nbf', 'iat'].includes(k) ? describeInstant(k, v, now) : formatValue(v)}`);
          }
        };
        show('header', peek.header, FIRST_HEADER);
        show('claim', claims, FIRST_CLAIMS);
        if (input.stripped.length) lines.push(`input_normalized = ${input.stripped.join(', ')}`);
        for (const f of findings) {
          const d = f.detail ?? {};
          lines.push(`${f.severity} = ${f.code}${f.claim ? ` (${f.claim})` : ''}: ${REASONS[f.code].title}${d.problem ? `: ${String(d.problem)}` : ''}${d.member ? ` "${String(d.member)}"` : ''}`);
        }
        process.stdout.write(lines.join('\n') + '\n');
      }
      process.exitCode = failed ? EXIT.fail : EXIT.ok;
    });
}
