/**
 * Triage test fixtures: a contract whose `staging` environment trusts one
 * HS256 key (kid hs-new), tokens signed with it or with a retired key, and
 * log files written into a temporary folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AUD, ISS, claimsAt, makeKey, NOW, signToken, isoAt } from '../helpers/index.ts';
import type { TriageSetup } from '../../src/triage/prepare_context.ts';

export const SECRET = 'triage-test-secret-0123456789abcdef';
export const CURRENT = makeKey('HS256', { kid: 'hs-new', secret: Buffer.from(SECRET) });
export const RETIRED = makeKey('HS256', { kid: 'hs-old', secret: Buffer.from('an-older-secret-0123456789abcdef!!') });

/** Tokens: valid at NOW, expired at NOW, another audience, signed by the retired key, malformed. */
/** Issued an hour before NOW, valid until an hour after: valid at every line's time of mixedLog. */
const live = (extra: Record<string, unknown>) => claimsAt(NOW - 3600, { exp: NOW + 3600, ...extra });

export const TOKENS = {
  valid: signToken(CURRENT, live({ azp: 'web' })),
  expired: signToken(CURRENT, claimsAt(NOW - 7200, { azp: 'mobile' })),
  otherAudience: signToken(CURRENT, live({ aud: 'web-staging', azp: 'web' })),
  retired: signToken(RETIRED, live({ azp: 'web' })),
  malformed: 'eyJhbGciOiJIUzI1NiJ.eyJzdWIiOiJ4In0.c2ln',
} as const;

export const ALL_TOKENS: readonly string[] = Object.values(TOKENS);

export const CONTRACT_YAML = `version: 1
environments:
  staging:
    issuer: ${ISS}
    audience: ${AUD}
    algorithms: [HS256]
    keys:
      - secret: { value: ${SECRET}, encoding: utf8 }
        kid: hs-new
`;

export interface TempDir {
  dir: string;
  file(name: string, content: string | Buffer): string;
  close(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-triage-'));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function withTemp<T>(fn: (t: TempDir) => Promise<T>): Promise<T> {
  const t = tempDir();
  try {
    return await fn(t);
  } finally {
    t.close();
  }
}

/** One NDJSON access-log line at NOW + offset seconds. */
export function jsonLine(offset: number, token: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ time: isoAt(NOW + offset), route: '/v1/orders?page=2', status: 401, authorization: `Bearer ${token}`, ...extra });
}

/**
 * A mixed log: 40 valid, 20 expired, 10 other-audience, 10 retired-key
 * lines (NDJSON, one a minute before the mark at NOW and after), a
 * malformed token, text lines with an Envoy message, and bad input
 * (binary, truncated JSON). Counts in MIXED_COUNTS.
 */
export function mixedLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) lines.push(jsonLine(-1200 + i * 30, TOKENS.valid, { client_id: 'web' }));
  for (let i = 0; i < 20; i++) lines.push(jsonLine(60 + i * 10, TOKENS.expired));
  for (let i = 0; i < 10; i++) lines.push(jsonLine(-600 + i * 60, TOKENS.otherAudience));
  for (let i = 0; i < 10; i++) lines.push(jsonLine(i * 60, TOKENS.retired));
  lines.push(jsonLine(5, TOKENS.malformed));
  lines.push(`${isoAt(NOW + 30)} GET /v1/me HTTP/1.1 401 client=ios msg="Jwt is expired"`);
  lines.push(`${isoAt(NOW + 31)} GET /v1/me HTTP/1.1 200 ok`);
  lines.push('\u0000\u0001\u0002 binary garbage \u0007');
  lines.push(jsonLine(7, TOKENS.valid).slice(0, 150));
  return lines.join('\n') + '\n';
}

/** What mixedLog holds: lines, reasons (the Envoy text line is a 21st token_expired), bad input. */
export const MIXED_COUNTS = {
  lines: { read: 85, events: 82, unmatched: 2, skipped: 1 },
  reason: { valid: 40, token_expired: 21, claim_mismatch: 10, key_not_found: 10, malformed_token: 1 },
  badInput: { binary_line: 1, json_invalid: 1 },
} as const;

export const gzip = (text: string): Buffer => gzipSync(Buffer.from(text));

/** A triage setup for `staging` of CONTRACT_YAML, written to `dir`. */
export async function stagingSetup(t: TempDir, extra: Partial<TriageSetup> = {}): Promise<TriageSetup> {
  const { loadContract } = await import('../../src/contract/load.ts');
  const contract = loadContract(t.file('auth-contract.yaml', CONTRACT_YAML));
  return {
    expectations: contract.environments.staging!,
    contract,
    timeoutMs: 2000,
    now: NOW,
    maxLineBytes: 64 * 1024,
    bucketSeconds: 60,
    ...extra,
  };
}

/** True when `text` holds any test token, or any token's signature or payload segment. */
export function leaksToken(text: string): boolean {
  return ALL_TOKENS.some((t) => text.includes(t) || t.split('.').some((seg, i) => i > 0 && seg.length > 8 && text.includes(seg)));
}

/** Any reference a browser would fetch: an attribute naming a resource, CSS url() or @import, or a URL scheme. */
export const EXTERNAL = /\b(?:src|href|xlink:href|action)\s*=|url\(|@import|https?:|\/\/[a-z]/i;
