/**
 * Middleware benchmark (issue 3):
 *   1. per-token cost: the verifier's request path vs the prepared diagnoser it wraps (target: within 10%);
 *   2. requests/s of node:http, Express and Fastify servers with no auth, jwt-doctor's middleware
 *      (defaults) and each peer at its best (jose with every request's verification in flight,
 *      express-jwt with a KeyObject, fast-jwt, @fastify/jwt), under autocannon on 127.0.0.1, RS256 and
 *      ES256; contenders alternate over repeated rounds; medians with their spread;
 *   3. RSS over 1M calls of the verifier's request path (valid tokens mixed with attacker-chosen kids),
 *      and over a real-HTTP run, sampled at intervals.
 *
 *   node --import tsx bench/middleware.ts            (prints Markdown)
 *   node --import tsx bench/middleware.ts --write    (also writes bench/middleware-results.md)
 *   node --import tsx bench/middleware.ts --quick    (short run, for a smoke check)
 *   npm run bench -- --middleware [--quick]          (compiled, as BENCHMARKS.md is produced)
 * Environment, for development on a busy machine: JWT_BENCH_ONLY=node-jwt-doctor,node-jose (a subset
 * of the variants in bench/middleware-server.ts), JWT_BENCH_ROUNDS, JWT_BENCH_SECONDS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/cli/package_root.ts';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { Registry } from 'prom-client';
import { buildDiagnoser } from '../src/diagnose.ts';
import { importJwk } from '../src/keys/import.ts';
import { createVerifier, type LoggerLike } from '../src/middleware/index.ts';
import type { BenchServerConfig } from './middleware-server.ts';

const ISS = 'https://auth.bench.example.com';
const AUD = 'api-bench';
// The repository root, found from this file: the same answer under tsx
// (bench/) and when scripts/bench.mjs runs a compiled copy (bench/.out/...).
const ROOT = packageRoot(fileURLToPath(import.meta.url));
// scripts/bench.mjs compiles the server next to this file: run it with plain
// node then, so both sides of the HTTP benchmark run compiled code.
const COMPILED_SERVER = fileURLToPath(new URL('./middleware-server.js', import.meta.url));

export interface MiddlewareBenchOptions {
  quick?: boolean;
  /** Print Markdown as results come (default true). */
  print?: boolean;
}

export interface HttpRow {
  alg: 'RS256' | 'ES256';
  framework: 'node:http' | 'express' | 'fastify';
  auth: string;
  /** Median over the rounds, then the lowest and highest round. */
  requestsPerSec: number;
  minRequestsPerSec: number;
  maxRequestsPerSec: number;
  rounds: number[];
  latencyP99Ms: number;
  /** Median server CPU per request (µs): all threads, and the event-loop thread alone. */
  serverCpuUsPerRequest: number;
  eventLoopCpuUsPerRequest: number;
  non2xx: number;
  errors: number;
}

/** jwt-doctor (defaults) against the best peer of the same framework, per round. */
export interface LeadRow {
  alg: 'RS256' | 'ES256';
  framework: HttpRow['framework'];
  bestPeer: string;
  /** Median of per-round ratios (jwt-doctor req/s / the round's best peer req/s), with min and max. */
  ratio: number;
  minRatio: number;
  maxRatio: number;
}

export interface RssSample {
  calls: number;
  rssMiB: number;
  rssAfterGcMiB: number;
  heapUsedMiB: number;
}

