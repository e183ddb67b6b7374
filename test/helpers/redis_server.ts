/**
 * A real redis-server (Debian package redis-server, installed by
 * scripts/test.sh) on 127.0.0.1, a free port and a temp dir, no
 * persistence (`--save '' --appendonly no`). Stopped by `close()`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './process.ts';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'].find((p) => existsSync(p));

export interface RunningRedis {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's pick, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Resolves when redis answers PING with PONG (NOAUTH counts: it is up). */
function waitForRedis(port: number, exited: () => boolean, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (exited()) return reject(new Error('redis-server exited'));
      const sock = connect(port, '127.0.0.1');
      const retry = () => {
        sock.destroy();
        if (Date.now() > until) reject(new Error(`redis-server did not answer on ${port} within ${deadlineMs} ms`));
        else setTimeout(attempt, 50);
      };
      sock.once('connect', () => sock.write('PING\r\n'));
      sock.once('data', (d: Buffer) => {
        sock.destroy();
        if (/^(\+PONG|-NOAUTH)/.test(d.toString())) resolve();
        else retry();
      });
      sock.once('error', retry);
    };
    attempt();
  });
}

export async function startRedis(options: { password?: string } = {}): Promise<RunningRedis> {
  if (!REDIS_SERVER)
    throw new Error(
      'redis-server is not installed: install the Debian package "redis-server" (scripts/test.sh does this); the revocation tests need a real Redis',
    );
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
  ];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const close = () => stopChild(child, dir);
  try {
    await waitForRedis(port, () => child.exitCode !== null, 10_000);
  } catch (e) {
    await close();
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return { port, url: `redis://127.0.0.1:${port}`, close };
}
