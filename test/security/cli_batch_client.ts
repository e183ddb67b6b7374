/**
 * Spawns test/security/cli_batch.ts (tsx, like test/helpers/cli.ts runCli)
 * with a list of argv lists: one process runs them all through the CLI's
 * main(), so a matrix of CLI invocations costs one Node start-up.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BatchResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** @example const [r] = await runCliBatch([['decode', '--token-file', 't.txt']], dir); r.code === 0 */
export function runCliBatch(argvs: string[][], cwd: string, env: Record<string, string> = {}): Promise<BatchResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('cli_batch.ts', import.meta.url))],
      {
        cwd,
        env: { ...process.env, NO_COLOR: '1', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cli_batch exited ${code}: ${stderr}`));
      resolve(JSON.parse(stdout) as BatchResult[]);
    });
    child.stdin.end(JSON.stringify(argvs));
  });
}
