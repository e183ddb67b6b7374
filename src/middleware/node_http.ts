import type { IncomingMessage, ServerResponse } from 'node:http';
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

export type AuthenticatedRequest = IncomingMessage & { auth: AuthContext };
/** With `credentialsRequired: false`: `auth` is null when the request carried no token. */
export type MaybeAuthenticatedRequest = IncomingMessage & { auth: AuthContext | null };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type Handler<R> = (req: R, res: ServerResponse) => unknown;

export interface NodeHttpAuthOptions {
  /** The route template of a request (metrics label, log): e.g. from your router. Default "unmatched". */
  route?: (req: IncomingMessage) => string | undefined;
  /** Scopes the request's route requires. */
  scopes?: (req: IncomingMessage, route: string | undefined) => readonly string[] | undefined;
  /**
   * `false`: a request without any token reaches the handler with
   * `req.auth = null` (as express-jwt's option); a token that is present is
   * still verified and a bad one rejected. Default true.
   */
  credentialsRequired?: boolean;
  /**
   * Renders a rejection yourself instead of the default RFC 6750 answer:
   * `rejection` carries `reason`, `status`, `headers` (keep
   * `WWW-Authenticate`), `body` and `requestId`. A throw is handled like a
   * handler's.
   */
  onRejected?: (rejection: Rejection, req: IncomingMessage, res: ServerResponse) => unknown;
}

/**
 * Wraps a `node:http` request listener: the handler runs only for requests
 * with a verified token (claims on `req.auth`); others get the RFC 6750
 * answer (or `onRejected`'s). Also serves the debug and metrics paths when
 * the verifier enables them. When the handler itself throws, the error is
 * logged with the request id and answered 500 (when nothing was sent yet).
 *
 * @example
 * http.createServer(withJwtAuth(verifier, (req, res) => res.end(req.auth.claims.sub), {
 *   route: (req) => (req.url?.startsWith('/v1/orders/') ? '/v1/orders/:id' : undefined),
 * })).listen(3000);
 */
export function withJwtAuth(
  verifier: Verifier,
  handler: (req: MaybeAuthenticatedRequest, res: ServerResponse) => unknown,
  options: NodeHttpAuthOptions & { credentialsRequired: false },
): Listener;
export function withJwtAuth(
  verifier: Verifier,
  handler: (req: AuthenticatedRequest, res: ServerResponse) => unknown,
  options?: NodeHttpAuthOptions & { credentialsRequired?: true },
): Listener;
export function withJwtAuth(
  verifier: Verifier,
  handler: (req: MaybeAuthenticatedRequest, res: ServerResponse) => unknown,
  options?: NodeHttpAuthOptions,
): Listener;
export function withJwtAuth(
  verifier: Verifier,
  handler: Handler<AuthenticatedRequest> | Handler<MaybeAuthenticatedRequest>,
  options: NodeHttpAuthOptions = {},
): Listener {
  const hasSpecial = verifier.debugPath !== undefined || verifier.metricsPath !== undefined;
  const credentialsRequired = options.credentialsRequired ?? true;
  const now = synchronousVerify(verifier);
  const requestOf = (req: IncomingMessage, route: string | undefined): OptionalAuthRequest => {
    const scopes = options.scopes?.(req, route);
    return {
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      credentialsRequired,
      ...(route !== undefined ? { route } : {}),
      ...(scopes ? { scopes } : {}),
    };
  };
  // From the outcome on, any throw (or rejected promise) is the application's (its hook or its handler), never the token's.
  const fail = (
    err: unknown,
    outcome: VerifyOutcome | AnonymousOutcome,
    req: IncomingMessage,
    res: ServerResponse,
    route: string | undefined,
  ): void => {
    // Computed only on failure: a fresh UUID per request would cost the hot path.
    const requestId = outcome.ok ? requestIdOf(req.headers['x-request-id']) : outcome.requestId;
    verifier.logHandlerError(err, { requestId, ...(route !== undefined ? { route } : {}) });
    answerInternalError(res, requestId);
  };
  const deliver = (
    outcome: VerifyOutcome | AnonymousOutcome,
    req: IncomingMessage,
    res: ServerResponse,
    route: string | undefined,
  ): void => {
    try {
      let result: unknown;
      if (!outcome.ok) {
        if (options.onRejected) result = options.onRejected(outcome, req, res);
        else res.writeHead(outcome.status, outcome.headers).end(outcome.body);
      } else {
        (req as MaybeAuthenticatedRequest).auth = outcome.auth;
        // auth is null only when credentialsRequired is false, which the overloads tie to the handler's type.
        result = (handler as Handler<MaybeAuthenticatedRequest>)(req as MaybeAuthenticatedRequest, res);
      }
      if (isThenable(result)) result.then(undefined, (err: unknown) => fail(err, outcome, req, res, route));
    } catch (err) {
      fail(err, outcome, req, res, route);
    }
  };
  async function run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hasSpecial) {
      const special = await answerSpecialPath(verifier, req.method, req.url);
      if (special) {
        res.writeHead(special.status, special.headers).end(special.body);
        return;
      }
    }
    const route = options.route?.(req);
    deliver(await verifier.verify(requestOf(req, route)), req, res, route);
  }
  return (req, res) => {
    if (now !== undefined && !hasSpecial) {
      // The synchronous fast path: decided, handled and answered in this tick (src/middleware/verifier.ts).
      let route: string | undefined;
      try {
        route = options.route?.(req);
        const outcome = now(requestOf(req, route));
        if (outcome !== undefined) return deliver(outcome, req, res, route);
      } catch {
        return answerInternalError(res, requestIdOf(req.headers['x-request-id']));
      }
    }
    run(req, res).catch(() => answerInternalError(res, requestIdOf(req.headers['x-request-id'])));
  };
}

/** A 500 that echoes nothing of the request but its id (the one in the log line). */
function answerInternalError(res: ServerResponse, requestId: string): void {
  if (res.writableEnded) return;
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: 'internal_error', request_id: requestId }));
}
