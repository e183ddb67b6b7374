import type { ApiConfig, ApiRoute } from '../contract/api_section.ts';
import type { ReasonCode } from '../reasons.ts';
import { joinUrl } from '../probe/route_urls.ts';
import { sendRequest } from '../probe/send_request.ts';
import { mapRejection, parseWwwAuthenticate } from '../probe/www_authenticate.ts';

/**
 * What the target did with one token: accepted (2xx), rejected (401, 403,
 * or 400 for a request it refuses to read: RFC 6750 section 3.1), or
 * neither (another status, no answer). Only `rejected` proves a forged
 * token was turned away: a 404 or a 500 proves nothing and fails a drill
 * step as inconclusive.
 */
export interface Answer {
  verdict: 'accepted' | 'rejected' | 'inconclusive';
  status?: number;
  /** The reason the target gave (RFC 6750 error_description, a known verifier's message). */
  reason?: ReasonCode;
  /** Transport failure kind when there was no answer. */
  error?: string;
}

/** The route's display name, as probe prints it. */
export function routeName(route: Pick<ApiRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * Sends one request to the route with the token in the API's header
 * (or none: `token` undefined, the stripped request) and classifies the
 * answer. Never throws: network trouble is an inconclusive answer.
 *
 * @example const a = await sendToken(api, api.routes[0]!, forged, 3000); a.verdict // 'rejected'
 */
export async function sendToken(api: ApiConfig, route: ApiRoute, token: string | undefined, timeoutMs: number): Promise<Answer> {
  const headers: Record<string, string> =
    token === undefined ? {} : { [api.header]: api.scheme === null ? token : `${api.scheme} ${token}` };
  const r = await sendRequest(joinUrl(api.baseUrl, route.path), { method: route.method, headers, timeoutMs });
  if (!r.ok) return { verdict: 'inconclusive', error: r.error };
  if (r.status >= 200 && r.status < 300) return { verdict: 'accepted', status: r.status };
  if (r.status === 401 || r.status === 403 || r.status === 400) {
    const rejection = mapRejection(parseWwwAuthenticate(r.headersDistinct['www-authenticate']), r.body);
    return { verdict: 'rejected', status: r.status, ...(rejection.code !== undefined ? { reason: rejection.code } : {}) };
  }
  return { verdict: 'inconclusive', status: r.status };
}

/** The answer as evidence (what a report row shows). */
export function answerEvidence(a: Answer): Record<string, unknown> {
  return {
    verdict: a.verdict,
    ...(a.status !== undefined ? { status: a.status } : {}),
    ...(a.reason !== undefined ? { reason: a.reason } : {}),
    ...(a.error !== undefined ? { error: a.error } : {}),
  };
}