export interface MiddlewareBenchResult {
  machine: string;
  date: string;
  perToken: { diagnoserOpsPerSec: number; verifierOpsPerSec: number; ratio: number; pairs: number };
  loadAverage: { start: number[]; end: number[] };
  http: HttpRow[];
  lead: LeadRow[];
  rssInProcess: RssSample[];
  rssHttp: { seconds: number; requests: number; rssMiB: number }[];
  httpRssRequests: number;
  seriesAfterRss: number;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function makeToken(privateKey: KeyObject, now: number, i: number, kid = 'k1'): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ iss: ISS, aud: AUD, sub: `user-${i}`, jti: randomBytes(8).toString('hex'), iat: now - 60, exp: now + 3600 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

function machine(): string {
  const mem = readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1];
  return `${cpus()[0]?.model ?? 'unknown CPU'}, nproc ${cpus().length}, ${mem ? Math.round(Number(mem) / 2 ** 20) : Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

async function perTokenCost(quick: boolean) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
  const now = 1_800_000_000;
  const tokens = Array.from({ length: 1000 }, (_, i) => makeToken(privateKey, now, i));
  const expectations = { name: 'bench', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], clockToleranceSeconds: 5 };
  const diagnoser = buildDiagnoser(expectations, { keys: [importJwk(jwk, { kind: 'jwk' })] });
  // The synchronous path: this measures the per-token CPU cost, one token at a time (no thread hop).
  const verifier = createVerifier(
    { ...expectations, keys: [{ jwk }] },
    { registry: new Registry(), logger: false, now: () => now, offloadSignatures: false },
  );
  await verifier.ready();
  const headers = tokens.map((t) => ({ authorization: `Bearer ${t}` }));
  for (let i = 0; i < 20; i++) {
    if (diagnoser.diagnose(tokens[i]!, { now }).result !== 'valid') throw new Error('bench token not valid for the diagnoser');
    if (!(await verifier.verify({ headers: headers[i]!, route: '/orders/:id' })).ok)
      throw new Error('bench token not valid for the verifier');
  }
  // Paired batches (1000 tokens each, diagnoser then verifier, alternating):
  // on a shared machine, load changes between seconds, not between two
  // back-to-back 30 ms batches, so the per-pair ratio is the robust number.
  const batchDiag = () => {
    const t0 = performance.now();
    for (let i = 0; i < tokens.length; i++) diagnoser.diagnose(tokens[i]!, { now });
    return performance.now() - t0;
  };
  const batchVerifier = async () => {
    const t0 = performance.now();
    for (let i = 0; i < headers.length; i++) await verifier.verify({ headers: headers[i]!, route: '/orders/:id' });
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) {
    batchDiag();
    await batchVerifier();
  }
  const d: number[] = [];
  const v: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < (quick ? 20 : 100); r++) {
    const a = batchDiag();
    const b = await batchVerifier();
    d.push((tokens.length / a) * 1000);
    v.push((tokens.length / b) * 1000);
    ratios.push(a / b);
  }
  verifier.close();
  return { diagnoserOpsPerSec: median(d), verifierOpsPerSec: median(v), ratio: median(ratios), pairs: ratios.length };
}

interface Child {
  proc: ChildProcess;
  port: number;
}

/** Asks the server (SIGUSR2) for a full GC and its memory figures. */
function memoryAfterGc(c: Child): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no MEM answer within 5 s')), 5000);
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString();
      const m = /MEM (\{[^\n]*\})\n/.exec(buf);
      if (!m) return;
      clearTimeout(timer);
      c.proc.stdout!.off('data', onData);
      resolve(JSON.parse(m[1]!) as { rss: number; heapUsed: number });
    };
    c.proc.stdout!.on('data', onData);
    c.proc.kill('SIGUSR2');
  });
}

async function startServer(config: BenchServerConfig): Promise<Child> {
  const args = [
    '--expose-gc',
    ...(existsSync(COMPILED_SERVER) ? [COMPILED_SERVER] : ['--import', 'tsx', join(ROOT, 'bench/middleware-server.ts')]),
  ];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, JWT_BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server ${config.variant} did not start within 20 s`)), 20_000);
    let buf = '';
    proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /PORT (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server ${config.variant} exited with ${code}`));
    });
  });
  return { proc, port };
}

async function stopServer(c: Child): Promise<void> {
  if (c.proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => c.proc.once('exit', () => resolve()));
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

interface Contender {
  framework: HttpRow['framework'];
  auth: string;
  /** A comparison peer (not jwt-doctor, not the no-auth baseline). */
  peer: boolean;
}

const CONTENDERS: Contender[] = [
  { framework: 'node:http', auth: 'none', peer: false },
  { framework: 'node:http', auth: 'jwt-doctor', peer: false },
  { framework: 'node:http', auth: 'jwt-doctor-sync', peer: false },
  { framework: 'node:http', auth: 'jose', peer: true },
  { framework: 'node:http', auth: 'fast-jwt', peer: true },
  { framework: 'node:http', auth: 'express-jwt', peer: true },
  { framework: 'express', auth: 'none', peer: false },
  { framework: 'express', auth: 'jwt-doctor', peer: false },
  { framework: 'express', auth: 'express-jwt', peer: true },
  { framework: 'fastify', auth: 'none', peer: false },
  { framework: 'fastify', auth: 'jwt-doctor', peer: false },
  { framework: 'fastify', auth: 'fastify-jwt', peer: true },
];

// JWT_BENCH_ONLY=node-jwt-doctor,node-jose,... runs a subset (development on a busy machine); default all.
const ONLY = process.env.JWT_BENCH_ONLY?.split(',')
  .map((x) => x.trim())
  .filter(Boolean);
const selected = () => CONTENDERS.filter((c) => !ONLY || ONLY.includes(variantOf(c)));

const variantOf = (c: Contender) => `${c.framework === 'node:http' ? 'node' : c.framework}-${c.auth}`;

function keysFor(alg: 'RS256' | 'ES256') {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg };
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg, typ: 'JWT', kid: 'k1' })}.${b64({ iss: ISS, aud: AUD, sub: 'user-1', jti: randomBytes(8).toString('hex'), iat: now - 60, exp: now + 7200 })}`;
  const sig = sign('sha256', Buffer.from(input), alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
  return { jwk, publicPem, token: `${input}.${sig.toString('base64url')}` };
}

/** Every contender's server up at once (idle ones cost nothing), checked: a valid token 200, none 401. */
async function startContenders(
  list: Contender[],
  alg: 'RS256' | 'ES256',
  keys: ReturnType<typeof keysFor>,
): Promise<Map<Contender, Child>> {
  const children = new Map<Contender, Child>();
  for (const c of list) {
    const child = await startServer({ variant: variantOf(c), alg, jwk: keys.jwk, publicPem: keys.publicPem, iss: ISS, aud: AUD });
    children.set(c, child);
    const url = `http://127.0.0.1:${child.port}/orders/42`;
    const ok = await fetch(url, { headers: { authorization: `Bearer ${keys.token}` } });
    if (ok.status !== 200) throw new Error(`${variantOf(c)} ${alg}: a valid token got ${ok.status}`);
    if (c.auth !== 'none' && (await fetch(url)).status !== 401) throw new Error(`${variantOf(c)} ${alg}: no token was not rejected`);
  }
  return children;
}

interface Samples {
  rps: number[];
  p99: number[];
  /** Server CPU per request, µs: every thread of the process, and the event-loop thread alone. */
  cpuUs: number[];
  loopCpuUs: number[];
  non2xx: number;
  errors: number;
}

/** CPU seconds (user + system) of a process (all threads) or of one of its threads, from /proc (Linux). */
function cpuSeconds(pid: number, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime is the 14th field, stime the 15th (proc(5)).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

/** Rounds of every contender in turn; each round starts at another contender, so drift spreads evenly. */
async function measureRounds(
  list: Contender[],
  alg: 'RS256' | 'ES256',
  rounds: number,
  duration: number,
): Promise<Map<Contender, Samples>> {
  const keys = keysFor(alg);
  const children = await startContenders(list, alg, keys);
  const results = new Map<Contender, Samples>(list.map((c) => [c, { rps: [], p99: [], cpuUs: [], loopCpuUs: [], non2xx: 0, errors: 0 }]));
  try {
    const shoot = (c: Contender, seconds: number) =>
      autocannon({
        url: `http://127.0.0.1:${children.get(c)!.port}/orders/42`,
        connections: 32,
        duration: seconds,
        headers: { authorization: `Bearer ${keys.token}` },
      });
    for (const c of list) await shoot(c, 1); // warm-up (JIT)
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < list.length; k++) {
        const c = list[(k + r * 5) % list.length]!;
        const pid = children.get(c)!.proc.pid!;
        const [all0, loop0] = [cpuSeconds(pid), cpuSeconds(pid, pid)];
        const res = await shoot(c, duration);
        const acc = results.get(c)!;
        // CPU per request does not depend on how much CPU other processes left us: the load-robust figure.
        acc.cpuUs.push(((cpuSeconds(pid) - all0) / res.requests.total) * 1e6);
        acc.loopCpuUs.push(((cpuSeconds(pid, pid) - loop0) / res.requests.total) * 1e6);
        acc.rps.push(res.requests.average);
        acc.p99.push(res.latency.p99);
        acc.non2xx += res.non2xx;
        acc.errors += res.errors;
      }
    }
  } finally {
    await Promise.all([...children.values()].map(stopServer));
  }
  return results;
}

