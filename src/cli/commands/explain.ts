import { readSync } from 'node:fs';
import type { Command } from 'commander';
import { explainMessage, EXPLAIN_SCHEMA, type Explanation } from '../../explain/explain_message.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { formatOption } from '../flags.ts';
import type { Done, Output } from '../command.ts';

const HELP = `
TEXT is what the other verifier said: a log line, a response body, a
WWW-Authenticate header (its error_description is translated), or an error
code (ERR_JWT_EXPIRED, FAST_JWT_EXPIRED, IDX10214, ...). Quote it, or pass
- and pipe it in. Only the first 64 KiB are read. The text itself is never
printed: a token pasted by mistake is not echoed, and values the message
carries are shown with any token redacted.

An unknown message is reported as such (exit 1), never guessed. The table
of every message jwt-doctor knows is docs/explain.md.

Examples:
  $ jwt-doctor explain "JsonWebTokenError: jwt audience invalid. expected: web-prod"
  $ jwt-doctor explain 'jwt_authn_access_denied{Jwks_doesn'"'"'t_have_key_to_match_kid_or_alg_from_Jwt}'
  $ kubectl logs deploy/api | grep IDX10 | tail -1 | jwt-doctor explain - --format json
  $ curl -si https://api.example.com/v1/me | grep -i www-authenticate | jwt-doctor explain -

Exit codes: 0 recognised, 1 not a message jwt-doctor knows, 2 usage error.`;

/** Only this much of stdin is read: a verifier's message is a line, not a file. */
export const MAX_EXPLAIN_INPUT_BYTES = 64 * 1024;

export interface ExplainOptions {
  format?: string;
}

/** The JSON answer: every field present (null when the message does not carry it). */
export interface ExplainReport {
  schema: typeof EXPLAIN_SCHEMA;
  recognised: boolean;
  code: string | null;
  verifier: string | null;
  claim: string | null;
  expected: string | null;
  actual: string | null;
  kid: string | null;
  owner: string | null;
  fix: string | null;
  next: string | null;
  source: string | null;
  title?: string;
  rule?: string;
  detail?: Record<string, string>;
  via?: string;
  note?: string;
}

const LOOKS_LIKE_TOKEN = /^\s*(?:(?:authorization:\s*)?bearer\s+)?eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){1,3}\s*$/i;

/**
 * `jwt-doctor explain TEXT`: another verifier's message as our reason
 * code, the verifier, the values it carries, owner, fix and next command.
 * Returns the exit code: 0 recognised, 1 unknown (usage errors throw).
 *
 * @example const code = explainCommand(['Jwt is expired'], { format: 'json' }, out);
 */
export function explainCommand(words: readonly string[], options: ExplainOptions, out: Output = process.stdout): number {
  const text = readExplainInput(words);
  const e = explainMessage(text);
  const report = e ? recognisedReport(e) : unknownReport(text);
  out.write(options.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatExplainText(report));
  return e ? EXIT.ok : EXIT.fail;
}

function readExplainInput(words: readonly string[]): string {
  if (words.length === 0) throw new UsageError('give the message to explain as TEXT, or "-" to read it from stdin');
  const text = words.length === 1 && words[0] === '-' ? readStdinCapped(MAX_EXPLAIN_INPUT_BYTES) : words.join(' ');
  if (text.trim() === '')
    throw new UsageError('the message to explain is empty: pass the log line, body or header (an unset shell variable?)');
  return text;
}

/** Reads stdin up to `max` bytes and ignores the rest (no unbounded buffering of a pasted file). */
function readStdinCapped(max: number): string {
  const buf = Buffer.alloc(max);
  let n = 0;
  try {
    for (let r = 1; r > 0 && n < max; n += r) r = readSync(0, buf, n, max - n, null);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EOF') throw new UsageError(`cannot read the message from stdin: ${code ?? (e as Error).message}`);
  }
  return buf.subarray(0, n).toString('utf8');
}

function recognisedReport(e: Explanation): ExplainReport {
  return {
    schema: EXPLAIN_SCHEMA,
    recognised: true,
    code: e.code,
    verifier: e.verifier,
    claim: e.claim ?? null,
    expected: e.expected ?? null,
    actual: e.actual ?? null,
    kid: e.kid ?? null,
    owner: e.owner,
    fix: e.fix,
    next: e.next,
    source: e.source,
    title: e.title,
    ...(e.rule !== undefined ? { rule: e.rule } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.via !== undefined ? { via: e.via } : {}),
  };
}

function unknownReport(text: string): ExplainReport {
  const note = LOOKS_LIKE_TOKEN.test(text)
    ? 'this is a token, not a verifier message (not echoed): run jwt-doctor decode or jwt-doctor diagnose TOKEN --env ENV on it'
    : 'not a verifier message jwt-doctor knows (docs/explain.md lists them); nothing is guessed: run jwt-doctor diagnose TOKEN --env ENV with the rejected token';
  const none = {
    code: null,
    verifier: null,
    claim: null,
    expected: null,
    actual: null,
    kid: null,
    owner: null,
    fix: null,
    next: null,
    source: null,
  };
  return { schema: EXPLAIN_SCHEMA, recognised: false, ...none, note };
}

const TEXT_FIELDS = [
  'code',
  'title',
  'verifier',
  'claim',
  'expected',
  'actual',
  'kid',
  'owner',
  'fix',
  'next',
  'source',
  'via',
  'rule',
] as const;

/** `key = value` lines (the house text format), absent values left out. */
export function formatExplainText(r: ExplainReport): string {
  if (!r.recognised) return `code = unknown\nrecognised = false\nnote = ${r.note ?? ''}\n`;
  const lines: string[] = [];
  for (const k of TEXT_FIELDS) {
    const v = r[k];
    if (v !== null && v !== undefined) lines.push(`${k} = ${v}`);
  }
  for (const [k, v] of Object.entries(r.detail ?? {})) lines.push(`detail.${k} = ${v}`);
  return lines.join('\n') + '\n';
}

export function register(program: Command, done: Done): void {
  program
    .command('explain')
    .description(
      "translate another verifier's error (Envoy, jose, .NET IDX, Spring, go-oidc, ...) into a reason code, owner, fix and next command",
    )
    .argument('[text...]', 'the message: a log line, a response body, a WWW-Authenticate header, or - for stdin')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action((words: string[], flags: ExplainOptions) => done(explainCommand(words, flags)));
}
