/**
 * Drill test fixtures: real verifiers on 127.0.0.1 the drills run against.
 * The secure one is jwt-doctor's own middleware (node_http adapter, with
 * the probe echo handler in front, as an API would embed it); the
 * vulnerable one is written here on purpose, with the classic mistakes
 * the attacks drill must catch: it accepts alg none, keys HS256 with the
 * public key's PEM, trusts an embedded jwk, fetches jku, ignores crit,
 * and never checks exp or nbf.
 */
import { createHmac, createPublicKey, generateKeyPairSync, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { loadContract, type Contract } from '../../src/contract/load.ts';
import type { Expectations } from '../../src/expectations.ts';
import { createVerifier, withJwtAuth, type Verifier, type VerifierOptions } from '../../src/middleware/index.ts';
import { createEchoHandler } from '../../src/probe/echo_handler.ts';

export const NOW = 1_800_000_000;
export const ISS = 'https://auth.drill.test';
export const AUD = 'drill-api';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SignerFiles {
  dir: string;
  /** PKCS#8 PEM of the signer's private key. */
  keyPath: string;
  publicKey: KeyObject;
  publicJwk: Record<string, unknown>;
  cleanup(): void;
}

/** An RS256 signer key written to a temp folder (the drill reads it with --signer-key). */
export function signerFiles(kid = 'drill-k1'): SignerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-drill-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPath = join(dir, 'signer.pem');
  writeFileSync(keyPath, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' };
  return { dir, keyPath, publicKey, publicJwk, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes the contract as JSON next to the key and loads it as the CLI would. */
export function writeContract(
  dir: string,
  environments: Record<string, unknown>,
  name = 'contract.json',
): { path: string; contract: Contract } {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ version: 1, environments }));
  return { path, contract: loadContract(path) };
}

async function listen(server: Server): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API with jwt-doctor's middleware on every path, the echo handler in front. */
export async function startSecureApi(env: Expectations, options: VerifierOptions = {}): Promise<Running & { verifier: Verifier }> {
  const verifier = createVerifier(env, { registry: new Registry(), logger: false, ...options });
  const echo = createEchoHandler();
  const auth = withJwtAuth(
    verifier,
    (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub })),
  );
  const running = await listen(createServer((req, res) => echo(req, res, () => auth(req, res))));
  return { ...running, verifier, close: async () => (verifier.close(), running.close()) };
}

const b64json = (s: string): Record<string, unknown> => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

function rsaValid(input: string, sig: string, key: KeyObject): boolean {
  try {
    return cryptoVerify('sha256', Buffer.from(input), key, Buffer.from(sig, 'base64url'));
  } catch {
    return false;
  }
}

/** Everything the vulnerable verifier gets wrong, in the order it gets it wrong. */
async function vulnerableVerify(token: string, trusted: KeyObject, fetched: string[]): Promise<boolean> {
  const [h, p, sig = ''] = token.split('.');
  if (!h || !p) return false;
  const header = b64json(h);
  const payload = b64json(p);
  const input = `${h}.${p}`;
  if (payload.iss !== ISS) return false;
  const alg = String(header.alg);
  if (alg.toLowerCase() === 'none') return true; // mistake 1: unsecured tokens
  if (alg === 'HS256') {
    // mistake 2: the "key" is whatever the config holds, here the public key's PEM, used as an HMAC secret
    const mac = createHmac('sha256', trusted.export({ format: 'pem', type: 'spki' }).toString())
      .update(input)
      .digest();
    const given = Buffer.from(sig, 'base64url');
    return given.length === mac.length && timingSafeEqual(given, mac);
  }
  if (alg !== 'RS256') return false;
  if (header.jwk && typeof header.jwk === 'object')
    return rsaValid(input, sig, createPublicKey({ key: header.jwk as never, format: 'jwk' })); // mistake 3
  if (typeof header.jku === 'string') {
    // mistake 4: keys from a URL the token names
    fetched.push(header.jku);
    const set = (await (await fetch(header.jku, { signal: AbortSignal.timeout(2000) })).json()) as { keys: Array<Record<string, unknown>> };
    const jwk = set.keys.find((k) => k.kid === header.kid);
    return jwk !== undefined && rsaValid(input, sig, createPublicKey({ key: jwk as never, format: 'jwk' }));
  }
  // mistakes 5 and 6: crit ignored, exp and nbf never checked
  return rsaValid(input, sig, trusted);
}

/** The deliberately vulnerable verifier on 127.0.0.1 (every path), 401 on rejection. */
export async function startVulnerableApi(trusted: KeyObject): Promise<Running & { fetched: string[] }> {
  const fetched: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!m) return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="vuln"' }).end();
    vulnerableVerify(m[1]!, trusted, fetched).then(
      (ok) =>
        void (ok
          ? res.writeHead(200).end('{}')
          : res.writeHead(401, { 'www-authenticate': 'Bearer realm="vuln", error="invalid_token"' }).end()),
      () => void res.writeHead(401, { 'www-authenticate': 'Bearer realm="vuln", error="invalid_token"' }).end(),
    );
  });
  return { ...(await listen(server)), fetched };
}
