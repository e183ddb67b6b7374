import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerSpecialPath } from './special_paths.ts';
import type { AuthContext, Rejection, Verifier } from './verifier.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by jwt-doctor's plugin once the token is verified. */
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** `false` skips verification on this route; `{ scopes }` requires scopes; `credentialsRequired` overrides the plugin's. */
    jwtDoctor?: false | { scopes?: readonly string[]; credentialsRequired?: boolean };
  }
}

export interface FastifyAuthOptions {
  verifier: Verifier;
  /**
   * `false`: a request without any token continues with `request.auth`
   * null (express-jwt's option); a token that is present is still verified
   * and a bad one rejected. Default true; per route in `config.jwtDoctor`.
   */
  credentialsRequired?: boolean;
  /**
   * Renders a rejection yourself instead of the default RFC 6750 answer
   * (send on `reply`, or throw to reach your error handler). `rejection`
   * carries `reason`, `status`, `headers` (keep `WWW-Authenticate`), `body`
   * and `requestId` (= `request.id`).
   */
  onRejected?: (rejection: Rejection, request: FastifyRequest, reply: FastifyReply) => unknown;
}

/**
 * Fastify plugin: an onRequest hook on every route of the scope it is
 * registered in (not encapsulated, like fastify-plugin), route template
 * from `request.routeOptions.url`, scopes and opt-out per route through
 * `config.jwtDoctor`. Registers the debug and metrics routes when the
 * verifier enables them. Rejections are logged on `request.log` with
 * `request.id` as the request id (unless the verifier was given its own
 * `logger`); errors (an `onRejected` or a handler throwing) go to Fastify's
 * error handler, which logs them with the same id.
 *
 * @example
 * await app.register(jwtDoctorFastify, { verifier });
 * app.get('/v1/orders/:id', { config: { jwtDoctor: { scopes: ['orders:read'] } } }, async (req) => req.auth!.claims);
 */
export function jwtDoctorFastify(fastify: FastifyInstance, opts: FastifyAuthOptions, done: (err?: Error) => void): void {
  const verifier = opts.verifier;
  fastify.decorateRequest('auth', null);
  for (const path of [verifier.debugPath, verifier.metricsPath]) {
    if (path === undefined) continue;
    fastify.get(path, { config: { jwtDoctor: false } }, async (request: FastifyRequest, reply: FastifyReply) => {
      const special = await answerSpecialPath(verifier, 'GET', request.url);
      if (!special) return reply.code(404).send();
      return reply.code(special.status).headers(special.headers).send(special.body);
    });
  }
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config?.jwtDoctor;
    if (config === false) return;
    // Fetch standard (CORS protocol): a preflight never carries credentials; let the CORS layer answer it.
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) return;
    const route = request.routeOptions.url;
    const scopes = config?.scopes;
    const credentialsRequired = config?.credentialsRequired ?? opts.credentialsRequired ?? true;
    const outcome = await verifier.verify({
      headers: request.headers,
      rawHeaders: request.raw.rawHeaders,
      credentialsRequired,
      requestId: request.id,
      logger: request.log,
      ...(route !== undefined ? { route } : {}),
      ...(scopes ? { scopes } : {}),
    });
    if (!outcome.ok) {
      if (opts.onRejected) {
        await opts.onRejected(outcome, request, reply);
        // A hook that neither sent nor threw must not leave the request hanging.
        if (!reply.sent) reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
        return reply;
      }
      return reply.code(outcome.status).headers(outcome.headers).send(outcome.body);
    }
    request.auth = outcome.auth;
    return undefined;
  });
  done();
}
// Not encapsulated: the hook applies to the routes of the registering scope (fastify-plugin's convention).
Object.assign(jwtDoctorFastify, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'jwt-doctor' });
