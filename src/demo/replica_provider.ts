/**
 * The replica's identity provider: panva's oidc-provider (a dev dependency
 * of this repository, loaded with a dynamic import so the published CLI
 * starts without it) on 127.0.0.1, with OAuth 2.0 client_credentials
 * clients whose access tokens are JWTs (RFC 9068) for the replica's API,
 * signed with the bundled example's staging signer key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback, type LoopbackServer } from './listen_loopback.ts';
import type { ReplicaClock } from './replica_clock.ts';

/** RFC 8707 resource indicator of the replica's orders API; its tokens carry REPLICA_AUDIENCE. */
export const REPLICA_RESOURCE = 'https://orders.replica.test';
export const REPLICA_AUDIENCE = 'web-staging';
export const ACCESS_TOKEN_TTL_SECONDS = 600;

export interface ReplicaClient {
  id: string;
  /** Generated per run, written to the replica's folder only: never printed. */
  secret: string;
}

export interface ProviderSigner {
  /** The private JWK (with kid and alg). */
  jwk: Record<string, unknown>;
}

type ProviderInstance = { callback(): (req: IncomingMessage, res: ServerResponse) => void };
export type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

/** oidc-provider is not installed (the published package): the replica cannot run. */
export class ReplicaUnavailableError extends Error {
  readonly code = 'replica_unavailable';
}

/**
 * Imports oidc-provider. Its import warns on stderr that Node 20 is not a
 * release it supports (it runs there: this repository's tests use it on
 * 20); the demo runs on 20 by design, so that one notice is held back.
 * `specifier` is for tests (a package that is not installed).
 */
export async function loadOidcProvider(specifier = 'oidc-provider'): Promise<ProviderConstructor> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  try {
    const mod = (await import(specifier)) as { default: ProviderConstructor };
    return mod.default;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new ReplicaUnavailableError('oidc-provider is not installed');
    throw e;
  } finally {
    console.warn = warn;
  }
}

export interface ReplicaProviderOptions {
  Provider: ProviderConstructor;
  signer: ProviderSigner;
  clients: readonly ReplicaClient[];
  clock: ReplicaClock;
}

/** Starts the provider on a free loopback port; its issuer is its own origin. */
export async function startReplicaProvider(options: ReplicaProviderOptions): Promise<LoopbackServer> {
  const server = createServer();
  const listening = await listenLoopback(server);
  let callback: ReturnType<ProviderInstance['callback']>;
  try {
    callback = new options.Provider(listening.origin, providerConfiguration(options)).callback();
  } catch (e) {
    // A configuration the provider refuses: the port it listened on is closed before the error goes up.
    await listening.close();
    throw e;
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('date', options.clock.dateHeader());
    callback(req, res);
  });
  return listening;
}

function providerConfiguration(options: ReplicaProviderOptions): Record<string, unknown> {
  const { clock } = options;
  return {
    adapter: memoryAdapter(clock),
    jwks: { keys: [options.signer.jwk] },
    ttl: { ClientCredentials: ACCESS_TOKEN_TTL_SECONDS },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => REPLICA_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'orders:read',
          audience: REPLICA_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
          jwt: { sign: { alg: String(options.signer.jwk.alg) } },
        }),
      },
    },
    // The replica's clock, not the machine's: iat/exp of every access token (RFC 9068 section 2.2).
    formats: {
      customizers: {
        jwt: (_ctx: unknown, _token: unknown, jwt: { payload: Record<string, unknown> }) => {
          jwt.payload.iat = clock.now();
          jwt.payload.exp = clock.now() + ACCESS_TOKEN_TTL_SECONDS;
        },
      },
    },
    clients: options.clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
  };
}

/**
 * The provider's storage, in memory for this provider's lifetime: its own
 * small adapter, because oidc-provider's built-in one announces itself on
 * stderr as not for production (true, and beside the demo's point).
 */
function memoryAdapter(clock: ReplicaClock) {
  const store = new Map<string, Record<string, unknown>>();
  return class MemoryAdapter {
    constructor(private readonly model: string) {}
    private key(id: string): string {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
      store.set(this.key(id), payload);
    }
    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return store.get(this.key(id));
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async findByUid(): Promise<undefined> {
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const p = store.get(this.key(id));
      if (p) p.consumed = clock.now();
    }
    async destroy(id: string): Promise<void> {
      store.delete(this.key(id));
    }
    async revokeByGrantId(): Promise<void> {}
  };
}
