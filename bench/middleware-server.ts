/**
 * One HTTP server for the middleware benchmark, run as a child process so
 * that the load generator (autocannon, in the parent) and the server do
 * not share an event loop. Config comes in JWT_BENCH_CONFIG (JSON); the
 * child prints "PORT <n>" once listening.
 *
 * Variants (`<framework>-<auth>`), every peer in its best configuration:
 *   node-none, node-jwt-doctor (defaults), node-jwt-doctor-sync (offloadSignatures: false),
 *   node-jose (jwtVerify per request: as many verifications in flight as requests),
 *   node-express-jwt (a KeyObject, not a PEM string), node-fast-jwt,
 *   express-none, express-jwt-doctor, express-express-jwt,
 *   fastify-none, fastify-jwt-doctor, fastify-fastify-jwt (@fastify/jwt).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPublicKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressjwt } from 'express-jwt';
import Fastify from 'fastify';
import fastifyJwt from '@fastify/jwt';
import { createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { importJWK, jwtVerify } from 'jose';
import { Registry } from 'prom-client';
import { createVerifier, jwtDoctorExpress, jwtDoctorFastify, withJwtAuth } from '../src/middleware/index.ts';

export interface BenchServerConfig {
  variant: string;
  alg: 'RS256' | 'ES256';
  jwk: Record<string, unknown>;
  publicPem: string;
  iss: string;
  aud: string;
}

const cfg = JSON.parse(process.env.JWT_BENCH_CONFIG ?? '{}') as BenchServerConfig;
const framework = cfg.variant.split('-')[0]!;
const auth = cfg.variant.split('-').slice(1).join('-');
const body = '{"ok":true}';
const algorithms = [cfg.alg];
// express-jwt (jsonwebtoken) re-imports a PEM string on every verification; a KeyObject is its best case.
const keyObject = createPublicKey(cfg.publicPem);

async function doctor(offloadSignatures?: boolean) {
  // Metrics on a real registry, logs off (valid tokens are not logged anyway); offload as configured or by default.
  const v = createVerifier(
    { name: 'bench', issuer: [cfg.iss], audience: [cfg.aud], algorithms, keys: [{ jwk: cfg.jwk }] },
    { registry: new Registry(), logger: false, ...(offloadSignatures !== undefined ? { offloadSignatures } : {}) },
  );
  await v.ready();
  return v;
}
const ejwt = () => expressjwt({ secret: keyObject, algorithms: algorithms as never, issuer: cfg.iss, audience: cfg.aud });

async function nodeServer() {
  const ok = (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  if (auth === 'none') return createServer(ok);
  if (auth === 'jwt-doctor' || auth === 'jwt-doctor-sync')
    return createServer(withJwtAuth(await doctor(auth === 'jwt-doctor-sync' ? false : undefined), ok, { route: () => '/orders/:id' }));
  if (auth === 'jose') {
    const key = await importJWK(cfg.jwk as never, cfg.alg);
    return createServer((req, res) => {
      const h = req.headers.authorization;
      if (!h?.startsWith('Bearer ')) return void res.writeHead(401).end();
      jwtVerify(h.slice(7), key, { issuer: cfg.iss, audience: cfg.aud, algorithms }).then(
        () => ok(req, res),
        () => res.writeHead(401).end(),
      );
    });
  }
  if (auth === 'fast-jwt') {
    // fast-jwt 6 takes the key as a string or Buffer only ("The public key must be a string or a buffer").
    const verify = createFastJwtVerifier({ key: cfg.publicPem, algorithms, allowedIss: cfg.iss, allowedAud: cfg.aud });
    return createServer((req, res) => {
      const h = req.headers.authorization;
      if (!h?.startsWith('Bearer ')) return void res.writeHead(401).end();
      try {
        verify(h.slice(7));
      } catch {
        return void res.writeHead(401).end();
      }
      ok(req, res);
    });
  }
  const mw = ejwt();
  return createServer((req, res) => {
    void mw(req as never, res as never, (err?: unknown) => {
      if (err) return void res.writeHead(401).end();
      ok(req, res);
    });
  });
}

async function expressServer() {
  const app = express();
  const handler = (_req: express.Request, res: express.Response) => void res.type('application/json').send(body);
  if (auth === 'none') app.get('/orders/:id', handler);
  else if (auth === 'jwt-doctor') app.get('/orders/:id', jwtDoctorExpress(await doctor()), handler);
  else {
    app.get('/orders/:id', ejwt(), handler);
    // express-jwt signals a rejection with an error: answer 401 quietly (the default handler logs a stack).
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(401).end());
  }
  return createServer(app);
}

async function fastifyServer() {
  let server: ReturnType<typeof createServer> | undefined;
  const app = Fastify({ serverFactory: (handler) => (server = createServer(handler)) });
  if (auth === 'jwt-doctor') await app.register(jwtDoctorFastify, { verifier: await doctor() });
  if (auth === 'fastify-jwt') {
    await app.register(fastifyJwt, { secret: { public: cfg.publicPem }, verify: { algorithms, allowedIss: cfg.iss, allowedAud: cfg.aud } });
    app.addHook('onRequest', async (request, reply) => {
      try {
        await request.jwtVerify();
      } catch {
        return reply.code(401).send();
      }
      return undefined;
    });
  }
  app.get('/orders/:id', async (_req, reply) => reply.type('application/json').send(body));
  await app.ready();
  return server!;
}

const server = framework === 'node' ? await nodeServer() : framework === 'express' ? await expressServer() : await fastifyServer();
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
