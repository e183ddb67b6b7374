/**
 * Runs the real CLI as a subprocess (node --import tsx src/cli/main.ts),
 * cwd = the repository, and collects stdout, stderr and the exit code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
// tsx's loader by absolute URL, so the CLI also runs with another cwd.
const TSX = import.meta.resolve('tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** @example const r = await runCli(['decode', token]); r.code === 0 (options.cwd defaults to the repository) */
export function runCli(
  args: string[],
  options: {
    input?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
    /** Another entry script, relative to the repository (default src/cli/main.ts). */ entry?: string;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, ['--import', TSX, `${REPO}${options.entry ?? 'src/cli/main.ts'}`, ...args], {
      cwd: options.cwd ?? REPO,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** True when stderr carries a stack trace ("    at fn (file:line)"). */
export const hasStackTrace = (s: string): boolean => /^\s{4}at /m.test(s);

/** The seed guide's claim-delta report: the first six lines of `diagnose` on the bundled example against staging. */
export const SEED_LINES: readonly string[] = [
  'iss_token = https://auth.staging.example.com',
  'iss_expected = https://auth.example.com',
  'aud_token = web-staging',
  'aud_expected = web-prod',
  'signature = pass',
  'result = claim_mismatch',
];
