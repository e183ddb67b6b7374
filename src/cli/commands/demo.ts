import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadContract } from '../../contract/load.ts';
import { matchEnvironments } from '../../match.ts';
import { formatDiagnosisText } from '../../report/text.ts';
import { useColor } from '../common.ts';
import { packageRoot } from '../package_root.ts';
import { formatMatchTable } from './match.ts';

/** The bundled example's check instant: five minutes after the token was minted. */
export const DEMO_NOW = '2026-11-28T12:05:00Z';

export function register(program: Command): void {
  program
    .command('demo')
    .description('diagnose the bundled example token against staging, then match it against every environment')
    .action(async () => {
      const root = packageRoot();
      const contractPath = join(root, 'examples/auth-contract.yaml');
      const token = readFileSync(join(root, 'examples/tokens/local-login.jwt'), 'utf8');
      const contract = loadContract(contractPath);
      const now = Date.parse(DEMO_NOW) / 1000;
      const m = await matchEnvironments(token, contract, { now });
      const out: string[] = [];
      out.push('# A token that works locally, rejected by the staging API.');
      out.push(`$ jwt-doctor diagnose examples/tokens/local-login.jwt --contract examples/auth-contract.yaml --env staging --now ${DEMO_NOW}`);
      out.push('');
      out.push(formatDiagnosisText(m.diagnoses.staging!, { color: useColor() }));
      out.push(`$ jwt-doctor match examples/tokens/local-login.jwt --contract examples/auth-contract.yaml --now ${DEMO_NOW}`);
      out.push('');
      out.push(formatMatchTable(m));
      process.stdout.write(out.join('\n'));
    });
}
