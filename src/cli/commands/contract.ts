import { Option, type Command } from 'commander';
import { loadContract } from '../../contract/load.ts';
import { EXIT } from '../common.ts';
import { diffContracts, formatContractDiffMarkdown } from '../../rotation/diff_contracts.ts';

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

export function register(program: Command): void {
  const contract = program.command('contract').description('contract tools: diff two contracts into rollout notes');
  contract.addHelpText('after', '\nSubcommands: diff (run "jwt-doctor contract diff --help").\n');
  contract
    .command('diff')
    .description('rollout notes (Markdown) for the changes between two contracts')
    .argument('<old>', 'the contract as deployed')
    .argument('<new>', 'the contract about to ship')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .addHelpText('after', DIFF_HELP)
    .action((oldFile: string, newFile: string, flags: { format: string }) => {
      const d = diffContracts(loadContract(oldFile), loadContract(newFile), { old: oldFile, new: newFile });
      process.stdout.write(flags.format === 'json' ? JSON.stringify(d, null, 2) + '\n' : formatContractDiffMarkdown(d));
      process.exitCode = d.breaking > 0 ? EXIT.fail : EXIT.ok;
    });
}
