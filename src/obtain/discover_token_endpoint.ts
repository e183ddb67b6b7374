import type { Finding } from '../reasons.ts';
import { fetchJson } from '../net/fetch_json.ts';
import { checkDiscoveryDocument, discoveryTarget } from '../keys/trust.ts';
import { unreachable } from './token_endpoint.ts';

export type TokenEndpointDiscovery =
  | { ok: true; tokenEndpoint: string; introspectionEndpoint?: string; latencyMs: number }
  | { ok: false; finding: Finding; latencyMs: number };

/**
 * The issuer's token endpoint from OpenID Connect discovery (section 4),
 * under the key sources' trust rules: the document must name exactly this
 * issuer (section 4.3, `discovery_issuer_mismatch`), is fetched without
 * redirects, and an https document may not send the client's secret to an
 * http token endpoint (a downgrade). Never throws.
 *
 * @example const d = await discoverTokenEndpoint('https://auth.staging.example.com', { timeoutMs: 5000 });
 */
export async function discoverTokenEndpoint(
  issuer: string,
  options: { timeoutMs: number; maxBytes?: number },
): Promise<TokenEndpointDiscovery> {
  const target = discoveryTarget(issuer);
  const r = await fetchJson(target.url, {
    timeoutMs: options.timeoutMs,
    redirects: 'none',
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
  });
  const at = { stage: 'discovery', location: target.url };
  if (!r.ok) return unreachable(at, r.error, r.message, r.elapsedMs, r.status);
  const refused = checkDiscoveryDocument(target.issuer, r.json, target.url);
  if (refused?.code === 'discovery_issuer_mismatch') return { ok: false, finding: refused, latencyMs: r.elapsedMs };
  const doc = r.json as Record<string, unknown>;
  const endpoint = doc.token_endpoint;
  if (typeof endpoint !== 'string' || !/^https?:\/\//i.test(endpoint))
    return unreachable(at, 'invalid_document', 'the discovery document names no http(s) token_endpoint', r.elapsedMs);
  if (target.url.startsWith('https:') && /^http:/i.test(endpoint))
    return unreachable(
      at,
      'insecure_token_endpoint',
      `an https discovery document names an http token_endpoint (${endpoint}): the client secret would travel in clear`,
      r.elapsedMs,
    );
  const introspection = typeof doc.introspection_endpoint === 'string' ? { introspectionEndpoint: doc.introspection_endpoint } : {};
  return { ok: true, tokenEndpoint: endpoint, latencyMs: r.elapsedMs, ...introspection };
}
