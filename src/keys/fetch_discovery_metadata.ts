import { fetchJson } from '../net/fetch_json.ts';
import type { FetchOptions } from '../net/fetch_text.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { readDiscoveryMetadata, type DiscoveryMetadata } from './discovery_drift.ts';
import { discoveryTarget } from './trust.ts';

/**
 * The issuer's discovery document (OpenID Connect Discovery 1.0 section 4),
 * read for comparison only: never a key source here. Unreachable or not
 * JSON: a jwks_unreachable finding at the discovery stage.
 *
 * @example const m = await fetchDiscoveryMetadata('https://auth.example.com', { timeoutMs: 3000 });
 */
export async function fetchDiscoveryMetadata(issuer: string, options: FetchOptions): Promise<DiscoveryMetadata | Finding> {
  const { url } = discoveryTarget(issuer);
  const r = await fetchJson(url, options);
  if (!r.ok)
    return makeFinding('jwks_unreachable', {
      claim: 'discovery',
      actual: r.message,
      detail: { source: 'discovery', location: url, stage: 'discovery', error: r.error, message: r.message },
    });
  return readDiscoveryMetadata(r.json, url);
}
