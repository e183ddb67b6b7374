/** Stopping a real server a test started (nginx, redis-server): SIGTERM, SIGKILL after 5 s, then its temporary folder. */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Stops `child` (if it still runs) and removes `dir`. */
export async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}
