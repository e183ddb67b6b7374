/**
 * CLI startup benchmark (issue 9): wall time of one `jwt-doctor` process
 * from spawn to exit, for the built CLI (dist/cli.js, what `npm i -g` and
 * `npx` run), against `node -e 0`. Contenders alternate within every round
 * (the order rotates each round) so that machine noise hits all alike;
 * reported are medians, the interquartile range, and the median of the
 * per-round ratios to `node -e 0`.
 *
 *   npm run bench -- --startup                 (20 rounds)
 *   node --import tsx bench/startup.ts --rounds 40
 *
 * Targets: decode <= 2x `node -e 0`, diagnose with a local contract <= 3x.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/cli/package_root.ts';

// The repository root, found from this file: the same answer under tsx
// (bench/) and when scripts/bench.mjs runs a compiled copy (bench/.out/...).
const ROOT = packageRoot(fileURLToPath(import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const NOW = '2026-11-28T12:05:00Z';
const WARMUP_ROUNDS = 2;

interface Contender {
  name: string;
  args: string[];
  /** The exit code of a correct run: a contender that errors out early would measure nothing. */
  exit: number;
}

export interface StartupRow {
  name: string;
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  /** Median over rounds of (this contender's time / node -e 0's time in the same round). */
  ratio: number;
}

function contenders(): Contender[] {
  const token = readFileSync(join(ROOT, 'examples/tokens/local-login.jwt'), 'utf8').trim();
  const cli = (...args: string[]) => [CLI, ...args];
  return [
    { name: 'node -e 0', args: ['-e', '0'], exit: 0 },
    { name: 'jwt-doctor --version', args: cli('--version'), exit: 0 },
    { name: 'jwt-doctor decode TOKEN', args: cli('decode', token, '--now', NOW), exit: 0 },
    {
      name: 'jwt-doctor diagnose TOKEN --contract examples/auth-contract.yaml --env staging',
      args: cli('diagnose', token, '--contract', 'examples/auth-contract.yaml', '--env', 'staging', '--now', NOW),
      exit: 1, // claim_mismatch: the bundled example's point
    },
    {
      name: 'jwt-doctor diagnose TOKEN --key examples/keys/staging.jwks.json (inline, no contract)',
      args: cli(
        'diagnose',
        token,
        '--key',
        'examples/keys/staging.jwks.json',
        '--iss',
        'https://auth.staging.example.com',
        '--aud',
        'web-staging',
        '--alg',
        'RS256',
        '--now',
        NOW,
      ),
      exit: 0,
    },
  ];
}

/** One process, spawn to exit, in milliseconds. */
function timeOnce(c: Contender): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== c.exit) throw new Error(`${c.name}: exit ${r.status}, expected ${c.exit}: ${r.stderr.toString().trim()}`);
  return ms;
}

const quantile = (sorted: number[], q: number): number => {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo]! + (sorted[Math.ceil(i)]! - sorted[lo]!) * (i - lo);
};
const median = (xs: number[]): number =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** Runs every contender once per round, rotating the order, and summarizes. */
export function runStartupBench(rounds = 20): StartupRow[] {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
  const list = contenders();
  const times: number[][] = list.map(() => []);
  for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
    for (let k = 0; k < list.length; k++) {
      const i = (k + round) % list.length;
      const ms = timeOnce(list[i]!);
      if (round >= WARMUP_ROUNDS) times[i]!.push(ms);
    }
  }
  const base = times[0]!;
  return list.map((c, i) => {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    return {
      name: c.name,
      medianMs: quantile(sorted, 0.5),
      p25Ms: quantile(sorted, 0.25),
      p75Ms: quantile(sorted, 0.75),
      ratio: median(times[i]!.map((t, r) => t / base[r]!)),
    };
  });
}

export function formatStartupBench(rows: StartupRow[], rounds: number): string {
  const lines = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. ${rounds} rounds (after ${WARMUP_ROUNDS} warm-up rounds), contenders alternating; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end.`,
    '',
    '| command | median ms | p25-p75 ms | vs `node -e 0` (median of per-round ratios) |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) => `| \`${r.name}\` | ${r.medianMs.toFixed(1)} | ${r.p25Ms.toFixed(1)}-${r.p75Ms.toFixed(1)} | ${r.ratio.toFixed(2)}x |`,
    ),
  ];
  return lines.join('\n') + '\n';
}

/** `--rounds N` from the command line, default 20. */
export function roundsFromArgs(argv: readonly string[]): number {
  const i = argv.indexOf('--rounds');
  const n = i >= 0 ? Number(argv[i + 1]) : 20;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds expects a positive integer, got "${argv[i + 1]}"`);
  return n;
}

const isMain = process.argv[1] !== undefined && /bench[\\/]startup\.ts$/.test(process.argv[1]);
if (isMain) {
  const rounds = roundsFromArgs(process.argv);
  process.stdout.write(formatStartupBench(runStartupBench(rounds), rounds));
}
