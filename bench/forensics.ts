/**
 * Signature forensics (issue 11): what a failing token's diagnosis costs
 * with and without the probes, side by side, per kind of failure, with a
 * valid token as the control (its path never reaches the probes). One
 * prepared diagnoser each way, the same keys, distinct tokens, single
 * thread.
 *
 *   npm run bench -- --forensics          (add --quick for a short smoke run)
 *   node --import tsx bench/forensics.ts
 */
import { constants, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { buildDiagnoser, type Diagnoser } from '../src/diagnose.ts';
import { importJwk, importSecretText, type KeyRecord } from '../src/keys/import.ts';
import type { Finding } from '../src/reasons.ts';

const NOW = 1_800_000_000;
const TOKENS = 200;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const std = (t: string) =>
  t
    .split('.')
    .map((s) => Buffer.from(s, 'base64url').toString('base64'))
    .join('.');

interface Kind {
  name: string;
  /** A distinct token of this kind (i varies the claims). */
  make: (i: number) => string;
}

function kinds(): { keys: KeyRecord[]; kinds: Kind[] } {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const strangerEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secret = randomBytes(32);
  const jwk = (k: KeyObject, kid: string) => importJwk({ ...k.export({ format: 'jwk' }), kid }, { kind: 'jwks_file', location: 'bench' });
  const keys = [
    jwk(ec.publicKey, 'ec-1'),
    jwk(rsa.publicKey, 'rsa-1'),
    importSecretText(secret.toString('base64'), 'base64', { kind: 'secret', location: 'bench', encoding: 'base64' }, { kid: 'hs-1' }),
  ];
  const input = (alg: string, kid: string, i: number) =>
    `${b64({ alg, typ: 'JWT', kid })}.${b64({ sub: `user-${i}`, iat: NOW - 60, exp: NOW + 3600 })}`;
  const signed = (alg: string, kid: string, i: number, signer: (data: Buffer) => Buffer) => {
    const s = input(alg, kid, i);
    return `${s}.${signer(Buffer.from(s)).toString('base64url')}`;
  };
  const rs256 = (i: number) => signed('RS256', 'rsa-1', i, (d) => sign('sha256', d, rsa.privateKey));
  return {
    keys,
    kinds: [
      { name: 'valid RS256 (control: never reaches the probes)', make: rs256 },
      {
        name: 'ES256, DER signature (ecdsa_der_encoding)',
        make: (i) => signed('ES256', 'ec-1', i, (d) => sign('sha256', d, ec.privateKey)),
      },
      {
        name: 'ES256, another key (no cause: every probe runs)',
        make: (i) => signed('ES256', 'ec-1', i, (d) => sign('sha256', d, { key: strangerEc.privateKey, dsaEncoding: 'ieee-p1363' })),
      },
      {
        name: 'RS256 header, PSS signature (rsa_padding_mismatch)',
        make: (i) =>
          signed('RS256', 'rsa-1', i, (d) => sign('sha256', d, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING })),
      },
      {
        name: 'RS256 header, SHA-512 signature (hash_mismatch)',
        make: (i) => signed('RS256', 'rsa-1', i, (d) => sign('sha512', d, rsa.privateKey)),
      },
      {
        name: 'HS256 header, HMAC-SHA512 (hash_mismatch)',
        make: (i) => signed('HS256', 'hs-1', i, (d) => createHmac('sha512', secret).update(d).digest()),
      },
      { name: 'RS256 cut by 22 characters (signature_truncated)', make: (i) => rs256(i).slice(0, -22) },
      { name: 'RS256 re-encoded to standard base64 (token_reencoded)', make: (i) => std(rs256(i)) },
    ],
  };
}

/** Microseconds per diagnosis over the tokens, repeated for at least `minMs`. */
function microsPerToken(d: Diagnoser, tokens: string[], minMs: number): number {
  for (const t of tokens.slice(0, 20)) d.diagnose(t, { now: NOW }); // warm-up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const t of tokens) d.diagnose(t, { now: NOW });
    n += tokens.length;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / n;
}

export interface ForensicsBenchRow {
  kind: string;
  withoutUs: number;
  withUs: number;
  cause: string;
}

export function runForensicsBench(options: { quick?: boolean } = {}): ForensicsBenchRow[] {
  const minMs = options.quick ? 50 : 1000;
  const { keys, kinds: list } = kinds();
  const off = buildDiagnoser({}, { keys }, { forensics: false, provenance: false });
  const on = buildDiagnoser({}, { keys }, { forensics: true, provenance: false });
  return list.map(({ name, make }) => {
    const tokens = Array.from({ length: TOKENS }, (_, i) => make(i));
    const withoutUs = microsPerToken(off, tokens, minMs);
    const withUs = microsPerToken(on, tokens, minMs);
    const f: Finding | undefined = on.diagnose(tokens[0]!, { now: NOW }).findings.find((x) => x.detail?.cause !== undefined);
    return { kind: name, withoutUs, withUs, cause: f ? String(f.detail!.cause) : '-' };
  });
}

export function formatForensicsBench(rows: ForensicsBenchRow[]): string {
  const out = ['| token | without forensics (µs/token) | with forensics (µs/token) | extra | detail.cause |', '|---|---:|---:|---:|---|'];
  for (const r of rows)
    out.push(
      `| ${r.kind} | ${r.withoutUs.toFixed(1)} | ${r.withUs.toFixed(1)} | ${(r.withUs - r.withoutUs).toFixed(1)} | \`${r.cause}\` |`,
    );
  return out.join('\n') + '\n';
}

if (process.argv[1] && /bench[\\/]forensics\.ts$/.test(process.argv[1])) {
  process.stdout.write(formatForensicsBench(runForensicsBench({ quick: process.argv.includes('--quick') })));
}
