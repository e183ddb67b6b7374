/**
 * Triage speed and memory (issue 13): a generated NDJSON log of about
 * 600-byte lines carrying HS256 tokens (0.5 % malformed), read by
 * - a bare JSON.parse per line (the I/O ceiling: read, split, parse, nothing else),
 * - `triage` on one thread (decode + classify every line, diagnose each distinct token),
 * - `triage --workers 2`,
 * each in its own process so that its peak RSS is its own.
 *   npm run bench -- --triage [--lines 1000000]
 *   node --import tsx bench/triage.ts --lines 100000
 * Tokens come from a pool of TOKEN_POOL sessions (a log repeats a session's
 * token on each of its requests); malformed tokens are each distinct.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTriage } from '../src/triage/run_triage.ts';
import type { TriageSetup } from '../src/triage/prepare_context.ts';

const SECRET = 'bench-secret-of-at-least-32-bytes!!';
const NOW = 1_795_000_000;
const TOKEN_POOL = 2_000;
const MALFORMED_SHARE = 0.005;
export const DEFAULT_LINES = 1_000_000;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function hs256(payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'hs-2026' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

/** The session pool: mostly valid, some expiring half-way through the log, some for another audience. */
function tokenPool(): string[] {
  return Array.from({ length: TOKEN_POOL }, (_, i) =>
    hs256({
      iss: 'https://auth.example.com',
      aud: i % 17 === 0 ? 'web-staging' : 'web-prod',
      sub: `user-${i}`,
      azp: i % 3 === 0 ? 'mobile' : 'web',
      iat: NOW - 4000,
      exp: i % 10 === 0 ? NOW - 1800 : NOW + 3000,
    }),
  );
}

/** A line of about 600 bytes, as an access log of an API gateway writes it. */
function line(i: number, token: string): string {
  const time = new Date((NOW - 3600 + (i % 3600)) * 1000).toISOString();
  const trace = (i * 2654435761).toString(16).padStart(16, '0');
  return JSON.stringify({
    time,
    level: 'info',
    service: 'orders-api',
    instance: `orders-api-7f9c${i % 8}`,
    method: 'GET',
    route: `/v1/orders/${i % 50}`,
    status: 200,
    latency_ms: i % 97,
    trace_id: trace + trace,
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    authorization: `Bearer ${token}`,
    msg: 'request',
  });
}

/** Writes `n` lines to a file in `dir`; returns its path. */
export function generateLog(dir: string, n: number): string {
  const file = join(dir, 'access.ndjson');
  const fd = openSync(file, 'w');
  const pool = tokenPool();
  let buf = '';
  for (let i = 0; i < n; i++) {
    const malformed = (i * 7919) % 1000 < MALFORMED_SHARE * 1000;
    // A malformed token: its header segment cut, so it is no longer a JSON object.
    const token = malformed ? `eyJhbGciOiJIUzI1NiIsInR5cCI6Ik${i}.${pool[i % TOKEN_POOL]!.split('.')[1]}.sig` : pool[i % TOKEN_POOL]!;
    buf += line(i, token) + '\n';
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return file;
}

export function benchSetup(): TriageSetup {
  return {
    expectations: {
      name: 'prod',
      issuer: ['https://auth.example.com'],
      audience: ['web-prod'],
      algorithms: ['HS256'],
      keys: [{ secret: { value: SECRET, encoding: 'utf8' } }],
    },
    timeoutMs: 5000,
    now: NOW,
    maxLineBytes: 256 * 1024,
    bucketSeconds: 60,
  };
}

async function bareJsonParse(file: string): Promise<number> {
  let carry = '';
  let n = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (carry + (chunk as string)).split('\n');
    carry = parts.pop()!;
    for (const p of parts) if (p.length > 0 && JSON.parse(p)) n++;
  }
  return n;
}

export interface TriageBenchRow {
  mode: string;
  lines: number;
  seconds: number;
  linesPerSecond: number;
  /** Lines per second of CPU time (user + system, every thread): what a loaded machine still measures fairly. */
  linesPerCpuSecond: number;
  peakRssMb: number;
}

const MODES = ['json-parse', 'triage', 'triage-workers-2'] as const;

/** Child mode: one measurement, one JSON row on stdout, then exit. */
export async function runTriageBenchChildIfAsked(): Promise<void> {
  const i = process.argv.indexOf('--triage-child');
  if (i < 0) return;
  const mode = process.argv[i + 1] as (typeof MODES)[number];
  const file = process.argv[i + 2]!;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const lines =
    mode === 'json-parse'
      ? await bareJsonParse(file)
      : (
          await runTriage({
            setup: benchSetup(),
            inputs: [{ name: file }],
            workers: mode === 'triage' ? 1 : 2,
            analysis: { retiredKids: [] },
          })
        ).lines.read;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const row: TriageBenchRow = {
    mode,
    lines,
    seconds: +seconds.toFixed(2),
    linesPerSecond: Math.round(lines / seconds),
    linesPerCpuSecond: Math.round(lines / cpuSeconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(row) + '\n');
  process.exit(0);
}

/** Generates the log, measures each mode in its own process, removes the log. */
export function runTriageBench(lines = DEFAULT_LINES): { rows: TriageBenchRow[]; fileMb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-triage-bench-'));
  try {
    const file = generateLog(dir, lines);
    const fileMb = Math.round(statSync(file).size / 1e6);
    const rows = MODES.map((mode) => {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--triage-child', mode, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`triage bench ${mode} failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as TriageBenchRow;
    });
    return { rows, fileMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTriageBench(b: { rows: TriageBenchRow[]; fileMb: number }): string {
  const single = b.rows.find((r) => r.mode === 'triage')?.linesPerSecond ?? 0;
  const out = [
    `${b.rows[0]?.lines ?? 0} NDJSON lines (${b.fileMb} MB, HS256 tokens from ${TOKEN_POOL} sessions, ${MALFORMED_SHARE * 100} % malformed). Targets: triage >= 150k lines/s, --workers 2 >= 1.8x, peak RSS < 200 MB.`,
    '',
    '| mode | lines/s | x triage | seconds | lines per CPU-second | peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
    ...b.rows.map(
      (r) =>
        `| ${r.mode} | ${r.linesPerSecond.toLocaleString('en-US')} | ${single > 0 ? (r.linesPerSecond / single).toFixed(2) : '-'} | ${r.seconds} | ${r.linesPerCpuSecond.toLocaleString('en-US')} | ${r.peakRssMb} MB |`,
    ),
  ];
  return out.join('\n') + '\n';
}

export function linesFromArgs(argv: readonly string[]): number {
  const i = argv.indexOf('--lines');
  const n = i >= 0 ? Number(argv[i + 1]) : DEFAULT_LINES;
  if (!Number.isInteger(n) || n < 1) throw new Error('--lines expects a positive integer');
  return n;
}

if (process.argv[1] && /bench[\\/]triage\.ts$/.test(process.argv[1])) {
  await runTriageBenchChildIfAsked();
  process.stdout.write(formatTriageBench(runTriageBench(linesFromArgs(process.argv))));
}
