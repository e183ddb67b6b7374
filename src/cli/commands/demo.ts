import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadContract } from '../../contract/load.ts';
import { matchEnvironments } from '../../match.ts';
import { formatDiagnosisText } from '../../report/text.ts';
import { EXIT } from '../../errors.ts';
import type { Done, Output } from '../command.ts';
import { useColor } from '../common.ts';
import { packageRoot } from '../package_root.ts';
import { formatMatchTable } from './match.ts';

/** The bundled example's check instant: five minutes after the token was minted. */
export const DEMO_NOW = '2026-11-28T12:05:00Z';

/**
 * `jwt-doctor demo` (npm start): diagnose the bundled example token against
 * staging, then match it against every environment, at DEMO_NOW. Returns 0:
 * the demo shows failures, it does not fail.
 */
export async function demoCommand(out: Output = process.stdout): Promise<number> {
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
  lines.push(formatDiagnosisText(m.diagnoses.staging!, { color: useColor() }));
  lines.push(`$ jwt-doctor match examples/tokens/local-login.jwt --contract examples/auth-contract.yaml --now ${DEMO_NOW}`);
  lines.push('');
  lines.push(formatMatchTable(m));
  out.write(lines.join('\n'));
  return EXIT.ok;
}

export function register(program: Command, done: Done): void {
  program
    .command('demo')
    .description('diagnose the bundled example token against staging, then match it against every environment')
    .action(async () => done(await demoCommand()));
}
