/**
 * The replica's orders API: a node:http server whose one route is guarded
 * by jwt-doctor's middleware (createVerifier + withJwtAuth) verifying as
 * one environment of the contract, with the probe's echo handler embedded
 * (so `probe` and `check` see what reached the API). `reload()` swaps the
 * verifier for one built from the contract file as it is now: the
 * replica's deploy of a verifier configuration change.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { loadContract } from '../contract/load.ts';
import { createVerifier, type Verifier } from '../middleware/verifier.ts';
import { withJwtAuth, type AuthenticatedRequest } from '../middleware/node_http.ts';
import { createEchoHandler } from '../probe/echo_handler.ts';
import { UsageError } from '../errors.ts';
import { listenLoopback, type LoopbackServer } from './listen_loopback.ts';
import type { ReplicaClock } from './replica_clock.ts';

export const ORDERS_ROUTE = '/v1/orders';

export interface ReplicaApi extends LoopbackServer {
  /** Rebuilds the verifier from the contract file (and fetches its keys) before the next request. */
  reload(): Promise<void>;
}

export interface ReplicaApiOptions {
  contractPath: string;
  env: string;
  clock: ReplicaClock;
}

async function buildVerifier(options: ReplicaApiOptions): Promise<Verifier> {
  const contract = loadContract(options.contractPath);
  const env = contract.environments[options.env];
  if (env === undefined) throw new UsageError(`the replica's contract has no environment ${options.env}`);
  // logger false: the demo prints the 401 itself; registry false: no metrics in prom-client's global registry.
  const verifier = createVerifier(env, { contract, logger: false, registry: false, now: options.clock.now });
  await verifier.ready();
  return verifier;
}

const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0]!;

/** The one route; any other path of a verified request is a 404. */
const orders = (req: AuthenticatedRequest, res: ServerResponse): void => {
  const found = pathOf(req) === ORDERS_ROUTE;
  const body = JSON.stringify(found ? { orders: [], sub: req.auth.claims.sub ?? null } : { error: 'not_found' });
  res.writeHead(found ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
};

const guard = (verifier: Verifier) =>
  withJwtAuth(verifier, orders, { route: (req) => (pathOf(req) === ORDERS_ROUTE ? ORDERS_ROUTE : undefined) });

/** Starts the API on a free loopback port, verifying as `options.env`. */
export async function startReplicaApi(options: ReplicaApiOptions): Promise<ReplicaApi> {
  let verifier = await buildVerifier(options);
  let guarded = guard(verifier);
  const echo = createEchoHandler();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('date', options.clock.dateHeader());
    echo(req, res, () => guarded(req, res));
  });
  const listening = await listenLoopback(server);
  return {
    origin: listening.origin,
    async reload() {
      const next = await buildVerifier(options);
      verifier.close();
      verifier = next;
      guarded = guard(verifier);
    },
    async close() {
      verifier.close();
      await listening.close();
    },
  };
}
