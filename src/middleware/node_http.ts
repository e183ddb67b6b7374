import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerSpecialPath } from './special_paths.ts';
import type { AuthContext, Verifier } from './verifier.ts';

export type AuthenticatedRequest = IncomingMessage & { auth: AuthContext };

export interface NodeHttpAuthOptions {
  /** The route template of a request (metrics label, log): e.g. from your router. Default "unmatched". */
  route?: (req: IncomingMessage) => string | undefined;
  /** Scopes the request's route requires. */
  scopes?: (req: IncomingMessage, route: string | undefined) => readonly string[] | undefined;
}

/**
 * Wraps a `node:http` request listener: the handler runs only for requests
 * with a verified token (claims on `req.auth`); others get the RFC 6750
 * answer. Also serves the debug and metrics paths when the verifier
 * enables them.
 *
 * @example
 * http.createServer(withJwtAuth(verifier, (req, res) => res.end(req.auth.claims.sub), {
 *   route: (req) => (req.url?.startsWith('/v1/orders/') ? '/v1/orders/:id' : undefined),
 * })).listen(3000);
 */
export function withJwtAuth(verifier: Verifier, handler: (req: AuthenticatedRequest, res: ServerResponse) => unknown, options: NodeHttpAuthOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const hasSpecial = verifier.debugPath !== undefined || verifier.metricsPath !== undefined;
  async function run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hasSpecial) {
      const special = await answerSpecialPath(verifier, req.method, req.url);
      if (special) {
        res.writeHead(special.status, special.headers).end(special.body);
        return;
      }
    }
    const route = options.route?.(req);
    const scopes = options.scopes?.(req, route);
    const outcome = await verifier.verify({ headers: req.headers, rawHeaders: req.rawHeaders, ...(route !== undefined ? { route } : {}), ...(scopes ? { scopes } : {}) });
    if (!outcome.ok) {
      res.writeHead(outcome.status, outcome.headers).end(outcome.body);
      return;
    }
    (req as AuthenticatedRequest).auth = outcome.auth;
    await handler(req as AuthenticatedRequest, res);
  }
  return (req, res) => {
    run(req, res).catch(() => {
      // The handler's own failure: answer 500 without echoing anything of the request.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal_error"}');
    });
  };
}
