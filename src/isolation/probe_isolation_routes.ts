import type { ApiConfig } from '../contract/api_section.ts';
import { authRoutes } from '../drill/run_attacks.ts';
import { routeName, sendToken } from '../drill/send_token.ts';

/** What one production route did with one token minted for another environment. */
export interface RouteAnswer {
  route: string;
  verdict: 'accepted' | 'rejected' | 'inconclusive';
  status?: number;
  /** The reason the API gave (RFC 6750 error_description, mapped to our code). */
  reason?: string;
  /** Transport failure kind, when there was no answer. */
  error?: string;
}

/**
 * Sends the token to every production route that accepts a valid token
 * (expectStatus 2xx: a route that rejects everything proves nothing), in
 * the API's header and scheme, each request with the deadline. A 2xx is
 * accepted; 401, 403 or 400 rejected (RFC 6750 section 3.1); anything
 * else, or no answer, inconclusive. Never throws.
 *
 * @example (await probeIsolationRoutes(api, token, 3000)).map((a) => a.verdict) // ['rejected', 'rejected']
 */
export async function probeIsolationRoutes(api: ApiConfig, token: string, timeoutMs: number): Promise<RouteAnswer[]> {
  return Promise.all(
    authRoutes(api.routes).map(async (route): Promise<RouteAnswer> => {
      const a = await sendToken(api, route, token, timeoutMs);
      return {
        route: routeName(route),
        verdict: a.verdict,
        ...(a.status !== undefined ? { status: a.status } : {}),
        ...(a.reason !== undefined ? { reason: a.reason } : {}),
        ...(a.error !== undefined ? { error: a.error } : {}),
      };
    }),
  );
}

/** One verdict for the API: accepted when any route accepted, rejected when every route rejected, else undecided. */
export function apiVerdict(answers: readonly RouteAnswer[]): 'accepted' | 'rejected' | 'inconclusive' {
  if (answers.some((a) => a.verdict === 'accepted')) return 'accepted';
  return answers.length > 0 && answers.every((a) => a.verdict === 'rejected') ? 'rejected' : 'inconclusive';
}