/** jwt-doctor (defaults) over the best peer of its framework, round by round. */
function leadOf(alg: 'RS256' | 'ES256', results: Map<Contender, Samples>): LeadRow[] {
  const out: LeadRow[] = [];
  const list = [...results.keys()];
  for (const framework of ['node:http', 'express', 'fastify'] as const) {
    const doctor = list.find((c) => c.framework === framework && c.auth === 'jwt-doctor');
    const peers = list.filter((c) => c.framework === framework && c.peer);
    if (!doctor || peers.length === 0) continue;
    const ratios = results.get(doctor)!.rps.map((d, r) => d / Math.max(...peers.map((p) => results.get(p)!.rps[r]!)));
    const best = peers.reduce((a, b) => (median(results.get(a)!.rps) >= median(results.get(b)!.rps) ? a : b));
    out.push({ alg, framework, bestPeer: best.auth, ratio: median(ratios), minRatio: Math.min(...ratios), maxRatio: Math.max(...ratios) });
  }
  return out;
}

async function httpBench(quick: boolean, log: (s: string) => void) {
  const rows: HttpRow[] = [];
  const lead: LeadRow[] = [];
  const rounds = Number(process.env.JWT_BENCH_ROUNDS ?? (quick ? 2 : 5));
  const duration = Number(process.env.JWT_BENCH_SECONDS ?? (quick ? 1 : 4));
  const list = selected();
  for (const alg of ['RS256', 'ES256'] as const) {
    const results = await measureRounds(list, alg, rounds, duration);
    for (const c of list) {
      const acc = results.get(c)!;
      const row: HttpRow = {
        alg,
        framework: c.framework,
        auth: c.auth,
        requestsPerSec: median(acc.rps),
        minRequestsPerSec: Math.min(...acc.rps),
        maxRequestsPerSec: Math.max(...acc.rps),
        rounds: acc.rps,
        latencyP99Ms: median(acc.p99),
        serverCpuUsPerRequest: median(acc.cpuUs),
        eventLoopCpuUsPerRequest: median(acc.loopCpuUs),
        non2xx: acc.non2xx,
        errors: acc.errors,
      };
      rows.push(row);
      log(
        `| ${alg} | ${row.framework} | ${row.auth} | ${fmt(row.requestsPerSec)} | ${fmt(row.minRequestsPerSec)}-${fmt(row.maxRequestsPerSec)} | ${row.latencyP99Ms} | ${fmt(row.serverCpuUsPerRequest)} | ${fmt(row.eventLoopCpuUsPerRequest)} | ${row.non2xx} | ${row.errors} |\n`,
      );
    }
    lead.push(...leadOf(alg, results));
  }
  return { rows, lead, rounds, duration, ...keysFor('RS256') };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A full GC between samples, so retained memory shows and garbage does not. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function rssInProcess(calls: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };
  const now = 1_800_000_000;
  const tokens = Array.from({ length: 1000 }, (_, i) => makeToken(privateKey, now, i));
  const registry = new Registry();
  let logged = 0;
  // A logger that serializes every record (the cost a real one pays) and drops it.
  const logger: LoggerLike = {
    warn: (o) => void (logged += JSON.stringify(o).length),
    info: (o) => void (logged += JSON.stringify(o).length),
  };
  // Synchronous path, so 1M sequential calls take seconds, not a thread hop each; the HTTP RSS run below uses the defaults.
  const verifier = createVerifier(
    { name: 'bench', issuer: [ISS], audience: [AUD], algorithms: ['RS256'], keys: [{ jwk }] },
    { registry, logger, now: () => now, offloadSignatures: false },
  );
  await verifier.ready();
  const sig = tokens[0]!.split('.')[2]!;
  const body = tokens[0]!.split('.')[1]!;
  const samples: RssSample[] = [];
  const every = calls / 10;
  const gc = exposeGc();
  const sample = (n: number) => {
    const before = process.memoryUsage().rss;
    gc();
    const m = process.memoryUsage();
    samples.push({ calls: n, rssMiB: mib(before), rssAfterGcMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed) });
  };
  sample(0);
  for (let i = 1; i <= calls; i++) {
    // 1 in 10: a token naming a never-seen kid (what an attacker sends): must not grow the label set.
    const token = i % 10 === 0 ? `${b64({ alg: 'RS256', kid: `attacker-${i}` })}.${body}.${sig}` : tokens[i % 1000]!;
    await verifier.verify({ headers: { authorization: `Bearer ${token}`, 'x-request-id': `r${i}` }, route: '/orders/:id' });
    if (i % every === 0) sample(i);
  }
  const series = (await registry.getMetricsAsJSON()).reduce((n, m) => n + m.values.length, 0);
  verifier.close();
  return { samples, series, logged };
}

