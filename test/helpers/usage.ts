/**
 * Shared fixtures of the usage-error tests (test/cli/usage_errors*.test.ts):
 * an HS256 token and its secret, a token file, a contract whose local
 * environment reads its secret from a variable, a loopback HTTP server,
 * and the assertion that a CLI run is a usage error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, hasStackTrace, type CliResult } from './cli.ts';
import { claimsAt, makeKey, signJws } from './mint.ts';
import { startServer, type TestServer } from './http_server.ts';

import { NOW, NOW_ISO } from './clock.ts';

export { NOW, NOW_ISO };
export const SECRET = 'usage-error-secret-0123456789abcdef';

export interface UsageFixtures {
  dir: string;
  token: string;
  tokenFile: string;
  contract: string;
  server: TestServer;
  /** Inline expectations the token meets (with --secret SECRET). */
  inline: string[];
}

/** Creates the fixtures for one test file (removed after it). */
export function usageFixtures(): UsageFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-usage-errors-'));
  const hs = makeKey('HS256', { secret: Buffer.from(SECRET) });
  const token = signJws(hs, claimsAt(NOW, { iss: 'https://auth.example.com', aud: 'api' }));
  const tokenFile = join(dir, 'token.jwt');
  writeFileSync(tokenFile, `${token}\n`);
  writeFileSync(join(dir, 'secret.txt'), SECRET); // no newline: a secret file is read raw
  writeFileSync(join(dir, 'empty.jwt'), '\n');
  mkdirSync(join(dir, 'folder'));
  const contract = join(dir, 'contract.yaml');
  writeFileSync(
    contract,
    [
      'version: 1',
      'environments:',
      '  local:',
      '    issuer: https://auth.example.com',
      '    audience: api',
      '    algorithms: [HS256]',
      '    keys: [{ secret: { env: JWT_DOCTOR_TEST_SECRET, encoding: utf8 } }]',
      '  other:',
      '    issuer: https://other.example.com',
      '    algorithms: [HS256]',
      `    keys: [{ secret: { file: ${join(dir, 'secret.txt')} } }]`,
      '',
    ].join('\n'),
  );
  let server: TestServer | undefined;
  const f = {
    dir,
    token,
    tokenFile,
    contract,
    /** The loopback server, started in `before`: read it inside a test. */
    get server(): TestServer {
      if (server === undefined) throw new Error('the usage fixture server starts in before(): read f.server inside a test');
      return server;
    },
    inline: ['--iss', 'https://auth.example.com', '--aud', 'api', '--alg', 'HS256', '--now', NOW_ISO],
  };
  test.before(async () => {
    server = await startServer({ '/ok': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') });
  });
  test.after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return f;
}

/** Exit 2, one line on stderr, no stack trace, no report on stdout. */
export function assertUsage(r: CliResult, args: readonly string[], mentions: readonly string[] = []): void {
  const what = `${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.code, 2, what);
  assert.equal(r.stdout, '', `no token finding on stdout: ${what}`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${what}`);
  assert.equal(hasStackTrace(r.stderr), false, what);
  assert.doesNotMatch(r.stderr, /unexpected error/, what);
  for (const m of mentions) assert.ok(r.stderr.includes(m), `stderr names ${m}: ${what}`);
}

/** Runs the CLI and asserts a usage error naming each of `mentions`. */
export async function usage(args: string[], mentions: readonly string[] = [], options: Parameters<typeof runCli>[1] = {}): Promise<void> {
  assertUsage(await runCli(args, options), args, mentions);
}

/** Runs independent CLI cases a few at a time (the machine has 2 cores). */
export async function inBatches(cases: (() => Promise<void>)[], size = 4): Promise<void> {
  for (let i = 0; i < cases.length; i += size) await Promise.all(cases.slice(i, i + size).map((c) => c()));
}
