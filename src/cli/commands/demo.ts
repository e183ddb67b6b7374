import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadContract } from '../../contract/load.ts';
import { matchEnvironments } from '../../match.ts';
import { formatDiagnosisText } from '../../report/text.ts';
import { EXIT } from '../../errors.ts';
import type { ReplicaDemoResult } from '../../demo/run_replica_demo.ts';
import type { ProviderConstructor } from '../../demo/replica_provider.ts';
import type { Done, Output } from '../command.ts';
import { useColor } from '../common.ts';
import { packageRoot } from '../package_root.ts';
import { formatMatchTable } from './match.ts';

/** The bundled example's check instant: five minutes after the token was minted (the replica's clock too). */
export const DEMO_NOW = '2026-11-28T12:05:00Z';

/** The line the demo prints when the replica cannot run (the published package has no oidc-provider). */
export const REPLICA_UNAVAILABLE =
  "# The local staging replica needs the repository's dev dependencies (oidc-provider: npm ci in a clone); the offline demo instead.";

/** The offline demo: the bundled example diagnosed and matched. */
export interface OfflineDemoResult {
  mode: 'offline';
  /** The staging diagnosis's result and codes. */
  result: string;
  codes: string[];
  ok: boolean;
}

export type DemoResult = ReplicaDemoResult | OfflineDemoResult;

export interface DemoOptions {
  /** How oidc-provider is loaded (tests: one that fails, as where it is not installed). */
  loadProvider?: () => Promise<ProviderConstructor>;
  /** Run only the offline demo. */
  offline?: boolean;
}

/**
 * `jwt-doctor demo` (npm start): the local staging replica (src/demo/):
 * the guide's staging failure reproduced, diagnosed, fixed and checked
 * on real servers on 127.0.0.1. Where oidc-provider is not installed (the
 * published package), one line says so and the offline demo runs: the
 * bundled example token diagnosed against staging and matched against
 * every environment, at DEMO_NOW. Returns the structured result.
 */
export async function runDemo(out: Output = process.stdout, options: DemoOptions = {}): Promise<DemoResult> {
  if (!options.offline) {
    const { runReplica } = await import('../../demo/run_replica.ts');
    const r = await runReplica({
      examplesDir: join(packageRoot(), 'examples'),
      write: (t) => out.write(t),
      color: useColor(),
      ...(options.loadProvider ? { loadProvider: options.loadProvider } : {}),
    });
    if (r !== undefined) return r;
    out.write(`${REPLICA_UNAVAILABLE}\n`);
  }
  return offlineDemo(out);
}

async function offlineDemo(out: Output): Promise<OfflineDemoResult> {
  const root = packageRoot();
  const contractPath = join(root, 'examples/auth-contract.yaml');
  const token = readFileSync(join(root, 'examples/tokens/local-login.jwt'), 'utf8');
  const contract = loadContract(contractPath);
  const now = Date.parse(DEMO_NOW) / 1000;
  const m = await matchEnvironments(token, contract, { now });
  const lines: string[] = [];
  lines.push('# A token that works locally, rejected by the staging API.');
  lines.push(
    `$ jwt-doctor diagnose examples/tokens/local-login.jwt --contract examples/auth-contract.yaml --env staging --now ${DEMO_NOW}`,
  );
  lines.push('');
  const staging = m.diagnoses.staging!;
  lines.push(formatDiagnosisText(staging, { color: useColor() }));
  lines.push(`$ jwt-doctor match examples/tokens/local-login.jwt --contract examples/auth-contract.yaml --now ${DEMO_NOW}`);
  lines.push('');
  lines.push(formatMatchTable(m));
  out.write(lines.join('\n'));
  return { mode: 'offline', result: staging.result, codes: staging.findings.map((f) => f.code), ok: true };
}

/** Exit code: 0 when every step went as the story says (the demo shows failures, it does not fail), 1 otherwise. */
export async function demoCommand(out: Output = process.stdout, options: DemoOptions = {}): Promise<number> {
  return (await runDemo(out, options)).ok ? EXIT.ok : EXIT.fail;
}

export function register(program: Command, done: Done): void {
  program
    .command('demo')
    .description("reproduce, diagnose, fix and check the guide's staging failure on a local replica (offline: the bundled example)")
    .option('--offline', 'only diagnose and match the bundled example token (no servers)')
    .action(async (flags: { offline?: boolean }) => done(await demoCommand(process.stdout, flags.offline ? { offline: true } : {})));
}