async function rssHttp(requests: number, cfg: { jwk: Record<string, unknown>; publicPem: string; token: string }) {
  const child = await startServer({ variant: 'node-jwt-doctor', alg: 'RS256', jwk: cfg.jwk, publicPem: cfg.publicPem, iss: ISS, aud: AUD });
  const out: { seconds: number; requests: number; rssMiB: number; rssAfterGcMiB: number; heapUsedAfterGcMiB: number }[] = [];
  const start = performance.now();
  let done = 0;
  const sample = async () => {
    const rss = rssOf(child.proc.pid!);
    const m = await memoryAfterGc(child);
    out.push({
      seconds: Math.round((performance.now() - start) / 100) / 10,
      requests: done,
      rssMiB: mib(rss),
      rssAfterGcMiB: mib(m.rss),
      heapUsedAfterGcMiB: mib(m.heapUsed),
    });
  };
  try {
    await sample();
    const run = autocannon({
      url: `http://127.0.0.1:${child.port}/orders/42`,
      connections: 32,
      amount: requests,
      headers: { authorization: `Bearer ${cfg.token}` },
    });
    run.on('response', () => void done++);
    const timer = setInterval(() => void sample(), 5000);
    await run;
    clearInterval(timer);
    await sample();
  } finally {
    await stopServer(child);
  }
  return out;
}

