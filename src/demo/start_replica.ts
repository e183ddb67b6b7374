/**
 * Starts the local staging replica: the identity provider (oidc-provider)
 * with its JWKS, the gateway, the orders API behind it, and the contract
 * naming them, in a fresh temporary folder. Every server listens on
 * 127.0.0.1 on a free port; `close()` stops them all and removes the
 * folder (its client secrets with it). A failure while starting stops what
 * had started.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplicaApi, type ReplicaApi } from './replica_api.ts';
import { fixedClock, type ReplicaClock } from './replica_clock.ts';
import { LOCAL_CLIENT, STAGING_CLIENT, writeReplicaContract, type ReplicaOrigins } from './replica_contract.ts';
import { startReplicaGateway } from './replica_gateway.ts';
import { loadOidcProvider, startReplicaProvider, type ProviderConstructor, type ReplicaClient } from './replica_provider.ts';

/** The bundled example's staging signer (examples/keys/staging.jwks.json publishes its public half). */
export const SIGNER_KEY_FILE = 'keys/staging-signer.private.pem';
export const SIGNER_KID = 'staging-2026-11';

export interface Replica {
  /** The temporary folder: the contract and the client secrets. */
  dir: string;
  contractPath: string;
  origins: ReplicaOrigins & { api: string };
  api: ReplicaApi;
  clock: ReplicaClock;
  close(): Promise<void>;
}

export interface StartReplicaOptions {
  /** The package's examples/ folder (the signer key). */
  examplesDir: string;
  clock?: ReplicaClock;
  /** How oidc-provider is loaded (tests: a loader that fails as on a machine without it). */
  loadProvider?: () => Promise<ProviderConstructor>;
}

function signerJwk(examplesDir: string): Record<string, unknown> {
  const key = createPrivateKey(readFileSync(join(examplesDir, SIGNER_KEY_FILE)));
  return { ...(key.export({ format: 'jwk' }) as Record<string, unknown>), kid: SIGNER_KID, alg: 'RS256', use: 'sig' };
}

/** @example const replica = await startReplica({ examplesDir }); try { ... } finally { await replica.close(); } */
export async function startReplica(options: StartReplicaOptions): Promise<Replica> {
  const Provider = await (options.loadProvider ?? loadOidcProvider)();
  const clock = options.clock ?? fixedClock();
  const clients: ReplicaClient[] = [LOCAL_CLIENT, STAGING_CLIENT].map((id) => ({ id, secret: randomBytes(32).toString('base64url') }));
  const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-replica-'));
  const stops: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const provider = await startReplicaProvider({ Provider, signer: { jwk: signerJwk(options.examplesDir) }, clients, clock });
    stops.push(provider.close);
    const gateway = await startReplicaGateway(clock);
    stops.push(gateway.close);
    const origins: ReplicaOrigins = { provider: provider.origin, gateway: gateway.origin };
    const contractPath = writeReplicaContract(dir, origins, clients);
    const api = await startReplicaApi({ contractPath, env: 'staging', clock });
    stops.push(api.close);
    gateway.setUpstream(api.origin);
    return { dir, contractPath, origins: { ...origins, api: api.origin }, api, clock, close };
  } catch (e) {
    await close();
    throw e;
  }
}
