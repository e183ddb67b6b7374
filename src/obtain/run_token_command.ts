import { spawn } from 'node:child_process';

/** Output cap of a token command (a JWT is a few KB; a JSON token response a little more). */
export const DEFAULT_COMMAND_MAX_BYTES = 64 * 1024;

export type CommandResult =
  | { ok: true; stdout: string; latencyMs: number }
  | {
      ok: false;
      error: 'not_found' | 'exit_status' | 'timeout' | 'too_large' | 'spawn_failed';
      message: string;
      exitCode?: number;
      latencyMs: number;
    };

/**
 * Runs a token command with a hard timeout and a bounded output. An argv
 * list runs without a shell (nothing in it is interpreted); a string runs
 * as `sh -c STRING` (the contract is trusted input, like a Makefile). The
 * command runs in its own process group, killed whole on timeout, so a
 * grandchild holding stdout cannot make it hang. stderr is counted, never
 * kept (it may print secrets).
 *
 * @example await runTokenCommand(['gcloud', 'auth', 'print-identity-token'], { timeoutMs: 5000, cwd: contract.baseDir })
 */
export function runTokenCommand(
  command: string[] | string,
  options: { timeoutMs: number; maxBytes?: number; cwd?: string },
): Promise<CommandResult> {
  const [file, args] = typeof command === 'string' ? ['/bin/sh', ['-c', command]] : [command[0]!, command.slice(1)];
  const maxBytes = options.maxBytes ?? DEFAULT_COMMAND_MAX_BYTES;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    });
    const finish = (r: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.pid !== undefined) killGroup(child.pid);
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: 'timeout', message: `no exit within ${options.timeoutMs} ms`, latencyMs: elapsed() }),
      options.timeoutMs,
    );
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size > maxBytes)
        finish({ ok: false, error: 'too_large', message: `output exceeds the ${maxBytes}-byte cap`, latencyMs: elapsed() });
      else chunks.push(b);
    });
    child.stderr.resume();
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        error: e.code === 'ENOENT' ? 'not_found' : 'spawn_failed',
        message: e.code === 'ENOENT' ? `command not found: ${file}` : `cannot start ${file}: ${e.code ?? e.message}`,
        latencyMs: elapsed(),
      }),
    );
    child.on('close', (code, signal) => {
      if (code === 0) finish({ ok: true, stdout: Buffer.concat(chunks).toString('utf8'), latencyMs: elapsed() });
      else
        finish({
          ok: false,
          error: 'exit_status',
          message: signal ? `killed by ${signal}` : `exit status ${code ?? '?'}`,
          ...(code !== null ? { exitCode: code } : {}),
          latencyMs: elapsed(),
        });
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