/**
 * Runs the whole middleware benchmark and prints Markdown (the lead merges
 * it into BENCHMARKS.md).
 *
 * @example const result = await runMiddlewareBench({ quick: true });
 */
export async function runMiddlewareBench(options: MiddlewareBenchOptions = {}): Promise<MiddlewareBenchResult> {
  const quick = options.quick ?? false;
  const log = options.print === false ? () => undefined : (s: string) => void process.stdout.write(s);
  const date = new Date().toISOString();
  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100);
  log(
    `Machine: ${machine()}; ${date}; load average at start ${loadStart.join(' ')} (a shared machine: other processes were running); libuv thread pool of every server: ${process.env.UV_THREADPOOL_SIZE ? `UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE}` : 'default (4 threads)'}\n\n`,
  );

  log('### Per-token cost: verifier request path vs the prepared diagnoser\n\n');
  const perToken = await perTokenCost(quick);
  log('| prepared diagnoser `diagnose()` (ops/s) | verifier `verify()` request path (ops/s) | ratio | target |\n|---:|---:|---:|---|\n');
  log(
    `| ${Math.round(perToken.diagnoserOpsPerSec).toLocaleString('en-US')} | ${Math.round(perToken.verifierOpsPerSec).toLocaleString('en-US')} | ${perToken.ratio.toFixed(3)} | >= 0.90 ${perToken.ratio >= 0.9 ? 'met' : 'NOT met'} |\n\n`,
  );
  log(
    `1000 distinct RS256 (2048-bit) tokens, single thread; ${perToken.pairs} pairs of back-to-back batches (diagnoser, then verifier), medians; ratio = median of per-pair time(diagnoser) / time(verifier). The verifier path includes reading the header, the diagnosis, the metrics counter and building \`req.auth\`.\n\n`,
  );

  log(`### Requests/s under autocannon (127.0.0.1, 32 connections), each peer at its best\n\n`);
  log(
    '| alg | framework | auth | req/s (median) | spread (min-max of rounds) | p99 ms | server CPU µs/req | event-loop CPU µs/req | non-2xx | errors |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n',
  );
  const http = await httpBench(quick, log);
  log(
    `\n${http.rounds} rounds of ${http.duration} s per contender after a 1 s warm-up; the contenders alternate within each round (each round starts at another one), so load drift on the machine spreads over all of them. Every server runs in its own child process (compiled like the package), autocannon in the parent. jwt-doctor rows use the defaults (offloadSignatures on when os.availableParallelism() > 1: ${availableParallelism()} here); jwt-doctor-sync is \`offloadSignatures: false\`. Peers: jose 6 \`jwtVerify\` with an imported key, one call per request and never awaited one at a time (32 connections keep up to 32 verifications in flight); express-jwt 8 (jsonwebtoken) given a \`KeyObject\` (with a PEM string it re-imports the key per request); fast-jwt 6 given the PEM (it accepts only a string or Buffer; node:crypto caches nothing, fast-jwt's result cache off); @fastify/jwt 10 (fast-jwt) in an onRequest hook. One token reused for every request (no verifier caches results). CPU columns: the server process's CPU time (user + system, /proc) per request served, all threads and the event-loop thread alone (medians of rounds); unlike req/s they hardly depend on what else runs on the machine, and the event-loop figure bounds a server's req/s (at most 1e6 / that value on one loop).\n\n`,
  );
  log('### jwt-doctor against the best peer of the same framework\n\n');
  log('| alg | framework | best peer | jwt-doctor / best peer (median of rounds) | spread | target |\n|---|---|---|---:|---:|---|\n');
  for (const l of http.lead)
    log(
      `| ${l.alg} | ${l.framework} | ${l.bestPeer} | ${l.ratio.toFixed(2)}x | ${l.minRatio.toFixed(2)}-${l.maxRatio.toFixed(2)}x | ${l.framework === 'node:http' ? `>= 1.2x ${l.ratio >= 1.2 ? 'met' : 'NOT met'}` : '-'} |\n`,
    );
  log(
    '\nRatio per round: jwt-doctor req/s over the highest peer req/s of that same round; the table gives the median over rounds and the lowest and highest round.\n\n',
  );

  const calls = quick ? 100_000 : 1_000_000;
  log(`### RSS over ${calls.toLocaleString('en-US')} verifier calls (in process; 1 in 10 with a never-seen kid)\n\n`);
  const inProc = await rssInProcess(calls);
  log('| calls | RSS MiB | RSS after full GC MiB | heap used after GC MiB |\n|---:|---:|---:|---:|\n');
  for (const s of inProc.samples) log(`| ${s.calls.toLocaleString('en-US')} | ${s.rssMiB} | ${s.rssAfterGcMiB} | ${s.heapUsedMiB} |\n`);
  log(
    `\nMetric series in the registry afterwards: ${inProc.series} (the ${(calls / 10).toLocaleString('en-US')} distinct attacker kids collapsed into kid="unknown").\n\n`,
  );

  const httpRequests = quick ? 20_000 : 1_000_000;
  log(`### RSS of a node:http server with the middleware over ${httpRequests.toLocaleString('en-US')} real requests\n\n`);
  const rh = await rssHttp(httpRequests, http);
  log('| seconds | requests done | server RSS MiB | RSS after full GC MiB | heap used after GC MiB |\n|---:|---:|---:|---:|---:|\n');
  for (const s of rh)
    log(`| ${s.seconds} | ${s.requests.toLocaleString('en-US')} | ${s.rssMiB} | ${s.rssAfterGcMiB} | ${s.heapUsedAfterGcMiB} |\n`);
  const loadEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  log(`\nLoad average at the end: ${loadEnd.join(' ')}\n`);
  return {
    machine: machine(),
    date,
    loadAverage: { start: loadStart, end: loadEnd },
    perToken,
    http: http.rows,
    lead: http.lead,
    rssInProcess: inProc.samples,
    rssHttp: rh,
    httpRssRequests: httpRequests,
    seriesAfterRss: inProc.series,
  };
}

if (process.argv[1] && /bench[\\/]middleware\.ts$/.test(process.argv[1])) {
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--write')) {
    let text = '';
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      text += chunk;
      return orig(chunk);
    }) as typeof process.stdout.write;
    await runMiddlewareBench({ quick });
    process.stdout.write = orig;
    writeFileSync(
      join(ROOT, 'bench/middleware-results.md'),
      `# Middleware benchmark results\n\nReproduce: \`node --import tsx bench/middleware.ts --write\`\n\n${text}`,
    );
  } else {
    await runMiddlewareBench({ quick });
  }
}
