import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../../errors.ts';
import { formatDrillMarkdown, formatDrillText } from '../../drill/format_drill.ts';
import { runDrill } from '../../drill/run_drill.ts';
import { contractDrillSigner, loadDrillSigner } from '../../drill/drill_signer.ts';
import { SCENARIOS, type Scenario } from '../../drill/types.ts';
import { loadContractFlag, pickEnvironment } from '../common.ts';
import type { Done, Output } from '../command.ts';
import {
  contractOption,
  envOption,
  formatOption,
  nowOption,
  parseNumberFlag,
  parseOptionalNow,
  parseTimeout,
  parseUrlFlag,
  timeoutOption,
  TIMEOUT_RANGE,
} from '../flags.ts';

const HELP = `
The quarterly auth drills of the hardening plan, against the environment's
API (api.baseUrl, or --target) and its probe routes:

  rotation      the drill serves the environment's JWK Set (a jwksUri key
                source on a free loopback port, which the verifier fetches):
                publishes a new key next to the current one, signs with it
                while old-key tokens still pass (overlap), retires the old
                key until the verifier rejects it, then runs the
                rotation retire checklist (verifier.debugUrl, metricsUrl)
  skew          exp, nbf and iat shifted tolerance - slack (must pass) and
                tolerance + slack (must fail); the boundary the verifier
                really applies is measured to the second
  header-strip  a valid token through every route and its echo: the header
                must arrive intact; the same request without it must get 401
  attacks       forged tokens to every route as jwt_tool sends them: alg none
                spellings, empty signature, HS256 keyed with the public key
                (PEM, DER, JWK), embedded jwk, jku / x5u at the drill's own
                listener (a fetch is recorded), kid spoofing, hostile kids,
                tampered payload, expired, not yet valid, unknown crit,
                psychic signature (CVE-2022-21449). Each must be rejected:
                an accepted one is verifier_accepts_forged_token (critical)
  all           every drill above (rotation last)

Valid tokens are signed with --signer-key / --signer-secret, else with the
environment's signer: section (the key jwt-doctor mint signs with), or,
when the drill serves the JWK Set, with a key it generates and publishes. Keys and
tokens are never printed. An environment marked production: true is refused
unless --i-know.

Examples:
  $ jwt-doctor drill --env staging --scenario attacks --signer-key staging-signer.pem
  $ JWT_SECRET=... jwt-doctor drill --env local --scenario skew --signer-secret JWT_SECRET --target http://127.0.0.1:8080
  $ jwt-doctor drill --env drill --scenario all --format markdown > drill-2026-q4.md
  $ jwt-doctor drill --env drill --scenario rotation --propagation-timeout 660 --format json

Exit codes: 0 every drill passes, 1 a step failed (the report says which,
with evidence), 2 usage or contract error (production without --i-know, no
signer, no api section).`;

export interface DrillFlags {
  contract?: string;
  env: string;
  scenario: string;
  target?: string;
  iKnow?: boolean;
  signerKey?: string;
  signerSecret?: string;
  signerAlg?: string;
  signerKid?: string;
  timeout?: string;
  propagationTimeout?: string;
  pollInterval?: string;
  metricsInterval?: string;
  skewSlack?: string;
  listen?: string;
  now?: string;
  format?: string;
}

function parseScenarios(v: string): Scenario[] {
  if (v === 'all') return [...SCENARIOS];
  const names = v.split(',').map((s) => s.trim());
  for (const n of names)
    if (!(SCENARIOS as readonly string[]).includes(n))
      throw new UsageError(`--scenario expects ${SCENARIOS.join(', ')} or all (comma-separated), got "${n}"`);
  return names as Scenario[];
}

