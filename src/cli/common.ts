import { existsSync, readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ContractError, DEFAULT_CONTRACT_FILE, loadContract, type Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';
import type { KeySpec } from '../keys/sources.ts';
import { ALGORITHM_NAMES } from '../keys/algorithms.ts';
import { parseInstant } from '../report/format_time.ts';
import type { SecretEncoding } from '../keys/import.ts';

/** A usage error: exit code 2 with a message saying what to fix. */
export class UsageError extends Error {
  readonly code = 'usage';
}

export const EXIT = { ok: 0, fail: 1, usage: 2 } as const;

const collect = (v: string, prev: string[] = []) => [...prev, v];
const collectAlg = (v: string, prev: string[] = []) => {
  if (!ALGORITHM_NAMES.includes(v)) throw new InvalidArgumentError(`unknown algorithm "${v}" (none is never allowed); use one of ${ALGORITHM_NAMES.join(', ')}`);
  return [...prev, v];
};

/** Reads the token: argument, `-` for stdin, or --token-file. */
export function readTokenInput(arg: string | undefined, tokenFile: string | undefined): string {
  if (tokenFile !== undefined) {
    try {
      return readFileSync(tokenFile, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --token-file ${tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (arg === undefined) throw new UsageError('give the token as an argument, "-" to read stdin, or --token-file FILE');
  if (arg === '-') {
    try {
      return readFileSync(0, 'utf8');
    } catch {
      throw new UsageError('could not read the token from stdin');
    }
  }
  // `diagnose examples/tokens/local-login.jwt`: a path to a file holding the
  // token (a compact JWS never contains "/" and rarely names an existing file).
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(arg) && arg.length < 4096 && isFile(arg)) {
    try {
      return readFileSync(arg, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read token file ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return arg;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Options shared by every command that checks a token against expectations. */
export function addExpectationOptions(cmd: Command): Command {
  return cmd
    .option('-c, --contract <file>', `environment contract (YAML or JSON; default ./${DEFAULT_CONTRACT_FILE} when present)`)
    .option('-e, --env <name>', 'environment of the contract to check against')
    .option('--iss <issuer>', 'accepted issuer (repeatable)', collect)
    .option('--aud <audience>', 'accepted audience (repeatable; any of)', collect)
    .option('--alg <alg>', `allowed algorithm (repeatable; ${ALGORITHM_NAMES.join(', ')})`, collectAlg)
    .option('--typ <typ>', 'expected typ header (e.g. at+jwt)')
    .option('--require <claim>', 'required claim (repeatable)', collect)
    .option('--clock-tolerance <seconds>', 'clock tolerance in seconds')
    .option('--max-age <seconds>', 'maximum token age (now - iat) in seconds')
    .option('--key <file>', 'verification key: JWK, JWKS, PEM (SPKI, PKCS#1) or certificate (repeatable)', collect)
    .option('--jwks-url <url>', 'JWKS URL to fetch keys from')
    .option('--secret <value>', 'HMAC secret: VALUE, @FILE or env:NAME')
    .addOption(new Option('--secret-encoding <enc>', 'how to read --secret').choices(['utf8', 'base64', 'base64url', 'hex']).default('utf8'))
    .option('--timeout <ms>', 'timeout for every network fetch in ms', '5000')
    .option('--max-token-bytes <n>', 'token size cap in bytes (default 16384)')
    .option('--now <instant>', 'evaluate at this instant: UNIX seconds or ISO 8601');
}

export interface ExpectationFlags {
  contract?: string;
  env?: string;
  iss?: string[];
  aud?: string[];
  alg?: string[];
  typ?: string;
  require?: string[];
  clockTolerance?: string;
  maxAge?: string;
  key?: string[];
  jwksUrl?: string;
  secret?: string;
  secretEncoding?: string;
  timeout?: string;
  maxTokenBytes?: string;
  now?: string;
}

function number(flag: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} expects a number >= ${min}, got "${v}"`);
  return n;
}

/** Loads the contract named by --contract, or ./auth-contract.yaml when present. */
export function loadContractFlag(flags: { contract?: string }, required = false): Contract | undefined {
  const file = flags.contract ?? (existsSync(DEFAULT_CONTRACT_FILE) ? DEFAULT_CONTRACT_FILE : undefined);
  if (!file) {
    if (required) throw new UsageError(`no contract: pass --contract FILE or create ./${DEFAULT_CONTRACT_FILE}`);
    return undefined;
  }
  return loadContract(file);
}

export function pickEnvironment(contract: Contract, name: string | undefined): Expectations {
  const names = Object.keys(contract.environments);
  if (name === undefined) {
    if (names.length === 1) return contract.environments[names[0]!]!;
    throw new UsageError(`pick an environment with --env (one of: ${names.join(', ')})`);
  }
  const env = contract.environments[name];
  if (!env) throw new UsageError(`unknown environment "${name}" (the contract has: ${names.join(', ')})`);
  return env;
}

export interface ResolvedExpectations {
  expectations: Expectations;
  contract?: Contract;
  now?: number;
  timeoutMs: number;
}

/** Contract environment, overridden by inline flags (step CLI style). */
export function resolveExpectations(flags: ExpectationFlags): ResolvedExpectations {
  const contract = loadContractFlag(flags);
  const inlineKeys = (flags.key?.length ?? 0) > 0 || flags.jwksUrl !== undefined || flags.secret !== undefined;
  const inlineAny = inlineKeys || flags.iss || flags.aud || flags.alg || flags.typ || flags.require;
  let base: Expectations = {};
  if (contract && (flags.env !== undefined || !inlineAny)) base = pickEnvironment(contract, flags.env);
  else if (flags.env !== undefined) throw new UsageError(`--env ${flags.env} needs a contract: pass --contract FILE`);
  const e: Expectations = { ...base };
  if (flags.iss) e.issuer = flags.iss;
  if (flags.aud) e.audience = flags.aud;
  if (flags.alg) e.algorithms = flags.alg;
  if (flags.typ !== undefined) e.typ = flags.typ;
  if (flags.require) e.requiredClaims = flags.require;
  const tol = number('--clock-tolerance', flags.clockTolerance);
  if (tol !== undefined) e.clockToleranceSeconds = tol;
  const maxAge = number('--max-age', flags.maxAge);
  if (maxAge !== undefined) e.maxTokenAgeSeconds = maxAge;
  const maxBytes = number('--max-token-bytes', flags.maxTokenBytes, 16);
  if (maxBytes !== undefined) e.maxTokenBytes = maxBytes;
  if (inlineKeys) {
    const keys: KeySpec[] = [];
    for (const k of flags.key ?? []) keys.push(/\.(pem|crt|cer)$/i.test(k) || readHead(k).includes('-----BEGIN') ? { pem: k } : { jwk: k });
    if (flags.jwksUrl !== undefined) keys.push({ jwksUri: flags.jwksUrl });
    if (flags.secret !== undefined) keys.push({ secret: secretSpec(flags.secret, flags.secretEncoding as SecretEncoding) });
    e.keys = keys;
  }
  const timeoutMs = number('--timeout', flags.timeout, 1) ?? 5000;
  let now: number | undefined;
  if (flags.now !== undefined) {
    now = parseInstant(flags.now);
    if (now === undefined) throw new UsageError(`--now expects UNIX seconds or ISO 8601, got "${flags.now}"`);
  }
  return { expectations: e, ...(contract ? { contract } : {}), ...(now !== undefined ? { now } : {}), timeoutMs };
}

function readHead(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(0, 200);
  } catch {
    return '';
  }
}

/** --secret VALUE | @FILE | env:NAME */
export function secretSpec(v: string, encoding: SecretEncoding = 'utf8') {
  if (v.startsWith('@')) return { file: v.slice(1), encoding };
  if (v.startsWith('env:')) return { env: v.slice(4), encoding };
  return { value: v, encoding };
}

export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--sanitize', 'keep only what an incident note needs: identifying claims hashed, no token, no secret');
}

export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

export { ContractError };
