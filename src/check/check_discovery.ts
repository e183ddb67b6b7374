import type { Expectations } from '../expectations.ts';
import { compareDiscovery, discoveryIssuerOf } from '../keys/discovery_drift.ts';
import { fetchDiscoveryMetadata } from '../keys/fetch_discovery_metadata.ts';
import { judgeLine, skipLine } from './check_line.ts';
import type { LineResult } from './types.ts';

/**
 * The issuer's discovery metadata against the contract (issue 15 item 4),
 * for an environment whose keys come from discovery: issuer, jwks_uri and
 * signing algorithms, field by field. Other environments skip it (the line
 * is then not printed).
 *
 * @example (await checkDiscovery(env, 5000)).line.status // 'pass'
 */
export async function checkDiscovery(env: Expectations, timeoutMs: number): Promise<LineResult> {
  if (!env.keys?.some((k) => 'discovery' in k)) return skipLine('discovery', 'the environment has no discovery key source');
  const issuer = discoveryIssuerOf(env);
  if (issuer === undefined) return skipLine('discovery', 'no http(s) issuer to read discovery from');
  const meta = await fetchDiscoveryMetadata(issuer, { timeoutMs });
  return 'code' in meta ? judgeLine('discovery', [meta], { issuer }) : judgeLine('discovery', compareDiscovery(env, meta), { ...meta });
}
