/**
 * Core benchmark: the prepared diagnoser's full check vs raw node:crypto
 * signature verification, jose's jwtVerify and fast-jwt's verifier, in one
 * run, single thread, on 1000 distinct tokens per algorithm.
 *
 *   node --import tsx bench/core.ts        (or: npm run bench)
 */
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import * as jose from 'jose';
import { createVerifier } from 'fast-jwt';
import { buildDiagnoser } from '../src/diagnose.ts';
import { importJwk, importSecretText, type KeyRecord } from '../src/keys/import.ts';

const TOKENS = 1000;
const NOW = 1_800_000_000;
const ISS = 'https://auth.bench.example.com';
const AUD = 'api-bench';

interface Setup {
  alg: 'HS256' | 'RS256' | 'ES256' | 'EdDSA';
  tokens: string[];
  key: KeyRecord;
  publicKey: KeyObject;
  secret?: Buffer;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function makeSetup(alg: Setup['alg']): Setup {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let key: KeyRecord;
  let secret: Buffer | undefined;
  if (alg === 'HS256') {
    secret = randomBytes(32);
    publicKey = createSecretKey(secret);
    privateKey = publicKey;
    key = importSecretText(secret.toString('base64'), 'base64', { kind: 'secret', location: 'bench' }, { kid: 'k1' });
  } else {
    const pair =
      alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : alg === 'ES256'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicKey = pair.publicKey;
    key = importJwk({ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg }, { kind: 'jwks_file', location: 'bench' });
  }
  const tokens: string[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const input = `${b64({ alg, typ: 'JWT', kid: 'k1' })}.${b64({ iss: ISS, aud: AUD, sub: `user-${i}`, jti: randomBytes(8).toString('hex'), iat: NOW - 60, exp: NOW + 3600 })}`;
    let sig: Buffer;
    if (alg === 'HS256') sig = createHmac('sha256', secret!).update(input).digest();
    else if (alg === 'ES256') sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    else if (alg === 'RS256') sig = sign('sha256', Buffer.from(input), privateKey);
    else sig = sign(null, Buffer.from(input), privateKey);
    tokens.push(`${input}.${sig.toString('base64url')}`);
  }
  return { alg, tokens, key, publicKey, ...(secret ? { secret } : {}) };
}

/** The reference: split, decode the signature, verify with a cached KeyObject. Nothing else. */
function rawVerifier(s: Setup): (t: string) => boolean {
  if (s.alg === 'HS256') {
    return (t) => {
      const dot = t.lastIndexOf('.');
      const mac = createHmac('sha256', s.secret!).update(t.slice(0, dot)).digest();
      const sig = Buffer.from(t.slice(dot + 1), 'base64url');
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    };
  }
  const hash = s.alg === 'EdDSA' ? null : 'sha256';
  const key = s.alg === 'ES256' ? { key: s.publicKey, dsaEncoding: 'ieee-p1363' as const } : s.publicKey;
  return (t) => {
    const dot = t.lastIndexOf('.');
    return verify(hash, Buffer.from(t.slice(0, dot)), key, Buffer.from(t.slice(dot + 1), 'base64url'));
  };
}

interface Rate {
  opsPerSec: number;
}

function measureSync(tokens: string[], fn: (t: string) => unknown, minMs: number): Rate {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < tokens.length; i++) fn(tokens[i]!);
    ops += tokens.length;
    elapsed = performance.now() - start;
  }
  return { opsPerSec: (ops / elapsed) * 1000 };
}

