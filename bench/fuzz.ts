/**
 * `npm run fuzz -- --count N --seed S` (issue 8 item 7; not part of npm test):
 * mutations of valid tokens through the prepared diagnoser (`diagnose`) and
 * the middleware's request path (`createVerifier(...).verify`, in process,
 * with metrics and the JSON-line rejection log on).
 *
 * Mutations: bit flips, segment swaps / drops / duplicates, character
 * insertions, base64 alphabet changes (+ / = whitespace), JSON structural
 * mutations in the decoded header or payload (kept with the old signature,
 * or re-signed with the real key so the claim and JSON paths run too),
 * header algorithm swaps; one to three stacked per token.
 *
 * A failure is: a throw (from diagnose or verify), a code outside the
 * registry, a 500 or a rejection without WWW-Authenticate, a rejection log
 * line that is not one JSON object, a forged acceptance (valid / 2xx for a
 * signing input the real key never signed), or the middleware accepting a
 * token the diagnoser rejects. Prints a summary; exit code 1 on any failure.
 */
import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { Registry } from 'prom-client';
import { buildDiagnoser } from '../src/diagnose.ts';
import { importJwk, importSecretText } from '../src/keys/import.ts';
import { REASONS } from '../src/reasons.ts';
import { createJsonLineLogger, createVerifier } from '../src/middleware/index.ts';
import { normalizeTokenInput } from '../src/token/normalize.ts';
import type { Expectations } from '../src/expectations.ts';

const NOW = 1_800_000_000;
const SECRET = 'fuzz-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

