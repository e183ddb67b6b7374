#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { EXIT } from '../errors.ts';
import type { CommandModule, Done } from './command.ts';
import { packageRoot } from './package_root.ts';
import { commanderErrorWriter, handleError, readErrorOutput, type ErrorOutput } from './report_error.ts';

/**
 * The command registry: name, one-line summary, and a lazy loader, so
 * `jwt-doctor decode` never loads the HTTP or metrics code. Each command
 * module exports a typed command function returning its exit code and
 * `register(program, done)`, which declares its flags and hands that code to
 * `done`; only this module sets process.exitCode.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  decode: { summary: 'decode a token without trusting it (header, claims, times)', load: () => import('./commands/decode.ts') },
  diagnose: {
    summary: 'check a token against an environment: claim delta, reason codes, fixes',
    load: () => import('./commands/diagnose.ts'),
  },
  match: { summary: 'evaluate a token against every environment of the contract', load: () => import('./commands/match.ts') },
  explain: {
    summary: "translate another verifier's error message (Envoy, jose, .NET IDX, Spring, go-oidc, ...) into a reason code, owner and fix",
    load: () => import('./commands/explain.ts'),
  },
  demo: {
    summary: 'reproduce, diagnose, fix and check a staging failure on a local replica (npm start)',
    load: () => import('./commands/demo.ts'),
  },
  probe: {
    summary: 'send one token to every API route: status, reason, header fate through the gateway, route drift',
    load: () => import('./commands/probe.ts'),
  },
  'probe-server': {
    summary: 'serve the echo handler: which auth headers arrive (fingerprints, never tokens)',
    load: () => import('./commands/probe-server.ts'),
  },
  clock: {
    summary: "offset of the issuer's and API's clocks (HTTP Date) against the contract tolerance",
    load: () => import('./commands/clock.ts'),
  },
  keys: { summary: 'inspect a key set (JWKS URL, issuer, file, environment): rows and warnings', load: () => import('./commands/keys.ts') },
  rotation: { summary: 'key rotation: check caches, prove overlap, retirement checklist', load: () => import('./commands/rotation.ts') },
  drift: { summary: 'two environments side by side, including which keys each trusts', load: () => import('./commands/drift.ts') },
  drill: {
    summary: 'quarterly auth drills against a target verifier: rotation, clock skew, header stripping, forged-token attacks',
    load: () => import('./commands/drill.ts'),
  },
  contract: { summary: 'contract tools: diff two contracts into rollout notes', load: () => import('./commands/contract.ts') },
  policy: {
    summary: 'an environment against its lifecycle policy: lifetime, refresh window, tolerance, key age, revocation',
    load: () => import('./commands/policy.ts'),
  },
  mint: {
    summary: "mint a token as an environment's signer would, valid or with exactly one fault",
    load: () => import('./commands/mint.ts'),
  },
  token: {
    summary: "obtain a fresh token from the environment's token source (client_credentials, refresh_token, command, static, mint)",
    load: () => import('./commands/token.ts'),
  },
  triage: {
    summary: 'aggregate auth failures across logs, Prometheus or merged reports: reasons, kids, routes, clients over time',
    load: () => import('./commands/triage.ts'),
  },
  check: {
    summary:
      'post-fix validation: a fresh token through signature, issuer, audience, lifetime, clock skew, propagation, isolation, refresh',
    load: () => import('./commands/check.ts'),
  },
  runbook: {
    summary: "the environment's debug runbook as Markdown: the exact jwt-doctor commands in the guide's order, owners, reason codes",
    load: () => import('./commands/runbook.ts'),
  },
  ui: {
    summary: 'a local jwt.io that knows the contract: paste a token, see the claim delta (127.0.0.1 only)',
    load: () => import('./commands/ui.ts'),
  },
};

export const EXAMPLES = `
Examples:
  $ jwt-doctor decode "$TOKEN"
  $ jwt-doctor diagnose "$TOKEN" --env staging
  $ pbpaste | jwt-doctor diagnose - --env staging --format markdown --sanitize
  $ jwt-doctor diagnose "$TOKEN" --iss https://auth.example.com --aud web-prod --jwks-url https://auth.example.com/.well-known/jwks.json
  $ jwt-doctor match "$TOKEN" --contract auth-contract.yaml

Exit codes: 0 valid, 1 the token fails, 2 usage or contract error, 70 unexpected error.`;

let pipeGuard = false;
/** `jwt-doctor --help | head`: a reader that closes early is not an error (no EPIPE stack trace). */
function guardClosedPipes(): void {
  if (pipeGuard) return;
  pipeGuard = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw e;
    });
  }
}

/**
 * Runs the CLI on `argv` (without node and the script) and returns the exit
 * code; errors are printed here, never thrown.
 *
 * @example process.exitCode = await main(['decode', token, '--format', 'json']);
 */
export async function main(argv: string[]): Promise<number> {
  guardClosedPipes();
  const { args, output } = readErrorOutput(helpAlias(argv));
  if (process.env.JWT_DOCTOR_DEBUG) output.debug = true;
  let code: number = EXIT.ok;
  try {
    const program = await buildProgram(args, output, (c) => (code = c));
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (e) {
    return handleError(e, output);
  }
}

/** The program with the command named in `args` loaded (every command's summary otherwise). */
async function buildProgram(args: string[], output: ErrorOutput, done: Done): Promise<Command> {
  const program = new Command('jwt-doctor')
    .description('Find out why a JWT that works locally is rejected in staging.')
    .version(packageVersion())
    // Read before parsing (readErrorOutput), declared here for --help.
    .option('--debug', 'on an unexpected error, print the stack trace')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    // A usage error is one line saying what to fix (commander's own errors included).
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: commanderErrorWriter(output) });
  const name = args[0];
  if (name !== undefined && Object.hasOwn(COMMANDS, name)) {
    (await COMMANDS[name]!.load()).register(program, done);
  } else {
    for (const [cmd, { summary }] of Object.entries(COMMANDS)) program.command(cmd).description(summary);
  }
  return program;
}

/** `jwt-doctor help diagnose` is `jwt-doctor diagnose --help` (the full help needs the command loaded). */
function helpAlias(argv: string[]): string[] {
  return argv[0] === 'help' && argv[1] !== undefined && Object.hasOwn(COMMANDS, argv[1]) ? [argv[1], '--help'] : argv;
}

/** The installed package's version, from its package.json (one small file read). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export { handleError };

/**
 * True when this module is the program node started: `node dist/cli.js`,
 * the npm bin link to it (a symlink, hence realpath), or
 * `node --import tsx src/cli/main.ts`; false when imported (tests, benchmarks).
 */
function isMainModule(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.exitCode = handleError(e);
    },
  );
}
