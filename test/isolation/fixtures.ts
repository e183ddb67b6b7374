/**
 * Isolation test fixtures: a staging and a production environment, each
 * with its own RS256 signer key (PEM files in a temp folder) and its own
 * JWKS served on 127.0.0.1; contracts are built from them per test.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwkThumbprint } from '../../src/keys/import.ts';
import { json, startServer, type TestServer } from '../helpers/index.ts';

export const NOW = 1_800_000_000;
export const STAGING = { issuer: 'https://auth.staging.example.com', audience: 'web-staging', kid: 'stg-1' };
export const PROD = { issuer: 'https://auth.example.com', audience: 'web-prod', kid: 'prod-1' };

export interface EnvKey {
  /** Signer PEM file name, relative to the folder. */
  file: string;
  kid: string;
  publicKey: KeyObject;
  thumbprint: string;
  jwks: TestServer;
}

export interface Fixture {
  dir: string;
  staging: EnvKey;
  prod: EnvKey;
  close(): Promise<void>;
}

async function envKey(dir: string, name: string, kid: string): Promise<EnvKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = `${name}.pem`;
  writeFileSync(join(dir, file), privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  const jwks = await startServer({ '/jwks.json': json({ keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] }) });
  return { file, kid, publicKey, thumbprint: jwkThumbprint(jwk), jwks };
}

export async function startFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-isolation-'));
  const staging = await envKey(dir, 'staging', STAGING.kid);
  const prod = await envKey(dir, 'prod', PROD.kid);
  return {
    dir,
    staging,
    prod,
    close: async () => {
      await Promise.all([staging.jwks.close(), prod.jwks.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The staging environment as the contract names it: its issuer, audience, JWKS and signer. */
export function stagingEnv(f: Fixture): Record<string, unknown> {
  return {
    issuer: STAGING.issuer,
    audience: STAGING.audience,
    algorithms: ['RS256'],
    keys: [{ jwksUri: `${f.staging.jwks.url}/jwks.json` }],
    signer: { privateKey: { file: f.staging.file }, kid: STAGING.kid },
  };
}

/** Production, correctly isolated; `api` when an API runs. */
export function prodEnv(f: Fixture, api?: string): Record<string, unknown> {
  return {
    issuer: PROD.issuer,
    audience: PROD.audience,
    algorithms: ['RS256'],
    production: true,
    keys: [{ jwksUri: `${f.prod.jwks.url}/jwks.json` }],
    signer: { privateKey: { file: f.prod.file }, kid: PROD.kid },
    ...(api !== undefined ? { api: { baseUrl: api, routes: [{ path: '/v1/me' }, { path: '/v1/orders', method: 'POST' }] } } : {}),
  };
}
