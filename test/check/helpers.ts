/**
 * Real parts for the check tests: an API on 127.0.0.1 running jwt-doctor's
 * middleware (node:http adapter) for one environment of a contract, with
 * the probe's echo handler, a /strip/ prefix that drops Authorization the
 * way a misconfigured gateway does, and a Date header a test may shift.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Contract } from '../../src/contract/load.ts';
import { createVerifier, withJwtAuth } from '../../src/middleware/index.ts';
import { createEchoHandler } from '../../src/probe/echo_handler.ts';
import { closeServer, listen } from '../helpers/index.ts';

export interface TestApi {
  url: string;
  close(): Promise<void>;
}

/** The HTTP Date of `clockMs() + shiftSeconds` (RFC 9110 section 6.6.1: IMF-fixdate). */
export function shiftedDate(clockMs: () => number, shiftSeconds: number): () => string {
  return () => new Date(clockMs() + shiftSeconds * 1000).toUTCString();
}

/** @example const api = await startApi(contract, 'staging', { date: shiftedDate(() => CLOCK_MS, 60) }); */
export async function startApi(contract: Contract, envName: string, o: { date?: () => string } = {}): Promise<TestApi> {
  const verifier = createVerifier(contract.environments[envName]!, { contract });
  const echo = createEchoHandler();
  const app = withJwtAuth(
    verifier,
    (req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: req.auth.claims.sub })),
  );
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (o.date) {
      res.sendDate = false;
      res.setHeader('date', o.date());
    }
    echo(req, res, () => void app(req, res));
  });
  const url = await listen(server);
  return {
    url,
    close: async () => {
      verifier.close();
      await closeServer(server);
    },
  };
}

/** A server that only answers with a Date (an issuer's clock). */
export async function startDateServer(date: () => string): Promise<TestApi> {
  const server = createServer((_req, res) => {
    res.sendDate = false;
    res.writeHead(200, { date: date(), 'content-type': 'text/plain' }).end('ok');
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}

/** A forwarding gateway: /strip/<path> goes to <path> without Authorization, anything else as it came. */
export async function startGateway(upstream: string): Promise<TestApi> {
  const server = createServer((req, res) => {
    const strip = req.url?.startsWith('/strip/') === true;
    const headers = { ...req.headers };
    if (strip) delete headers.authorization;
    const up = request(new URL(strip ? req.url!.slice('/strip'.length) : req.url!, upstream), { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
}
