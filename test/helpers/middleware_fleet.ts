/**
 * A fleet of real verifier instances on 127.0.0.1 for the Prometheus tests:
 * node:http + jwt-doctor's middleware (its /metrics on each), the same
 * environment and keys, each with its own prom-client registry (one process
 * per instance, as far as Prometheus can tell). The clock is the suite's NOW.
 */
import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { createVerifier, withJwtAuth, type Verifier } from '../../src/middleware/index.ts';
import { AUD, ISS, NOW, claimsAt, closeServer, jwksKey, listen, makeKey, signToken } from './index.ts';

export const FLEET_ENV = 'staging';
/** The retiring key, the current key (both trusted), and a key no instance trusts. */
export const OLD_KID = 'staging-2026-10';
export const NEW_KID = 'staging-2026-11';
const oldKey = jwksKey(OLD_KID);
const newKey = jwksKey(NEW_KID);
/** The public keys (a JWKS's `keys`): the issuer after the rotation publishes `current` only. */
export const FLEET_JWKS = { old: oldKey.publicJwk, current: newKey.publicJwk };
const strayKey = makeKey('RS256', { kid: 'stray-1' });

/** The route templates the instances label: never the raw path. */
export const ROUTES = { order: '/orders/:id', me: '/me' } as const;

/** The tokens a test sends, by what the verifier must answer. */
export const FLEET_TOKENS = {
  validOld: signToken(oldKey, claimsAt(NOW)),
  validNew: signToken(newKey, claimsAt(NOW)),
  expired: signToken(newKey, claimsAt(NOW - 7200)),
  expiredOld: signToken(oldKey, claimsAt(NOW - 7200)),
  wrongAudience: signToken(newKey, claimsAt(NOW, { aud: 'another-api' })),
  unknownKid: signToken(strayKey, claimsAt(NOW)),
} as const;

export interface FleetInstance {
  url: string;
  /** host:port, the Prometheus target. */
  target: string;
  /** GET `path` with `token` (an Authorization: Bearer header); resolves with the status. */
  send(path: string, token: string): Promise<number>;
}

export interface Fleet {
  instances: FleetInstance[];
  close(): Promise<void>;
}

function routeOf(url: string | undefined): string | undefined {
  if (url?.startsWith('/orders/')) return ROUTES.order;
  return url === '/me' ? ROUTES.me : undefined;
}

/** Starts `n` instances of one verifier configuration. */
export async function startFleet(n: number): Promise<Fleet> {
  const servers: Server[] = [];
  const verifiers: Verifier[] = [];
  const instances: FleetInstance[] = [];
  for (let i = 0; i < n; i++) {
    const verifier = createVerifier(
      {
        name: FLEET_ENV,
        issuer: [ISS],
        audience: [AUD],
        algorithms: ['RS256'],
        keys: [{ jwk: oldKey.publicJwk }, { jwk: newKey.publicJwk }],
      },
      { registry: new Registry(), logger: false, now: () => NOW, metricsPath: '/metrics' },
    );
    const server = createServer(withJwtAuth(verifier, (_req, res) => void res.end('ok'), { route: (req) => routeOf(req.url) }));
    const url = await listen(server);
    servers.push(server);
    verifiers.push(verifier);
    instances.push({
      url,
      target: new URL(url).host,
      send: async (path, token) => {
        const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        return res.status;
      },
    });
  }
  return {
    instances,
    close: async () => {
      for (const v of verifiers) v.close();
      await Promise.all(servers.map((s) => closeServer(s)));
    },
  };
}
