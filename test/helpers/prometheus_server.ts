/**
 * A real Prometheus (Debian package prometheus, installed by scripts/test.sh)
 * on 127.0.0.1, a free port and a temp TSDB, scraping the given targets
 * every second. No remote write or read, no lifecycle API. Stopped by `close()`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './process.ts';
import { freePort } from './redis_server.ts';

export const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus', '/usr/sbin/prometheus'].find((p) => existsSync(p));

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The scrape job every test target is in (its `job` label). */
export const SCRAPE_JOB = 'jwt-doctor-test';

/** A scrape config for `targets` (host:port), 1 s interval, path /metrics. */
function scrapeConfig(targets: string[]): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    `  - job_name: ${SCRAPE_JOB}`,
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n');
}

/** Resolves when GET /-/ready answers 200; rejects at the deadline or when the process exits. */
async function waitReady(url: string, exited: () => boolean, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (exited()) throw new Error('prometheus exited');
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`prometheus was not ready on ${url} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts prometheus scraping `targets` ("127.0.0.1:PORT" each) every second.
 *
 * @example const prom = await startPrometheus(['127.0.0.1:4001']); ... await prom.close();
 */
export async function startPrometheus(targets: string[]): Promise<RunningPrometheus> {
  if (!PROMETHEUS)
    throw new Error(
      'prometheus is not installed: install the Debian package "prometheus" (scripts/test.sh does this); the fleet-view tests need a real Prometheus',
    );
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, scrapeConfig(targets));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ];
  const child = spawn(PROMETHEUS, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const close = () => stopChild(child, dir);
  try {
    await waitReady(url, () => child.exitCode !== null, 30_000);
  } catch (e) {
    await close();
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return { url, port, close };
}

/**
 * Polls an instant query until `done(result)` holds (the scrapes a test waits
 * for have landed), with a deadline instead of a fixed sleep.
 */
export async function waitForQuery(
  prom: RunningPrometheus,
  query: string,
  done: (result: Array<{ metric: Record<string, string>; value: [number, string] }>) => boolean,
  deadlineMs = 30_000,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last: string;
  for (;;) {
    const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(query)}`);
    last = await res.text();
    const body = JSON.parse(last) as { data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (done(body.data?.result ?? [])) return;
    if (Date.now() > until) throw new Error(`query ${query} did not reach the expected state within ${deadlineMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Prometheus's own clock (UNIX seconds): the `now` a query over its data is evaluated at. */
export async function prometheusTime(prom: RunningPrometheus): Promise<number> {
  const res = await fetch(`${prom.url}/api/v1/query?query=time()`);
  const body = (await res.json()) as { data: { result: [number, string] } };
  return Number(body.data.result[1]);
}
