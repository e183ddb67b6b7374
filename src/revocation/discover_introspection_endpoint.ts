import { discoveryTarget } from '../keys/trust.ts';
import { discoverTokenEndpoint } from '../obtain/discover_token_endpoint.ts';
import type { RevocationFailure } from './revocation_source.ts';

export type IntrospectionDiscovery = { ok: true; endpoint: string } | { ok: false; error: RevocationFailure; message: string };

/**
 * The issuer's RFC 7662 introspection endpoint from its OpenID discovery
 * document (RFC 8414 section 2 `introspection_endpoint`), under the key
 * sources' trust rules (discoverTokenEndpoint: no redirects, a timeout, the
 * document must name exactly this issuer, OpenID Connect Discovery section
 * 4.3). The token and the client secret go to that endpoint, so it must
 * also be on the issuer's own origin (scheme, host, port): an endpoint
 * elsewhere is trusted only when the contract names it. Never throws.
 *
 * @example const d = await discoverIntrospectionEndpoint('https://auth.example.com', { timeoutMs: 5000 }); d.ok && d.endpoint
 */
export async function discoverIntrospectionEndpoint(issuer: string, options: { timeoutMs: number }): Promise<IntrospectionDiscovery> {
  const d = await discoverTokenEndpoint(issuer, options);
  if (!d.ok) {
    const { code, actual, detail } = d.finding;
    if (code === 'discovery_issuer_mismatch')
      return { ok: false, error: 'protocol', message: `the discovery document names issuer ${JSON.stringify(actual)}, not ${issuer}` };
    const message = typeof detail?.message === 'string' ? detail.message : String(actual);
    return { ok: false, error: detail?.error === 'timeout' ? 'timeout' : 'unreachable', message: `discovery: ${message}` };
  }
  const endpoint = d.introspectionEndpoint;
  if (endpoint === undefined)
    return { ok: false, error: 'protocol', message: `the discovery document of ${issuer} names no introspection_endpoint` };
  const origin = originOf(endpoint);
  if (origin === undefined || origin !== originOf(discoveryTarget(issuer).url))
    return {
      ok: false,
      error: 'protocol',
      message: `the discovery document names introspection_endpoint ${endpoint}, outside the issuer's origin: name it as policy.revocation.introspection.endpoint to trust it`,
    };
  return { ok: true, endpoint };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
