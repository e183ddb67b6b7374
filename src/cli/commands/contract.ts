import type { Command } from 'commander';
import { loadContract } from '../../contract/load.ts';
import { EXIT } from '../../errors.ts';
import { writeReport, type Done, type Output } from '../command.ts';
import { formatOption } from '../flags.ts';
import { diffContracts, formatContractDiffMarkdown } from '../../rotation/diff_contracts.ts';
import { registerImport } from './contract_import.ts';

const DIFF_HELP = `
Rollout notes for front-end and platform teams: every change to token
lifetime, refresh policy, revocation, claim schema, audiences, issuers,
algorithms, key sources and token source, per environment, with the
clients affected (the contract's clients section) and what breaks for
clients that do not change. Secret values never appear (literal secrets
show as fingerprints).

Examples:
  $ jwt-doctor contract diff auth-contract.old.yaml auth-contract.yaml
  $ git show main:auth-contract.yaml > /tmp/old.yaml && jwt-doctor contract diff /tmp/old.yaml auth-contract.yaml > ROLLOUT.md
  $ jwt-doctor contract diff old.yaml new.yaml --format json

Exit codes: 0 no breaking change, 1 at least one breaking change, 2 usage or contract error.`;

/**
 * `jwt-doctor contract diff OLD NEW`: rollout notes for the changes between
 * two contracts. Returns the exit code: 0 no breaking change, 1 at least one.
 *
 * @example const code = contractDiffCommand('old.yaml', 'new.yaml', { format: 'json' }, out);
 */
export function contractDiffCommand(oldFile: string, newFile: string, options: { format?: string }, out: Output = process.stdout): number {
  const d = diffContracts(loadContract(oldFile), loadContract(newFile), { old: oldFile, new: newFile });
  writeReport(out, options.format, d, formatContractDiffMarkdown);
  return d.breaking > 0 ? EXIT.fail : EXIT.ok;
}

export function register(program: Command, done: Done): void {
  const contract = program
    .command('contract')
    .description("contract tools: diff two contracts, import a deployed verifier's config, check the deployed config for drift");
  contract.addHelpText('after', '\nSubcommands: diff, import, check-deployed (run "jwt-doctor contract <subcommand> --help").\n');
  contract
    .command('diff')
    .description('rollout notes (Markdown) for the changes between two contracts')
    .argument('<old>', 'the contract as deployed')
    .argument('<new>', 'the contract about to ship')
    .addOption(formatOption(['markdown', 'json']))
    .addHelpText('after', DIFF_HELP)
    .action((oldFile: string, newFile: string, flags: { format?: string }) => done(contractDiffCommand(oldFile, newFile, flags)));
  registerImport(contract, done);
}
