import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerSpecialPath } from './special_paths.ts';
import type { AuthContext, Verifier } from './verifier.ts';

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
}

/**
 * Express middleware. Mount it on routes (`app.get('/orders/:id',
 * jwtDoctorExpress(verifier), handler)`) so the route template is known for
 * the metrics label; mounted with `app.use` it still verifies, with route
 * "unmatched" (Express has not routed yet).
 *
 * @example
 * app.get('/v1/orders/:id', jwtDoctorExpress(verifier, { scopes: ['orders:read'] }), (req, res) => res.json(req.auth!.claims));
 */
export function jwtDoctorExpress(verifier: Verifier, options: ExpressAuthOptions = {}): RequestHandler {
  const hasSpecial = verifier.debugPath !== undefined || verifier.metricsPath !== undefined;
  return (req: Request, res: Response, next: NextFunction) => {
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
      const route = options.route?.(req) ?? (typeof template === 'string' ? req.baseUrl + template : undefined);
      const outcome = await verifier.verify({ headers: req.headers, rawHeaders: req.rawHeaders, ...(route !== undefined ? { route } : {}), ...(options.scopes ? { scopes: options.scopes } : {}) });
      if (!outcome.ok) {
        res.status(outcome.status).set(outcome.headers).send(outcome.body);
        return;
      }
      req.auth = outcome.auth;
      next();
    };
    run().catch(next);
  };
}
