import type { Expectations } from '../expectations.ts';
import { compareDiscovery } from '../keys/discovery_drift.ts';
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
  const spec = env.keys?.find((k) => 'discovery' in k);
  if (!spec || !('discovery' in spec)) return skipLine('discovery', 'the environment has no discovery key source');
  const issuer = typeof spec.discovery === 'string' ? spec.discovery : env.issuer?.find((i) => /^https?:\/\//.test(i));
  if (issuer === undefined) return skipLine('discovery', 'no http(s) issuer to read discovery from');
  const meta = await fetchDiscoveryMetadata(issuer, { timeoutMs });
  if ('code' in meta) return judgeLine('discovery', [meta], { issuer });
  const findings = compareDiscovery(
    {
      ...(env.issuer ? { issuer: env.issuer } : {}),
      ...(env.algorithms ? { algorithms: env.algorithms } : {}),
      ...(env.keys ? { keys: env.keys } : {}),
    },
    meta,
  );
  return judgeLine('discovery', findings, { ...meta });
}