function parseListen(v: string | undefined): { listenHost?: string; listenPort?: number } {
  if (v === undefined) return {};
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--listen expects HOST:PORT (e.g. 127.0.0.1:0), got "${v}"`);
  return { listenHost: m[1]!.replace(/^\[|\]$/g, ''), listenPort: Number(m[2]) };
}

/**
 * `jwt-doctor drill`: runs the chosen drills and prints readiness with
 * evidence. Returns the exit code: 0 every drill passes, 1 not.
 *
 * @example const code = await drillCommand({ env: 'staging', scenario: 'attacks', signerKey: 'signer.pem', format: 'json' }, out);
 */
export async function drillCommand(flags: DrillFlags, out: Output = process.stdout): Promise<number> {
  const scenarios = parseScenarios(flags.scenario);
  const contract = loadContractFlag(flags, true)!;
  const env = pickEnvironment(contract, flags.env);
  const now = parseOptionalNow(flags.now);
  const seconds = (flag: string, v: string | undefined) => parseNumberFlag(flag, v, { min: 0, max: 86_400, unit: 'seconds' });
  const propagation = seconds('--propagation-timeout', flags.propagationTimeout);
  const poll = parseNumberFlag('--poll-interval', flags.pollInterval, { min: 1, max: 600_000, integer: true, unit: 'milliseconds' });
  const metrics = seconds('--metrics-interval', flags.metricsInterval);
  const slack = seconds('--skew-slack', flags.skewSlack);
  const target = parseUrlFlag('--target', flags.target);
  const signerGiven = flags.signerKey !== undefined || flags.signerSecret !== undefined;
  const signer = signerGiven
    ? loadDrillSigner({
        ...(flags.signerKey !== undefined ? { keyPath: flags.signerKey } : {}),
        ...(flags.signerSecret !== undefined ? { secretVar: flags.signerSecret } : {}),
        ...(flags.signerAlg !== undefined ? { alg: flags.signerAlg } : {}),
        ...(flags.signerKid !== undefined ? { kid: flags.signerKid } : {}),
        ...(env.algorithms ? { algorithms: env.algorithms } : {}),
      })
    : contractDrillSigner(contract, env);
  const report = await runDrill(contract, flags.env, {
    scenarios,
    allowProduction: flags.iKnow === true,
    timeoutMs: parseTimeout(flags.timeout),
    ...(target !== undefined ? { target } : {}),
    ...(signer ? { signer } : {}),
    ...(now !== undefined ? { now: () => now * 1000 } : {}),
    ...(propagation !== undefined ? { propagationTimeoutMs: propagation * 1000 } : {}),
    ...(poll !== undefined ? { pollIntervalMs: poll } : {}),
    ...(metrics !== undefined ? { metricsIntervalSeconds: metrics } : {}),
    ...(slack !== undefined ? { skewSlackSeconds: slack } : {}),
    ...parseListen(flags.listen),
  });
  const format = flags.format ?? 'text';
  out.write(
    format === 'json'
      ? JSON.stringify(report, null, 2) + '\n'
      : format === 'markdown'
        ? formatDrillMarkdown(report)
        : formatDrillText(report),
  );
  return report.ready ? EXIT.ok : EXIT.fail;
}

export function register(program: Command, done: Done): void {
  program
    .command('drill')
    .description('quarterly auth drills against a target verifier: rotation, clock skew, header stripping, forged-token attacks')
    .addOption(contractOption())
    .addOption(envOption('environment of the contract (its api section is the target)').makeOptionMandatory())
    .addOption(
      new Option('--scenario <name>', 'rotation | skew | header-strip | attacks | all (or a comma-separated list)').makeOptionMandatory(),
    )
    .option('--target <url>', "the API base URL (default: the environment's api.baseUrl)")
    .option('--i-know', 'allow an environment marked production: true')
    .option('--signer-key <path>', 'private key (PEM or private JWK) the environment trusts, for valid tokens')
    .option('--signer-secret <var>', 'variable holding the HMAC secret the environment trusts')
    .option('--signer-alg <alg>', "signing algorithm (default: the key's JWK alg, else the environment's first fitting one)")
    .option('--signer-kid <kid>', "kid of the signer key (default: the private JWK's kid)")
    .addOption(timeoutOption(`deadline per request (ms, ${TIMEOUT_RANGE})`))
    .option(
      '--propagation-timeout <seconds>',
      'rotation: longest wait for the verifier to pick up a key change (default: cache TTL + cooldown + 5)',
    )
    .option('--poll-interval <ms>', 'rotation: pause between two tries while waiting (default 500)')
    .option('--metrics-interval <seconds>', 'rotation: seconds between the two metrics samples of the retirement checklist (default 2)')
    .option('--skew-slack <seconds>', 'skew: clock difference between drill and target absorbed by the probes (default 2)')
    .option('--listen <host:port>', 'where the jku / x5u listener binds (default 127.0.0.1:0; the target must reach it)')
    .addOption(nowOption('sign tokens as of this instant (ISO 8601 or UNIX seconds; default the wall clock)'))
    .addOption(formatOption(['text', 'json', 'markdown']))
    .addHelpText('after', HELP)
    .action(async (flags: DrillFlags) => done(await drillCommand(flags)));
}
