import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../keys/algorithms.ts';
import { EXIT, loadContractFlag, pickEnvironment, requireSecretVariables, UsageError } from '../common.ts';
import { buildKeysReport, formatKeysText, type KeysReportOptions } from '../../rotation/keys_report.ts';
import type { Expectations } from '../../expectations.ts';
import { discoveryIssuerOf } from '../../keys/discovery_drift.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import {
  collect,
  contractOption,
  envOption,
  formatOption,
  INSTANT_FORMS,
  nowOption,
  parseNowFlag,
  parseTimeout,
  timeoutOption,
} from '../flags.ts';

const HELP = `
SOURCE is a JWKS URL, an issuer URL (OIDC discovery), or a file (JWKS, JWK,
PEM public/private key, certificate). With --env and no SOURCE, every key
source of that environment is inspected; with --env, keys are also checked
against the environment's allowed algorithms. Output shows kid, RFC 7638
thumbprint or secret fingerprint, never key material.

Examples:
  $ jwt-doctor keys https://auth.example.com/.well-known/jwks.json
  $ jwt-doctor keys https://auth.example.com
  $ jwt-doctor keys keys/staging.jwks.json --alg RS256
  $ jwt-doctor keys --env staging --contract auth-contract.yaml --format json
  $ jwt-doctor keys --env prod --discovery   # the issuer's published metadata vs the contract

Exit codes: 0 no error findings, 1 an error finding (private key published,
invalid key, unreachable source, ...), 2 usage or contract error.`;

export interface KeysOptions {
  contract?: string;
  env?: string;
  alg?: string[];
  timeout?: string;
  now?: string;
  format?: string;
  /** Compare the issuer's discovery metadata with the environment (automatic with a discovery key source). */
  discovery?: boolean;
}

/**
 * `jwt-doctor keys [SOURCE]`: one row per key of a key set, warnings with
 * codes. Returns the exit code: 0 no error finding, 1 an error finding.
 *
 * @example const code = await keysCommand('examples/keys/prod.jwks.json', { format: 'json' }, out);
 */
export async function keysCommand(source: string | undefined, options: KeysOptions, out: Output = process.stdout): Promise<number> {
  for (const a of options.alg ?? [])
    if (!ALGORITHM_NAMES.includes(a)) throw new UsageError(`unknown algorithm "${a}"; use one of ${ALGORITHM_NAMES.join(', ')}`);
  const timeoutMs = parseTimeout(options.timeout);
  const now = parseNowFlag(options.now);
  let env;
  let contract;
  if (options.env !== undefined) {
    contract = loadContractFlag(options, true)!;
    env = pickEnvironment(contract, options.env);
    if (source === undefined) requireSecretVariables(contract, env.name);
  }
  if (source === undefined && !env) throw new UsageError('give a SOURCE (JWKS URL, issuer URL or file) or --env NAME with a contract');
  const algorithms = options.alg ?? env?.algorithms;
  const report = await buildKeysReport({
    ...(source !== undefined ? { source } : { specs: env?.keys ?? [] }),
    ...(algorithms ? { algorithms } : {}),
    now,
    timeoutMs,
    ...(env?.name !== undefined ? { env: env.name } : {}),
    ...(env?.issuer?.[0] !== undefined ? { issuer: env.issuer[0] } : {}),
    ...(contract ? { baseDir: contract.baseDir } : {}),
    ...discoveryOption(env, options.discovery === true),
  });
  writeReport(out, options.format, report, formatKeysText);
  return report.result === 'error' ? EXIT.fail : EXIT.ok;
}

/** The issuer whose discovery document is compared: the env's discovery key source, or its first issuer with --discovery. */
function discoveryOption(env: Expectations | undefined, asked: boolean): Pick<KeysReportOptions, 'discovery'> {
  if (!env) {
    if (asked) throw new UsageError('--discovery compares an environment with its issuer: pass --env NAME');
    return {};
  }
  const issuer = discoveryIssuerOf(env, asked);
  if (issuer === undefined) {
    if (asked) throw new UsageError(`environment ${env.name ?? ''} has no http(s) issuer to read discovery from`);
    return {};
  }
  return { discovery: { issuer, expectations: env } };
}

export function register(program: Command, done: Done): void {
  program
    .command('keys')
    .description('inspect a key set: one row per key, warnings with codes')
    .argument('[source]', 'JWKS URL, issuer URL, or file (JWKS, JWK, PEM, certificate)')
    .addOption(contractOption())
    .addOption(envOption('environment: its key sources (without SOURCE) and allowed algorithms'))
    .option('--alg <alg>', 'allowed algorithm to check keys against (repeatable)', collect)
    .option(
      '--discovery',
      "with --env: compare the issuer's discovery metadata (issuer, jwks_uri, algorithms) with the contract (automatic with a discovery key source)",
    )
    .addOption(timeoutOption())
    .addOption(nowOption(`evaluate certificate expiry at this instant (${INSTANT_FORMS})`))
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', HELP)
    .action(async (source: string | undefined, flags: KeysOptions) => done(await keysCommand(source, flags)));
}
