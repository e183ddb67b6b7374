import { Option, type Command } from 'commander';
import { ALGORITHM_NAMES } from '../../keys/algorithms.ts';
import { EXIT, loadContractFlag, pickEnvironment, requireSecretVariables, UsageError } from '../common.ts';
import { buildKeysReport, formatKeysText } from '../../rotation/keys_report.ts';
import { MAX_TIMEOUT_MS, parseNowFlag, parseTimeout } from '../flags.ts';

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

Exit codes: 0 no error findings, 1 an error finding (private key published,
invalid key, unreachable source, ...), 2 usage or contract error.`;

interface KeysFlags {
  contract?: string;
  env?: string;
  alg?: string[];
  timeout: string;
  now?: string;
  format: string;
}

export function register(program: Command): void {
  program
    .command('keys')
    .description('inspect a key set: one row per key, warnings with codes')
    .argument('[source]', 'JWKS URL, issuer URL, or file (JWKS, JWK, PEM, certificate)')
    .option('-c, --contract <file>', 'environment contract (default ./auth-contract.yaml when present)')
    .option('-e, --env <name>', "environment: its key sources (without SOURCE) and allowed algorithms")
    .option('--alg <alg>', 'allowed algorithm to check keys against (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--timeout <ms>', `timeout for every fetch in ms (1 to ${MAX_TIMEOUT_MS})`, '5000')
    .option('--now <instant>', 'evaluate certificate expiry at this instant (ISO 8601 with Z or an offset, or UNIX seconds)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP)
    .action(async (source: string | undefined, flags: KeysFlags) => {
      for (const a of flags.alg ?? []) if (!ALGORITHM_NAMES.includes(a)) throw new UsageError(`unknown algorithm "${a}"; use one of ${ALGORITHM_NAMES.join(', ')}`);
      const timeoutMs = parseTimeout(flags.timeout);
      const now = parseNowFlag(flags.now);
      let env;
      let contract;
      if (flags.env !== undefined) {
        contract = loadContractFlag(flags, true)!;
        env = pickEnvironment(contract, flags.env);
        if (source === undefined) requireSecretVariables(contract, env.name);
      }
      if (source === undefined && !env) throw new UsageError('give a SOURCE (JWKS URL, issuer URL or file) or --env NAME with a contract');
      const algorithms = flags.alg ?? env?.algorithms;
      const report = await buildKeysReport({
        ...(source !== undefined ? { source } : { specs: env?.keys ?? [] }),
        ...(algorithms ? { algorithms } : {}),
        now,
        timeoutMs,
        ...(env?.name !== undefined ? { env: env.name } : {}),
        ...(env?.issuer?.[0] !== undefined ? { issuer: env.issuer[0] } : {}),
        ...(contract ? { baseDir: contract.baseDir } : {}),
      });
      process.stdout.write(flags.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatKeysText(report));
      process.exitCode = report.result === 'error' ? EXIT.fail : EXIT.ok;
    });
}