async function measureAsync(tokens: string[], fn: (t: string) => Promise<unknown>, minMs: number): Promise<Rate> {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < tokens.length; i++) await fn(tokens[i]!);
    ops += tokens.length;
    elapsed = performance.now() - start;
  }
  return { opsPerSec: (ops / elapsed) * 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface CoreBenchRow {
  alg: string;
  raw: number;
  doctor: number;
  jose: number;
  fastJwt: number;
  ratio: number;
  target: number;
}

export const CORE_ALGS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type CoreAlg = (typeof CORE_ALGS)[number];

/**
 * Runs the contenders side by side for the given algorithms in this
 * process. `npm run bench` calls it once per algorithm in a fresh child
 * process (runCoreBenchIsolated): the references' garbage and JIT state from
 * one algorithm (jose's awaited promises above all) otherwise tax the next
 * one measured, by about 3% for RS256 after HS256.
 */
export async function runCoreBench(options: { rounds?: number; ms?: number; algs?: readonly CoreAlg[] } = {}): Promise<CoreBenchRow[]> {
  const rounds = options.rounds ?? 9;
  const ms = options.ms ?? 400;
  const rows: CoreBenchRow[] = [];
  for (const alg of options.algs ?? CORE_ALGS) {
    const s = makeSetup(alg);
    const raw = rawVerifier(s);
    const doctor = buildDiagnoser({ issuer: [ISS], audience: [AUD], algorithms: [alg], clockToleranceSeconds: 5 }, { keys: [s.key] });
    const opts = { now: NOW };
    const joseKey = s.alg === 'HS256' ? new Uint8Array(s.secret!) : s.publicKey;
    const joseOpts = { issuer: ISS, audience: AUD, algorithms: [alg], currentDate: new Date(NOW * 1000) };
    const fast = createVerifier({
      key: s.alg === 'HS256' ? s.secret! : (s.publicKey.export({ format: 'pem', type: 'spki' }) as string),
      algorithms: [alg],
      allowedIss: ISS,
      allowedAud: AUD,
      clockTimestamp: NOW * 1000,
      cache: false,
    });
    // Sanity: every verifier accepts every token, or the comparison is meaningless.
    for (const t of s.tokens.slice(0, 20)) {
      if (!raw(t)) throw new Error(`raw verify failed for ${alg}`);
      const d = doctor.diagnose(t, opts);
      if (d.result !== 'valid') throw new Error(`jwt-doctor: ${alg} token not valid: ${d.result}`);
      await jose.jwtVerify(t, joseKey, joseOpts);
      fast(t);
    }
    const r = { raw: [] as number[], doctor: [] as number[], jose: [] as number[], fast: [] as number[] };
    measureSync(s.tokens, raw, 200); // warm-up
    measureSync(s.tokens, (t) => doctor.diagnose(t, opts), 200);
    for (let i = 0; i < rounds; i++) {
      // Interleaved so that machine noise hits every contender alike.
      r.raw.push(measureSync(s.tokens, raw, ms).opsPerSec);
      r.doctor.push(measureSync(s.tokens, (t) => doctor.diagnose(t, opts), ms).opsPerSec);
      r.fast.push(measureSync(s.tokens, fast, ms).opsPerSec);
      r.jose.push((await measureAsync(s.tokens, (t) => jose.jwtVerify(t, joseKey, joseOpts), ms)).opsPerSec);
    }
    // The ratio is the median of per-round ratios: raw and jwt-doctor run
    // back to back in each round, so slow drifts of the machine cancel out.
    const ratios = r.raw.map((raw, i) => r.doctor[i]! / raw);
    const row = {
      alg,
      raw: median(r.raw),
      doctor: median(r.doctor),
      jose: median(r.jose),
      fastJwt: median(r.fast),
      ratio: median(ratios),
      target: alg === 'HS256' ? 0.5 : 0.9,
    };
    rows.push(row);
  }
  return rows;
}

/**
 * One fresh process per algorithm: `process.argv[1]` (this bench's entry)
 * is re-run with `--core-alg ALG` and prints its row as JSON.
 */
export async function runCoreBenchIsolated(): Promise<CoreBenchRow[]> {
  const { spawnSync } = await import('node:child_process');
  const rows: CoreBenchRow[] = [];
  for (const alg of CORE_ALGS) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--core-alg', alg], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('{"alg"'));
    if (r.status !== 0 || !line) throw new Error(`core bench for ${alg} failed (exit ${r.status})`);
    rows.push(JSON.parse(line) as CoreBenchRow);
  }
  return rows;
}

export function formatCoreBench(rows: CoreBenchRow[]): string {
  const k = (n: number) => `${Math.round(n).toLocaleString('en-US')}`;
  const out = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    'Each algorithm runs in its own fresh process; inside it the four contenders alternate over 9 rounds of 400 ms on 1000 distinct tokens.',
    '',
    '| alg | raw node:crypto (ops/s) | jwt-doctor prepared diagnoser (ops/s) | ratio vs raw (median of rounds) | target | jose jwtVerify (ops/s) | fast-jwt (ops/s) | jwt-doctor / jose | jwt-doctor / fast-jwt |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.alg} | ${k(r.raw)} | ${k(r.doctor)} | ${r.ratio.toFixed(3)}x | ${r.target}x ${r.ratio >= r.target ? 'met' : 'NOT met'} | ${k(r.jose)} | ${k(r.fastJwt)} | ${(r.doctor / r.jose).toFixed(2)}x | ${(r.doctor / r.fastJwt).toFixed(2)}x |`,
    );
  }
  return out.join('\n') + '\n';
}

/**
 * Child mode of runCoreBenchIsolated: with `--core-alg ALG` on the command
 * line, measure that one algorithm, print its row as JSON and exit.
 */
export async function runCoreBenchChildIfAsked(): Promise<void> {
  const i = process.argv.indexOf('--core-alg');
  if (i < 0) return;
  const alg = process.argv[i + 1] as CoreAlg;
  if (!CORE_ALGS.includes(alg)) throw new Error(`--core-alg expects one of ${CORE_ALGS.join(', ')}`);
  const [row] = await runCoreBench({ algs: [alg] });
  process.stdout.write(JSON.stringify(row) + '\n');
  process.exit(0);
}

if (process.argv[1] && /bench[\\/]core\.ts$/.test(process.argv[1])) {
  await runCoreBenchChildIfAsked();
  process.stdout.write(formatCoreBench(await runCoreBenchIsolated()));
}
