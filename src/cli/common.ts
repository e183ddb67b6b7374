import { existsSync, readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROVIDER_NAMES } from '../providers/profile.ts';
import { assertSecretVariablesSet, DEFAULT_CONTRACT_FILE, loadContract, type Contract } from '../contract/load.ts';
import { ContractError, EXIT, UsageError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import type { KeySpec } from '../keys/sources.ts';
import { ALGORITHM_NAMES } from '../keys/algorithms.ts';
import {
  clockToleranceOption,
  collect,
  contractOption,
  envOption,
  formatOption,
  jwksUrlOption,
  maxTokenBytesOption,
  nowOption,
  INSTANT_FORMS,
  parseNumberFlag,
  parseOptionalNow,
  parsePositiveInt,
  parseTimeout,
  parseUrlFlag,
  sanitizeOption,
  secretEncodingOption,
  timeoutOption,
  TIMEOUT_RANGE,
} from './flags.ts';
import type { SecretEncoding } from '../keys/import.ts';

const collectAlg = (v: string, prev: string[] = []) => {
  if (!ALGORITHM_NAMES.includes(v))
    throw new InvalidArgumentError(`unknown algorithm "${v}" (none is never allowed); use one of ${ALGORITHM_NAMES.join(', ')}`);
  return [...prev, v];
};

/** Options shared by every command that checks a token against expectations. */
export function addExpectationOptions(cmd: Command): Command {
  return cmd
    .addOption(contractOption(`environment contract (YAML or JSON; default ./${DEFAULT_CONTRACT_FILE} when present)`))
    .addOption(envOption('environment of the contract to check against'))
    .option('--iss <issuer>', 'accepted issuer (repeatable)', collect)
    .option('--aud <audience>', 'accepted audience (repeatable; any of)', collect)
    .option('--alg <alg>', `allowed algorithm (repeatable; ${ALGORITHM_NAMES.join(', ')})`, collectAlg)
    .option('--typ <typ>', 'expected typ header (e.g. at+jwt)')
    .option('--require <claim>', 'required claim (repeatable)', collect)
    .addOption(
      new Option('--provider <name>', 'identity provider whose token rules and fixes apply (docs/providers.md)').choices(PROVIDER_NAMES),
    )
    .addOption(clockToleranceOption('clock tolerance in seconds'))
    .option('--max-age <seconds>', 'maximum token age (now - iat) in seconds')
    .option('--key <file>', 'verification key: JWK, JWKS, PEM (SPKI, PKCS#1) or certificate (repeatable)', collect)
    .addOption(jwksUrlOption('JWKS URL to fetch keys from'))
    .option('--secret <value>', 'HMAC secret: VALUE, @FILE or env:NAME')
    .addOption(secretEncodingOption('--secret-encoding', 'how to read --secret'))
    .option(
      '--secret-trim',
      'read --secret trimmed of whitespace at its ends, as a verifier that trims does (default: raw, newline included)',
    )
    .addOption(timeoutOption(`timeout for every network fetch in ms (${TIMEOUT_RANGE})`))
    .addOption(maxTokenBytesOption('token size cap in bytes (default 16384)'))
    .addOption(nowOption(`evaluate at this instant: ${INSTANT_FORMS}`));
}

export interface ExpectationFlags {
  contract?: string;
  env?: string;
  iss?: string[];
  aud?: string[];
  alg?: string[];
  typ?: string;
  require?: string[];
  provider?: string;
  clockTolerance?: string;
  maxAge?: string;
  key?: string[];
  jwksUrl?: string;
  secret?: string;
  secretEncoding?: string;
  secretTrim?: boolean;
  timeout?: string;
  maxTokenBytes?: string;
  now?: string;
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
  /** Key sources given by flags (--key, --secret), by flag, when they replace the contract's. */
  inlineKeys?: { flag: string; spec: KeySpec }[];
}

/** Contract environment, overridden by inline flags (step CLI style). */
export function resolveExpectations(flags: ExpectationFlags): ResolvedExpectations {
  const timeoutMs = parseTimeout(flags.timeout);
  const now = parseOptionalNow(flags.now);
  const inlineKeys = (flags.key?.length ?? 0) > 0 || flags.jwksUrl !== undefined || flags.secret !== undefined;
  const inlineAny = inlineKeys || flags.iss || flags.aud || flags.alg || flags.typ || flags.require;
  // An explicit --contract is always validated; ./auth-contract.yaml only when it is used.
  const contract = flags.contract !== undefined || flags.env !== undefined || !inlineAny ? loadContractFlag(flags) : undefined;
  let base: Expectations = {};
  // Inline mode (flags, no --env) uses no environment of the contract, so
  // the contract is not passed on: with it, every environment would be
  // "another environment" in provenance findings and hints.
  const useContract = contract !== undefined && (flags.env !== undefined || !inlineAny);
  if (useContract) {
    base = pickEnvironment(contract, flags.env);
    if (!inlineKeys) requireSecretVariables(contract, base.name);
  } else if (flags.env !== undefined) throw new UsageError(`--env ${flags.env} needs a contract: pass --contract FILE`);
  const e: Expectations = { ...base };
  if (flags.iss) e.issuer = flags.iss;
  if (flags.aud) e.audience = flags.aud;
  if (flags.alg) e.algorithms = flags.alg;
  if (flags.typ !== undefined) e.typ = flags.typ;
  if (flags.require) e.requiredClaims = flags.require;
  if (flags.provider !== undefined) e.provider = flags.provider;
  const tol = parseNumberFlag('--clock-tolerance', flags.clockTolerance, { unit: 'seconds' });
  if (tol !== undefined) e.clockToleranceSeconds = tol;
  const maxAge = parseNumberFlag('--max-age', flags.maxAge, { unit: 'seconds' });
  if (maxAge !== undefined) e.maxTokenAgeSeconds = maxAge;
  if (flags.maxTokenBytes !== undefined) e.maxTokenBytes = parsePositiveInt('--max-token-bytes', flags.maxTokenBytes, 16);
  const out: ResolvedExpectations = {
    expectations: e,
    ...(useContract ? { contract } : {}),
    ...(now !== undefined ? { now } : {}),
    timeoutMs,
  };
  if (inlineKeys) {
    const keys: { flag: string; spec: KeySpec }[] = [];
    for (const k of flags.key ?? [])
      keys.push({ flag: `--key ${k}`, spec: /\.(pem|crt|cer)$/i.test(k) || readHead(k).includes('-----BEGIN') ? { pem: k } : { jwk: k } });
    if (flags.jwksUrl !== undefined) keys.push({ flag: '--jwks-url', spec: { jwksUri: parseUrlFlag('--jwks-url', flags.jwksUrl)! } });
    if (flags.secret !== undefined)
      keys.push({
        flag: secretFlagName(flags.secret),
        spec: {
          secret: {
            ...secretSpec(flags.secret, flags.secretEncoding as SecretEncoding),
            ...(flags.secretTrim === true ? { trim: true } : {}),
          },
        },
      });
    e.keys = keys.map((k) => k.spec);
    out.inlineKeys = keys;
  }
  return out;
}

/** Names the --secret flag without its value: the value may be the secret itself. */
function secretFlagName(v: string): string {
  return v.startsWith('@') || v.startsWith('env:') ? `--secret ${v}` : '--secret';
}

/**
 * Inline keys are the operator's own input: a --key or --secret @FILE that
 * does not exist, an unset --secret env:NAME, or a secret that does not
 * decode under --secret-encoding is a usage error (exit 2), not a
 * jwks_unreachable finding about the token. (A --jwks-url that cannot be
 * fetched stays a finding: the network is the environment's.)
 */
export async function requireInlineKeys(r: ResolvedExpectations): Promise<void> {
  const local = (r.inlineKeys ?? []).filter((k) => !('jwksUri' in k.spec));
  if (local.length === 0) return;
  const { resolveKeySpec } = await import('../keys/sources.ts');
  for (const { flag, spec } of local) {
    // The same folder the diagnoser resolves relative paths against (the contract's, with --env).
    const loaded = await resolveKeySpec(spec, { timeoutMs: r.timeoutMs, ...(r.contract ? { baseDir: r.contract.baseDir } : {}) });
    const failed = loaded.sources.find((s) => !s.ok);
    // A set of only `use: "enc"` keys is diagnosed: the token hears which key is excluded and why (key_use_excluded).
    if (!failed && (loaded.keys.length > 0 || (loaded.excluded?.length ?? 0) > 0)) continue;
    const why = failed?.error ?? 'no usable key in it';
    const fix = 'secret' in spec ? secretFix(why) : 'give a readable JWK, JWK Set, PEM (SPKI, PKCS#1) or certificate file';
    throw new UsageError(`${flag}: ${why}: ${fix}`);
  }
}

function secretFix(why: string): string {
  if (/environment variable/.test(why)) return 'export it, or pass the secret as --secret @FILE';
  if (/not valid (hex|base64)/.test(why)) return 'check --secret-encoding (utf8, base64, base64url or hex)';
  return 'check the --secret value or file';
}

/** A contract environment whose HMAC secret comes from an unset variable is a contract error (exit 2). */
export function requireSecretVariables(contract: Contract, envName: string | undefined): void {
  if (envName !== undefined) assertSecretVariablesSet(contract, envName);
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
  return cmd.addOption(formatOption(['text', 'json', 'markdown'])).addOption(sanitizeOption());
}

export function useColor(): boolean {
  return Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

export { ContractError, EXIT, UsageError };
export { readTokenInput } from './read_token_input.ts';
