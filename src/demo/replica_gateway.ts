/**
 * The replica's gateway: a small reverse proxy in Node (no nginx, no
 * Docker: the demo needs only Node) in front of the API. It forwards
 * method, path, headers (Authorization included: RFC 9110 section 11.6.2)
 * and body to the upstream, adds X-Forwarded-For / -Host / -Proto
 * (RFC 7239's de facto forms), and answers 502 when the upstream fails or
 * exceeds its deadline, never hanging.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLoopback, type LoopbackServer } from './listen_loopback.ts';
import type { ReplicaClock } from './replica_clock.ts';

export const GATEWAY_TIMEOUT_MS = 10_000;
/** RFC 9110 section 15.6.3: the upstream answered nothing usable. */
const BAD_GATEWAY = 502;

// RFC 9110 section 7.6.1: connection-specific fields are not forwarded.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function forwardedHeaders(req: IncomingMessage, upstream: URL): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) headers[name] = value;
  headers.host = upstream.host;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

function badGateway(res: ServerResponse, clock: ReplicaClock): void {
  if (res.headersSent) return void res.destroy();
  res
    .writeHead(BAD_GATEWAY, { 'content-type': 'application/json', date: clock.dateHeader() })
    .end(JSON.stringify({ error: 'bad_gateway' }));
}

export interface ReplicaGateway extends LoopbackServer {
  /** Where every path is proxied to (an origin); until set, the gateway answers 502. */
  setUpstream(origin: string): void;
}

/** Starts the gateway on a free loopback port (it starts before its upstream, whose contract names the gateway). */
export async function startReplicaGateway(clock: ReplicaClock): Promise<ReplicaGateway> {
  let target: URL | undefined;
  const server = createServer((req, res) => {
    if (target === undefined) return badGateway(res, clock);
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: forwardedHeaders(req, target), agent: false },
      (answer) => {
        const headers = { ...answer.headers };
        for (const h of HOP_BY_HOP) delete headers[h];
        res.writeHead(answer.statusCode ?? BAD_GATEWAY, headers);
        answer.pipe(res);
      },
    );
    up.setTimeout(GATEWAY_TIMEOUT_MS, () => up.destroy(new Error('upstream timeout')));
    up.on('error', () => badGateway(res, clock));
    req.pipe(up);
  });
  const listening = await listenLoopback(server);
  return { ...listening, setUpstream: (origin) => void (target = new URL(origin)) };
}
