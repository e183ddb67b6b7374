/**
 * The token input rules, one function for every command that takes a
 * token (decode, diagnose, match, probe, clock):
 *
 *   TOKEN            the token itself, or a pasted "Authorization: Bearer ..." line
 *   FILE             an existing file holding the token
 *   -                read the token from stdin
 *   --token-file F   read the token from file F (F = - reads stdin)
 *
 * A mistake in where the token comes from is the operator's, not the
 * token's: a file that does not exist, an empty stdin or file, and a token
 * given twice are usage errors (exit 2), never a malformed_token finding.
 * Normalization of what was pasted (Bearer prefix, quotes, wrapped lines)
 * happens later, in token/normalize.ts, and is reported as findings.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../errors.ts';

export interface TokenInput {
  /** The positional argument (or --token of probe / clock). */
  arg?: string | undefined;
  /** --token-file. */
  tokenFile?: string | undefined;
  /** How the argument is spelled in messages: 'the token argument' or '--token'. */
  argName?: string;
}

/**
 * A compact JWS or JWE, leniently (standard base64 characters too, so a
 * token copied with "+" or "/" is still diagnosed as a token, not a path).
 */
const JWS_SHAPE = /^[A-Za-z0-9_\-=+/]+(\.[A-Za-z0-9_\-=+/]*){2,4}$/;
/** A bare compact JWS (base64url only): never a path. */
const BARE_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** A path, not a token: a folder separator or a token-file extension. */
const PATH_SHAPE = /[/\\]|\.(jwt|jws|txt|token)$/i;

/**
 * Reads the token text by the rules above; the text is returned as given
 * (normalizeTokenInput strips prefixes and quotes and reports them).
 *
 * @example readTokenInput({ arg: 'examples/tokens/local-login.jwt' }) // the file's text
 */
export function readTokenInput(input: TokenInput): string {
  const { arg, tokenFile } = input;
  const argName = input.argName ?? 'the token argument';
  if (arg !== undefined && tokenFile !== undefined) {
    throw new UsageError(`the token is given twice (${argName} and --token-file ${tokenFile}): pass only one`);
  }
  if (tokenFile !== undefined) return tokenFile === '-' ? readStdin() : readTokenFile(tokenFile, '--token-file');
  if (arg === undefined) throw new UsageError(`give the token as ${argName}, "-" to read stdin, or --token-file FILE`);
  if (arg === '-') return readStdin();
  if (arg.trim() === '')
    throw new UsageError(`${argName} is empty (an unset shell variable?): pass the token, "-" for stdin, or --token-file FILE`);
  const text = arg.trim();
  if (BARE_JWS.test(text)) return arg;
  // `diagnose examples/tokens/local-login.jwt`: a path to a file holding the token.
  const kind = pathKind(arg);
  if (kind === 'file') return readTokenFile(arg, 'token file');
  // A pasted header line or a wrapped token: normalizeTokenInput's work.
  if (/\s/.test(text) || JWS_SHAPE.test(text) || !PATH_SHAPE.test(text)) return arg;
  if (kind === 'other') throw new UsageError(`${argName} "${arg}" is a directory, not a token file: name the file that holds the token`);
  throw new UsageError(`${argName} "${arg}" looks like a file path, and no such file exists: check the path, or pass the token itself`);
}

function readStdin(): string {
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the token from stdin: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (text.trim() === '')
    throw new UsageError('stdin is empty: pipe the token in (echo "$TOKEN" | jwt-doctor ... -), or pass it as an argument');
  return text;
}

function readTokenFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? (e as Error).message);
    throw new UsageError(`cannot read ${what} ${path}: ${why}`);
  }
  if (text.trim() === '') throw new UsageError(`${what} ${path} is empty: it should hold the token`);
  return text;
}

function pathKind(path: string): 'file' | 'other' | 'none' {
  if (path.length > 4096) return 'none';
  try {
    return statSync(path).isFile() ? 'file' : 'other';
  } catch {
    return 'none';
  }
}
