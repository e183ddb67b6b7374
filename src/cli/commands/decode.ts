import type { Command } from 'commander';
import { normalizeTokenInput } from '../../token/normalize.ts';
import { peekToken, DEFAULT_MAX_TOKEN_BYTES } from '../../token/decode.ts';
import { describeInstant } from '../../report/format_time.ts';
import { formatValue } from '../../report/text.ts';
import { sanitizeClaims } from '../../report/sanitize.ts';
import { REASONS, type Finding } from '../../reasons.ts';
import { EXIT } from '../../errors.ts';
import { readTokenInput } from '../read_token_input.ts';
import {
  formatOption,
  INSTANT_FORMS,
  maxTokenBytesOption,
  nowOption,
  parseNowFlag,
  parsePositiveInt,
  sanitizeOption,
  tokenArgument,
  tokenFileOption,
} from '../flags.ts';
import type { Done, Output } from '../command.ts';

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

export interface DecodeOptions {
  tokenFile?: string;
  format?: string;
  sanitize?: boolean;
  /** The size cap in bytes, as typed (default DEFAULT_MAX_TOKEN_BYTES). */
  maxTokenBytes?: string;
  /** The instant times are shown against, as typed (default the wall clock). */
  now?: string;
}

/** What decode shows: the untrusted header and claims, and the findings of the strict decode. */
interface Decoded {
  header: Record<string, unknown> | undefined;
  claims: Record<string, unknown> | undefined;
  stripped: readonly string[];
  length: number;
  findings: Finding[];
}

/**
 * `jwt-doctor decode`: the token's header, claims and times, UNVERIFIED.
 * Returns the exit code: 0 decodes, 1 malformed (usage errors throw).
 *
 * @example const code = decodeCommand(token, { format: 'json', now: '2026-11-28T12:05:00Z' }, out);
 */
export function decodeCommand(token: string | undefined, options: DecodeOptions, out: Output = process.stdout): number {
  const maxBytes = parsePositiveInt('--max-token-bytes', options.maxTokenBytes ?? String(DEFAULT_MAX_TOKEN_BYTES), 16);
  const now = parseNowFlag(options.now);
  const input = normalizeTokenInput(readTokenInput({ arg: token, tokenFile: options.tokenFile }));
  const peek = input.token ? peekToken(input.token, { maxBytes }) : { findings: [] };
  const d: Decoded = {
    header: peek.header,
    claims: peek.payload && options.sanitize ? sanitizeClaims(peek.payload) : peek.payload,
    stripped: input.stripped,
    length: input.token.length,
    findings: [...input.findings, ...peek.findings],
  };
  out.write(options.format === 'json' ? formatDecodedJson(d, now) : formatDecodedText(d, now));
  return d.findings.some((f) => f.severity === 'error') ? EXIT.fail : EXIT.ok;
}

function formatDecodedJson(d: Decoded, now: number): string {
  const times: Record<string, unknown> = {};
  for (const t of ['exp', 'nbf', 'iat'])
    if (typeof d.claims?.[t] === 'number') times[t] = { value: d.claims[t], description: describeInstant(t, d.claims[t] as number, now) };
  const report = {
    schema: 'jwt-doctor/decode/v1',
    verified: false,
    header: d.header ?? null,
    claims: d.claims ?? null,
    times,
    input: { length: d.length, stripped: d.stripped },
    findings: d.findings,
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function formatDecodedText(d: Decoded, now: number): string {
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
  show('header', d.header, FIRST_HEADER);
  show('claim', d.claims, FIRST_CLAIMS);
  if (d.stripped.length) lines.push(`input_normalized = ${d.stripped.join(', ')}`);
  for (const f of d.findings) {
    const detail = f.detail ?? {};
    lines.push(
      `${f.severity} = ${f.code}${f.claim ? ` (${f.claim})` : ''}: ${REASONS[f.code].title}${detail.problem ? `: ${String(detail.problem)}` : ''}${detail.member ? ` "${String(detail.member)}"` : ''}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command, done: Done): void {
  program
    .command('decode')
    .description('decode a token without trusting it: header, claims, times (UNVERIFIED)')
    .addArgument(tokenArgument())
    .addOption(tokenFileOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(sanitizeOption('replace identifying claims (sub, email, name, ...) with short hashes'))
    .addOption(maxTokenBytesOption('size cap checked before decoding', String(DEFAULT_MAX_TOKEN_BYTES)))
    .addOption(nowOption(`show times relative to this instant (${INSTANT_FORMS})`))
    .addHelpText('after', HELP)
    .action((token: string | undefined, flags: DecodeOptions) => done(decodeCommand(token, flags)));
}
