import { createServer } from 'node:http';
import type { Command } from 'commander';
import { createEchoHandler } from '../../probe/echo_handler.ts';
import { DEFAULT_ECHO_PATH } from '../../contract/api_section.ts';
import { EXIT, UsageError } from '../../errors.ts';
import type { Done, Output } from '../command.ts';
import { collect, parsePositiveInt } from '../flags.ts';

const HELP = `
Serves the echo: a JSON report of which auth-related headers arrived
(Authorization, X-Forwarded-Authorization, X-Amzn-Oidc-*, custom ones, any
header holding a JWS), each with its scheme, length and SHA-256, whether the
token decodes, and cookie names. Never the token or a cookie value. Put it
behind the gateway under test (or embed createEchoHandler() in the API) and
run jwt-doctor probe against the gateway.

Examples:
  $ jwt-doctor probe-server --port 8080
  $ jwt-doctor probe-server --port 8080 --host 0.0.0.0 --any-path --header x-auth-token
  $ curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/.well-known/jwt-doctor/echo

Runs until interrupted (Ctrl-C). Exit codes: 0 stopped, 2 usage error or the
port cannot be bound.`;

export interface ProbeServerOptions {
  port: string;
  host?: string;
  path?: string;
  anyPath?: boolean;
  header?: string[];
}

/**
 * `jwt-doctor probe-server`: serves the echo handler until SIGINT or
 * SIGTERM, then returns 0 (a port that cannot be bound is a usage error).
 */
export async function probeServerCommand(options: ProbeServerOptions, out: Output = process.stdout): Promise<number> {
  const port = parsePositiveInt('--port', options.port, 0, 65535);
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? DEFAULT_ECHO_PATH;
  if (!path.startsWith('/')) throw new UsageError(`--path expects a path starting with /, got "${path}"`);
  const server = createServer(createEchoHandler({ path, anyPath: Boolean(options.anyPath), headers: options.header ?? [] }));
  // Slow or idle clients must not hold the process: Node's defaults, made explicit.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound =
    typeof addr === 'object' && addr ? `${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}` : String(addr);
  out.write(`probe-server listening on http://${bound} (echo: ${options.anyPath ? 'every path' : `*${path}`})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return EXIT.ok;
}

export function register(program: Command, done: Done): void {
  program
    .command('probe-server')
    .description('serve the echo handler: what auth headers reach this server (fingerprints, never tokens)')
    .requiredOption('-p, --port <port>', 'port to listen on (0: any free port)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--path <suffix>', 'echo path suffix (any prefix before it works)', DEFAULT_ECHO_PATH)
    .option('--any-path', 'answer the echo on every path')
    .option('--header <name>', 'custom header the API reads tokens from (repeatable)', collect)
    .addHelpText('after', HELP)
    .action(async (flags: ProbeServerOptions) => done(await probeServerCommand(flags)));
}