function parseArgs(argv: string[]): { count: number; seed: number } {
  let count = 1_000_000;
  let seed = Date.now() % 2 ** 31;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--count') count = Number(argv[++i]);
    else if (argv[i] === '--seed') seed = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: --count N --seed S)`);
  }
  if (!Number.isSafeInteger(count) || count <= 0 || !Number.isSafeInteger(seed)) throw new Error('--count and --seed take integers');
  return { count, seed };
}

/** mulberry32: a small seeded PRNG, so a run is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64 = (s: string | Buffer) => Buffer.from(s as string).toString('base64url');

interface Signer {
  alg: string;
  kid: string;
  sign(input: string): string;
}

function signers(): { list: Signer[]; jwks: Record<string, unknown>[] } {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const asym = (key: KeyObject, hash: string, ecdsa: boolean) => (input: string) =>
    cryptoSign(hash, Buffer.from(input), ecdsa ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64url');
  return {
    list: [
      { alg: 'HS256', kid: 'hs', sign: (input) => createHmac('sha256', SECRET).update(input).digest('base64url') },
      { alg: 'ES256', kid: 'es', sign: asym(ec.privateKey, 'sha256', true) },
      { alg: 'RS256', kid: 'rs', sign: asym(rsa.privateKey, 'sha256', false) },
    ],
    jwks: [
      { ...(ec.publicKey.export({ format: 'jwk' }) as object), kid: 'es', alg: 'ES256' },
      { ...(rsa.publicKey.export({ format: 'jwk' }) as object), kid: 'rs', alg: 'RS256' },
    ],
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const INSERTS = ['.', '=', '+', '/', '-', '_', ' ', '\t', '\n', 'A', '"', '\u00e9', '\u0000', '\ud800', '..', 'Bearer ', '%2e'];

/** JSON-level mutations of a decoded segment's text. */
const JSON_MUTATIONS: ((text: string, r: Rand) => string | Buffer)[] = [
  (t, r) => {
    const i = Math.floor(r() * t.length);
    return t.slice(0, i) + t.slice(i + 1);
  },
  (t) => t.replace(/\{/, '{"sub":"admin",'),
  (t) => t.replace(/\}$/, ',"__proto__":{"isAdmin":true}}'),
  (t) => t.replace(/\}$/, ',"constructor":{"prototype":{"x":1}}}'),
  (t) => t.replace(/"exp":\s*\d+/, '"exp":1e400').replace(/"alg":"[^"]*"/, '"alg":"none"'),
  (t) => t.replace(/"exp":\s*\d+/, '"exp":"1800003600"'),
  (t) => t.replace(/"exp":\s*\d+/, '"exp":8640000000001'),
  (t) => t.replace(/"aud":\s*"[^"]*"/, '"aud":[]'),
  (t) => `[${t}]`,
  (t) => t.replace(/\}$/, `,"x":${'['.repeat(40)}${']'.repeat(40)}}`),
  (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
  (t) => Buffer.concat([Buffer.from(t.slice(0, -1)), Buffer.from(',"x":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]),
  (t) => t.replace(/"alg":"[^"]*"/, '"alg":"HS256"'),
  (t) => t.replace(/"alg":"[^"]*"/, '"alg":"NoNe"'),
  (t) => t.replace(/"kid":"[^"]*"/, '"kid":"../../dev/null"'),
  (t) => t.replace(/"kid":"[^"]*"/, '"kid":123'),
  (t) => t.replace(/\}$/, ',"crit":["b64"],"b64":false}'),
  (t) => t.replace(/\}$/, ',"jku":"http://127.0.0.1:9/jwks","jwk":{"kty":"oct","k":"AA"}}'),
  (t) => t.replace(/"iat":\s*\d+/, '"iat":-1e308'),
  (t) => t.replace(/("[a-z]+":[^,}]+)/, '$1,$1'),
  () => 'null',
  () => '"string"',
  () => '42',
];

interface Mutant {
  token: string;
  signedInputs: string[];
}

/** One mutation step of `token`; re-signing adds the signed input to the legitimate set. */
function mutate(m: Mutant, r: Rand, signer: Signer): Mutant {
  const t = m.token;
  const parts = t.split('.');
  const op = Math.floor(r() * 8);
  if (op === 0) {
    // bit flip in one character
    const i = Math.floor(r() * t.length);
    return { ...m, token: t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << Math.floor(r() * 7))) + t.slice(i + 1) };
  }
  if (op === 1) {
    // segment swap / drop / duplicate
    const i = Math.floor(r() * parts.length);
    const j = Math.floor(r() * parts.length);
    const kind = Math.floor(r() * 3);
    const p = [...parts];
    if (kind === 0) [p[i], p[j]] = [p[j]!, p[i]!];
    else if (kind === 1) p.splice(i, 1);
    else p.splice(i, 0, p[j]!);
    return { ...m, token: p.join('.') };
  }
  if (op === 2) {
    const i = Math.floor(r() * (t.length + 1));
    return { ...m, token: t.slice(0, i) + pick(r, INSERTS) + t.slice(i) };
  }
  if (op === 3) {
    // base64 alphabet / padding / whitespace changes
    const kind = Math.floor(r() * 4);
    const seg = Math.floor(r() * Math.min(3, parts.length));
    const p = [...parts];
    const s = p[seg] ?? '';
    p[seg] =
      kind === 0
        ? s.replace(/-/g, '+').replace(/_/g, '/')
        : kind === 1
          ? s + '='
          : kind === 2
            ? s.replace(/(.{10})/, '$1 ')
            : s.slice(0, -1) + pick(r, ['A', 'B', 'Q', 'g', 'w', '/']);
    return { ...m, token: p.join('.') };
  }
  if (op === 4 && parts.length === 3) {
    // alg swap without re-signing (algorithm confusion attempts)
    const h = `{"alg":"${pick(r, ['none', 'HS256', 'RS256', 'ES256', 'PS256', 'HS512', 'EdDSA'])}","kid":"${pick(r, ['hs', 'es', 'rs', 'x'])}"}`;
    return { ...m, token: `${b64(h)}.${parts[1]}.${pick(r, [parts[2]!, '', 'AAAA'])}` };
  }
  if (parts.length !== 3) return { ...m, token: t + pick(r, INSERTS) };
  // JSON structural mutation in the header or the payload; half the time re-signed with the real key.
  const seg = r() < 0.7 ? 1 : 0;
  const text = Buffer.from(parts[seg]!, 'base64url').toString('latin1');
  const mutated = pick(r, JSON_MUTATIONS)(text, r);
  const p = [...parts];
  p[seg] = typeof mutated === 'string' ? Buffer.from(mutated, 'latin1').toString('base64url') : mutated.toString('base64url');
  if (op >= 6) {
    const input = `${p[0]}.${p[1]}`;
    return { token: `${input}.${signer.sign(input)}`, signedInputs: [...m.signedInputs, input] };
  }
  return { ...m, token: p.join('.') };
}

interface Failure {
  i: number;
  kind: string;
  detail: string;
  token: string;
}

async function main(): Promise<void> {
  const { count, seed } = parseArgs(process.argv.slice(2));
  const r = prng(seed);
  const { list, jwks } = signers();
  const env: Expectations = {
    name: 'fuzz',
    issuer: ['https://issuer.example'],
    audience: ['api'],
    algorithms: ['HS256', 'ES256', 'RS256'],
    requiredClaims: ['sub', 'exp'],
    keys: [{ secret: { value: SECRET }, kid: 'hs' }, { jwk: { keys: jwks } }],
  };
  const keys = [
    importSecretText(SECRET, 'utf8', { kind: 'secret', location: 'literal' }, { kid: 'hs' }),
    ...jwks.map((j) => importJwk(j, { kind: 'jwk' })),
  ];
  const diagnoser = buildDiagnoser(env, { keys });
  let logLines = 0;
  const badLog: string[] = [];
  const logger = createJsonLineLogger({
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        logLines++;
        try {
          const v = JSON.parse(line);
          if (v === null || typeof v !== 'object' || Array.isArray(v)) badLog.push(line.slice(0, 200));
        } catch {
          badLog.push(line.slice(0, 200));
        }
      }
    },
  });
  const verifier = createVerifier(env, { registry: new Registry(), logger, now: () => NOW });
  await verifier.ready();

  const bases = list.map((s) => {
    const input = `${b64(JSON.stringify({ alg: s.alg, kid: s.kid, typ: 'JWT' }))}.${b64(JSON.stringify({ iss: 'https://issuer.example', aud: 'api', sub: 'user-1', iat: NOW - 60, exp: NOW + 3600 }))}`;
    return { signer: s, token: `${input}.${s.sign(input)}`, input };
  });
  for (const b of bases)
    if (diagnoser.diagnose(b.token, { now: NOW }).result !== 'valid')
      throw new Error(`base token ${b.signer.alg} is not valid: the harness is broken`);

  const failures: Failure[] = [];
  let failureCount = 0;
  const results = new Map<string, number>();
  let accepted = 0;
  let resigned = 0;
  const fail = (i: number, kind: string, detail: string, token: string) => {
    failureCount++;
    if (failures.length < 20)
      failures.push({
        i,
        kind,
        detail: detail.slice(0, 300),
        token: token.length > 300 ? `${token.slice(0, 300)}... (${token.length} chars)` : token,
      });
  };
  const isCode = (c: string) => Object.hasOwn(REASONS, c);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length]!;
    // RSA signing costs ~1 ms: RS256 mutants are re-signed only as often as the others, which is rare enough.
    let m: Mutant = { token: base.token, signedInputs: [base.input] };
    const steps = 1 + Math.floor(r() * 3);
    for (let s = 0; s < steps; s++) m = mutate(m, r, base.signer);
    if (m.signedInputs.length > 1) resigned++;
    const legit = new Set(m.signedInputs);
    let result: string;
    let signedInput: string | undefined;
    try {
      const d = diagnoser.diagnose(m.token, { now: NOW });
      result = d.result;
      if (result !== 'valid' && !isCode(result)) fail(i, 'non_registry_result', result, m.token);
      for (const f of d.findings) if (!isCode(f.code)) fail(i, 'non_registry_finding', f.code, m.token);
      if (result === 'valid') {
        accepted++;
        const norm = normalizeTokenInput(m.token).token;
        signedInput = norm.slice(0, norm.lastIndexOf('.'));
        if (!legit.has(signedInput)) fail(i, 'forged_acceptance_diagnose', 'valid for a signing input the key never signed', m.token);
      }
    } catch (e) {
      result = 'THROW';
      fail(i, 'diagnose_throw', (e as Error).stack ?? String(e), m.token);
    }
    results.set(result, (results.get(result) ?? 0) + 1);
    if (/[\r\n]/.test(m.token) || m.token.includes('\u0000')) continue; // cannot be an HTTP header value: the HTTP parser refuses it before any middleware
    try {
      const out = await verifier.verify({ headers: { authorization: `Bearer ${m.token}` } });
      if (out.ok) {
        // Leading/trailing whitespace is not part of the token (RFC 7230 section 3.2.4 OWS around a field value).
        const presented = m.token.trim();
        const input = presented.slice(0, presented.lastIndexOf('.'));
        if (!legit.has(input)) fail(i, 'forged_acceptance_middleware', 'request authenticated with a forged token', m.token);
        if (result !== 'valid') fail(i, 'middleware_accepts_rejected', `diagnose said ${result}`, m.token);
      } else {
        if (!isCode(out.reason)) fail(i, 'non_registry_rejection', out.reason, m.token);
        if (out.status >= 500) fail(i, 'middleware_5xx', `${out.status} ${out.reason}`, m.token);
        if (!out.headers['www-authenticate']) fail(i, 'no_www_authenticate', `${out.status} ${out.reason}`, m.token);
      }
    } catch (e) {
      fail(i, 'verify_throw', (e as Error).stack ?? String(e), m.token);
    }
    if (badLog.length > 0) fail(i, 'log_not_json', badLog.splice(0).join(' | '), m.token);
    if (i > 0 && i % 100_000 === 0) process.stderr.write(`  ${i} mutations, ${failureCount} failures\n`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  verifier.close();
  const top = [...results.entries()].sort((a, b) => b[1] - a[1]);
  console.log(
    JSON.stringify(
      {
        schema: 'jwt-doctor/fuzz/v1',
        count,
        seed,
        seconds: Math.round(seconds * 10) / 10,
        perSecond: Math.round(count / seconds),
        resigned,
        accepted,
        rejectionLogLines: logLines,
        failures: failureCount,
        results: Object.fromEntries(top),
        firstFailures: failures,
      },
      null,
      2,
    ),
  );
  console.log(
    `\nfuzz: ${count} mutations, seed ${seed}, ${seconds.toFixed(1)} s, ${failureCount} failures (${accepted} legitimately re-signed mutants accepted)`,
  );
  console.log(`rerun: npm run fuzz -- --count ${count} --seed ${seed}`);
  if (failureCount > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 2;
});
