/**
 * The CLI's one error handler (changesets' "failure is an exception mapped
 * to an exit code in one place"): every error that stops a command becomes
 * one line on stderr (or one JSON object with --format json) and the exit
 * code its class carries (src/errors.ts). Nothing goes to stdout, and a
 * stack trace only with --debug.
 */
import { CommanderError } from 'commander';
import { ContractError, EXIT, JwtDoctorError, NetworkError, type ErrorCode } from '../errors.ts';

/** The `schema` of an error printed as JSON. */
export const ERROR_SCHEMA = 'jwt-doctor/error/v1';

/** How errors are printed: decided from the command line before parsing (parse errors included). */
export interface ErrorOutput {
  /** `--format json` (or `-f json`): one JSON object on stderr. */
  json: boolean;
  /** `--debug`: add the stack trace. */
  debug: boolean;
}

/** An error as `--format json` prints it. */
export interface ErrorReport {
  schema: typeof ERROR_SCHEMA;
  code: ErrorCode;
  message: string;
  exitCode: number;
  /** Machine-readable context: a contract error's file and field path, a network error's URL. */
  detail?: Record<string, string>;
  /** With --debug only. */
  stack?: string;
}

/** Words before the message in the text form, so the operator sees which kind of input to fix. */
const TEXT_PREFIX: Partial<Record<ErrorCode, string>> = {
  ERR_CONTRACT_INVALID: 'contract error: ',
  ERR_KEY_IMPORT: 'key import error: ',
  ERR_NETWORK: 'network error: ',
  ERR_UNEXPECTED: 'unexpected error: ',
};

/**
 * Prints the error that stopped a command and returns the exit code:
 * its class's `exitCode`, 70 (EX_SOFTWARE) for an error jwt-doctor did not
 * foresee (a defect), 0 for commander's --help and --version.
 *
 * @example process.exitCode = handleError(e, { json: false, debug: false });
 */
export function handleError(e: unknown, output: ErrorOutput = { json: false, debug: false }): number {
  if (e instanceof CommanderError) {
    // Commander already printed what was wrong (commanderErrorWriter).
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  const report = errorReport(e, output.debug);
  process.stderr.write(output.json ? JSON.stringify(report) + '\n' : formatErrorText(report));
  return report.exitCode;
}

/** The printable form of any thrown value. */
export function errorReport(e: unknown, debug = false): ErrorReport {
  const known = e instanceof JwtDoctorError ? e : undefined;
  const code: ErrorCode = known?.code ?? 'ERR_UNEXPECTED';
  const report: ErrorReport = {
    schema: ERROR_SCHEMA,
    code,
    message: oneLine(e instanceof Error ? e.message : String(e)),
    exitCode: known?.exitCode ?? EXIT.software,
  };
  const detail = errorDetail(e);
  if (detail) report.detail = detail;
  if (debug && e instanceof Error && e.stack) report.stack = e.stack;
  return report;
}

function errorDetail(e: unknown): Record<string, string> | undefined {
  if (e instanceof ContractError) return { file: e.file, path: e.path, expected: e.expected, found: e.found };
  if (e instanceof NetworkError && e.url !== undefined) return { url: e.url, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
  return undefined;
}

function formatErrorText(r: ErrorReport): string {
  const hint =
    r.code === 'ERR_UNEXPECTED' && r.stack === undefined ? ' (a defect in jwt-doctor: rerun with --debug for the stack trace)' : '';
  const line = `jwt-doctor: ${TEXT_PREFIX[r.code] ?? ''}${r.message}${hint}\n`;
  return r.stack === undefined ? line : `${line}${r.stack}\n`;
}

/** Messages are printed on one line: a multi-line message (a parser's) is joined. */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * Commander's own usage errors (an unknown option, a missing argument, a
 * bad choice): one line with the --help pointer, or one JSON object.
 */
export function commanderErrorWriter(output: ErrorOutput): (text: string, write: (s: string) => void) => void {
  return (text, write) => {
    if (!output.json) return write(`${text.trimEnd()} (run with --help for usage)\n`);
    const message = oneLine(`${text.trim().replace(/^error: /, '')} (run with --help for usage)`);
    const report: ErrorReport = { schema: ERROR_SCHEMA, code: 'ERR_USAGE', message, exitCode: EXIT.usage };
    write(JSON.stringify(report) + '\n');
  };
}

/**
 * Reads `--format json` / `-f json` / `--format=json` and `--debug` from the
 * command line before commander parses it, so that parse errors and errors
 * of loading a command are printed the same way. `--debug` is taken out
 * (it is global and may stand anywhere); the rest is left to commander.
 */
export function readErrorOutput(argv: readonly string[]): { args: string[]; output: ErrorOutput } {
  const args: string[] = [];
  let format: string | undefined;
  let debug = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a === '--debug') {
      debug = true;
      continue;
    }
    if ((a === '--format' || a === '-f') && i + 1 < argv.length) format = argv[i + 1];
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (/^-f[^-]/.test(a)) format = a.slice(2);
    args.push(a);
  }
  return { args, output: { json: format === 'json', debug } };
}
