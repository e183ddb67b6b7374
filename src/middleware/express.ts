import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { requestIdOf } from './log.ts';
import { answerSpecialPath } from './special_paths.ts';
import {
  isThenable,
  synchronousVerify,
  type AnonymousOutcome,
  type AuthContext,
  type OptionalAuthRequest,
  type Rejection,
  type Verifier,
  type VerifyOutcome,
} from './verifier.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by jwt-doctor's middleware once the token is verified. */
    auth?: AuthContext;
  }
}

export interface ExpressAuthOptions {
  /** Scopes the route requires (403 insufficient_scope when one is missing). */
  scopes?: readonly string[];
  /** Route template override; default `req.baseUrl + req.route.path` when mounted on a route, else "unmatched". */
  route?: (req: Request) => string | undefined;
  /**
   * `false`: a request without any token continues with `req.auth`
   * undefined (express-jwt's option); a token that is present is still
   * verified and a bad one rejected. Default true.
   */
  credentialsRequired?: boolean;
  /**
   * Renders a rejection yourself (or hands it to your error handler with
   * `next(err)`) instead of the default RFC 6750 answer. `rejection`
   * carries `reason`, `status`, `headers` (keep `WWW-Authenticate`), `body`
   * and `requestId`. A throw goes to `next(err)`.
   */
  onRejected?: (rejection: Rejection, req: Request, res: Response, next: NextFunction) => unknown;
}

/**
 * Express middleware. Mount it on routes (`app.get('/orders/:id',
 * jwtDoctorExpress(verifier), handler)`) so the route template is known for
 * the metrics label; mounted with `app.use` it still verifies, with route
 * "unmatched" (Express has not routed yet). Errors of the middleware or of
 * `onRejected` are logged with the request id and passed to `next(err)`,
 * Express's error handling (as are the route handlers' own, by Express).
 *
 * @example
 * app.get('/v1/orders/:id', jwtDoctorExpress(verifier, { scopes: ['orders:read'] }), (req, res) => res.json(req.auth!.claims));
 */
export function jwtDoctorExpress(verifier: Verifier, options: ExpressAuthOptions = {}): RequestHandler {
  const hasSpecial = verifier.debugPath !== undefined || verifier.metricsPath !== undefined;
  const credentialsRequired = options.credentialsRequired ?? true;
  const now = synchronousVerify(verifier);
  const requestOf = (req: Request, route: string | undefined): OptionalAuthRequest => ({
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    credentialsRequired,
    ...(route !== undefined ? { route } : {}),
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    let route: string | undefined;
    let requestId: string | undefined;
    const fail = (err: unknown) => {
      verifier.logHandlerError(err, {
        requestId: requestId ?? requestIdOf(req.headers['x-request-id']),
        ...(route !== undefined ? { route } : {}),
      });
      next(err);
    };
    const deliver = (outcome: VerifyOutcome | AnonymousOutcome): void => {
      if (outcome.ok) {
        if (outcome.auth) req.auth = outcome.auth;
        return next();
      }
      requestId = outcome.requestId;
      if (!options.onRejected) return void res.status(outcome.status).set(outcome.headers).send(outcome.body);
      const result = options.onRejected(outcome, req, res, next);
      if (isThenable(result)) result.then(undefined, fail);
    };
    const run = async () => {
      if (hasSpecial) {
        const special = await answerSpecialPath(verifier, req.method, req.originalUrl);
        if (special) {
          res.status(special.status).set(special.headers).send(special.body);
          return;
        }
      }
      // Fetch standard (CORS protocol): a preflight never carries credentials; let the CORS layer answer it.
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) return next();
      const template = req.route?.path;
      route = options.route?.(req) ?? (typeof template === 'string' ? req.baseUrl + template : undefined);
      // The synchronous fast path (src/middleware/verifier.ts): decided and handed on in this tick when it can be.
      const outcome = (now !== undefined ? now(requestOf(req, route)) : undefined) ?? (await verifier.verify(requestOf(req, route)));
      deliver(outcome);
    };
    // An async function runs synchronously up to its first await: with the fast path, up to next().
    run().catch(fail);
  };
}
