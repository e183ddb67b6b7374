/**
 * One HTTP server for the middleware benchmark, run as a child process so
 * that the load generator (autocannon, in the parent) and the server do
 * not share a CPU. Config comes in JWT_BENCH_CONFIG (JSON); the child
 * prints "PORT <n>" once listening.
 *
 * Variants: node-none, node-jwt-doctor, node-express-jwt,
 *           node-jose, express-none, express-jwt-doctor, express-express-jwt.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressjwt } from 'express-jwt';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Registry } from 'prom-client';
import { createVerifier, jwtDoctorExpress, withJwtAuth } from '../src/middleware/index.ts';

export interface BenchServerConfig {
  variant: string;
  jwk: Record<string, unknown>;
  publicPem: string;
  iss: string;
  aud: string;
}

const cfg = JSON.parse(process.env.JWT_BENCH_CONFIG ?? '{}') as BenchServerConfig;
const [framework, auth] = [cfg.variant.split('-')[0], cfg.variant.split('-').slice(1).join('-')];
const body = '{"ok":true}';

function doctor(offloadSignatures = false) {
  // Metrics on a real registry, logs off (valid tokens are not logged anyway).
  return createVerifier({ name: 'bench', issuer: [cfg.iss], audience: [cfg.aud], algorithms: ['RS256'], keys: [{ jwk: cfg.jwk }] }, { registry: new Registry(), logger: false, offloadSignatures });
}
const ejwt = () => expressjwt({ secret: cfg.publicPem, algorithms: ['RS256'], issuer: cfg.iss, audience: cfg.aud });

let server;
if (framework === 'node') {
  const ok = (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  if (auth === 'none') server = createServer(ok);
  else if (auth === 'jwt-doctor' || auth === 'jwt-doctor-offload') {
    const v = doctor(auth === 'jwt-doctor-offload');
    await v.ready();
    server = createServer(withJwtAuth(v, ok, { route: () => '/orders/:id' }));
  } else if (auth === 'jose') {
    const jwks = createLocalJWKSet({ keys: [cfg.jwk as never] });
    server = createServer((req, res) => {
      const h = req.headers.authorization;
      if (!h?.startsWith('Bearer ')) return void res.writeHead(401).end();
      jwtVerify(h.slice(7), jwks, { issuer: cfg.iss, audience: cfg.aud, algorithms: ['RS256'] }).then(
        () => ok(req, res),
        () => res.writeHead(401).end(),
      );
    });
  } else {
    const mw = ejwt();
    server = createServer((req, res) => {
      void mw(req as never, res as never, (err?: unknown) => {
        if (err) return void res.writeHead(401).end();
        ok(req, res);
      });
    });
  }
} else {
  const app = express();
  const handler = (_req: express.Request, res: express.Response) => void res.type('application/json').send(body);
  if (auth === 'none') app.get('/orders/:id', handler);
  else if (auth === 'jwt-doctor') {
    const v = doctor();
    await v.ready();
    app.get('/orders/:id', jwtDoctorExpress(v), handler);
  } else {
    app.get('/orders/:id', ejwt(), handler);
    // express-jwt signals a rejection with an error: answer 401 quietly (the default handler logs a stack).
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(401).end());
  }
  server = createServer(app);
}
// SIGUSR2 (from the RSS benchmark): a full GC, then the memory figures on
// stdout, so a leak shows as growth of the heap that survives collection.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stdout.write(`MEM ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed })}\n`);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
