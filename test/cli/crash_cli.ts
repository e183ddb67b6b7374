/**
 * The real CLI (src/cli/main.ts) with one more command, `crash`, whose
 * action throws an error jwt-doctor does not foresee (a TypeError with a
 * two-line message): the driver of the unexpected-error tests
 * (report_error.test.ts), run as a subprocess so the process exit code is real.
 */
import { COMMANDS, main } from '../../src/cli/main.ts';
import { formatOption } from '../../src/cli/flags.ts';

COMMANDS.crash = {
  summary: 'throw an unforeseen error (test driver)',
  load: async () => ({
    register(program) {
      program
        .command('crash')
        .addOption(formatOption(['text', 'json']))
        .action(() => {
          throw new TypeError('cannot read properties of undefined (reading "kid")\n    while ranking');
        });
    },
  }),
};

process.exitCode = await main(process.argv.slice(2));
