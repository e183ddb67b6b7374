import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CONTRACT_FILE } from '../../contract/load.ts';
import { EXIT, loadContractFlag, requireSecretVariables } from '../common.ts';
import type { Done, Output } from '../command.ts';
import {
  contractOption,
  INSTANT_FORMS,
  nowOption,
  parseNumberFlag,
  parseOptionalNow,
  parseTimeout,
  timeoutOption,
  TIMEOUT_RANGE,
} from '../flags.ts';
import { packageRoot } from '../package_root.ts';

const HELP = `
The first line printed is the page's URL, with a random access token
(as Jupyter does): only a request carrying it gets an answer. The server
listens on 127.0.0.1 only; the diagnosis runs in this process, with the
contract's keys, which never reach the browser, and the page makes no
request to any other host. The header and claims shown are as decoded
from the token: trust them only when the signature passes. Ctrl+C stops it.

Examples:
  $ jwt-doctor ui
  $ jwt-doctor ui --contract examples/auth-contract.yaml --port 7878 --no-open
  $ jwt-doctor ui --contract examples/auth-contract.yaml --now 2026-11-28T12:05:00Z

Exit codes: 0 stopped, 2 usage or contract error (no contract, port in use).`;

export interface UiOptions {
  contract?: string;
  port?: string;
  /** commander's --no-open: false leaves the browser alone. */
  open?: boolean;
  now?: string;
  timeout?: string;
  /** The built page's folder (not a flag: tests pass a freshly built one); default dist/ui of the package. */
  assetsDir?: string;
}

/**
 * `jwt-doctor ui`: serves the page until `stop` resolves (Ctrl+C or
 * SIGTERM by default). Returns the exit code.
 *
 * @example await uiCommand({ contract: 'auth-contract.yaml', open: false }, process.stdout, stopSignal)
 */
export async function uiCommand(options: UiOptions, out: Output = process.stdout, stop: Promise<unknown> = untilSignal()): Promise<number> {
  const now = parseOptionalNow(options.now);
  const timeoutMs = parseTimeout(options.timeout);
  const port = parseNumberFlag('--port', options.port, { min: 0, max: 65535, integer: true }) ?? 0;
  const contract = loadContractFlag(options, true)!;
  for (const name of Object.keys(contract.environments)) requireSecretVariables(contract, name);
  const [{ startUiServer }, { openBrowser }] = await Promise.all([import('../../ui/server.ts'), import('../../ui/open_browser.ts')]);
  const server = await startUiServer({
    contract,
    contractFile: options.contract ?? DEFAULT_CONTRACT_FILE,
    assetsDir: options.assetsDir ?? join(packageRoot(), 'dist', 'ui'),
    port,
    timeoutMs,
    ...(now !== undefined ? { now } : {}),
  });
  out.write(`${server.url}\n`);
  out.write(`jwt-doctor ui: serving ${Object.keys(contract.environments).join(', ')} on 127.0.0.1:${server.port}; Ctrl+C stops\n`);
  if (options.open !== false) openBrowser(server.url);
  await stop;
  await server.close();
  return EXIT.ok;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on).off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on).on('SIGTERM', on);
  });
}

export function register(program: Command, done: Done): void {
  program
    .command('ui')
    .description('a local jwt.io that knows the contract: paste a token, see the claim delta (127.0.0.1 only)')
    .addOption(contractOption('environment contract (default ./auth-contract.yaml)'))
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .option('--no-open', 'do not open the browser: print the URL only')
    .addOption(nowOption(`diagnose at this instant instead of the wall clock: ${INSTANT_FORMS}`))
    .addOption(timeoutOption(`timeout for every key fetch in ms (${TIMEOUT_RANGE})`))
    .addHelpText('after', HELP)
    .action(async (flags: UiOptions) => done(await uiCommand(flags)));
}
