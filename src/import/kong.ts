import { addAll, isObject, readYamlDocuments, strings } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

/**
 * Kong's jwt plugin in a declarative config (kong.yml, decK): the plugin's
 * config and the consumers' jwt_secrets. Kong matches a credential by the
 * claim named key_claim_name (default iss) and checks only the claims in
 * claims_to_verify (exp, nbf): no audience, no leeway.
 */
export function importKong(text: string, file: string): ImportedEnvironment {
  const docs = readYamlDocuments(text, file);
  const plugins = docs.flatMap((d) => collectPlugins(d)).filter((p) => p.name === 'jwt');
  if (plugins.length === 0) throw new ImportError(file, 'no jwt plugin in this declarative config');
  const config = isObject(plugins[0]!.config) ? plugins[0]!.config : {};
  const fields: Record<string, unknown> = { clockToleranceSeconds: 0 };
  const unmapped: Unmapped[] = [];
  const claim = typeof config.key_claim_name === 'string' ? config.key_claim_name : 'iss';
  const verify = strings(config.claims_to_verify);
  fields.requiredClaims = [claim, ...verify.filter((c) => c !== claim)];
  const header = strings(config.header_names)[0] ?? 'authorization';
  fields.tokenSource = { header: header.toLowerCase(), scheme: header.toLowerCase() === 'authorization' ? 'Bearer' : null };
  readCredentials(docs, claim, fields, unmapped);
  if (strings(config.uri_param_names).length > 0 || config.uri_param_names === undefined)
    unmapped.push({
      setting: 'config.uri_param_names',
      reason: 'Kong also reads the token from a query parameter (default jwt): the contract reads headers only',
    });
  if (typeof config.maximum_expiration === 'number' && config.maximum_expiration > 0) fields.maxTokenAgeSeconds = config.maximum_expiration;
  unmapped.push({ setting: 'aud', reason: "Kong's jwt plugin does not check the audience: the contract checks none" });
  if (!verify.includes('exp'))
    unmapped.push({
      setting: 'config.claims_to_verify',
      reason: 'exp is not verified by this Kong: expired tokens pass it (jwt-doctor still reports token_expired)',
    });
  return { fields, unmapped, owner: 'gateway' };
}

function collectPlugins(doc: unknown): Record<string, unknown>[] {
  if (!isObject(doc)) return [];
  const own = Array.isArray(doc.plugins) ? doc.plugins.filter(isObject) : [];
  const nested = ['services', 'routes'].flatMap((k) => (Array.isArray(doc[k]) ? (doc[k] as unknown[]).flatMap(collectPlugins) : []));
  return [...own, ...nested];
}

/** consumers[].jwt_secrets: the key (the iss value), algorithm, rsa_public_key; an HMAC secret is never copied. */
function readCredentials(docs: unknown[], claim: string, fields: Record<string, unknown>, unmapped: Unmapped[]): void {
  const keys: unknown[] = [];
  const algorithms: string[] = [];
  let n = 0;
  for (const d of docs) {
    const consumers = isObject(d) && Array.isArray(d.consumers) ? d.consumers.filter(isObject) : [];
    for (const c of consumers) {
      for (const s of Array.isArray(c.jwt_secrets) ? c.jwt_secrets.filter(isObject) : []) {
        if (claim === 'iss') addAll(fields, 'issuer', strings(s.key));
        const alg = typeof s.algorithm === 'string' ? s.algorithm : 'HS256';
        if (!algorithms.includes(alg)) algorithms.push(alg);
        if (typeof s.rsa_public_key === 'string') keys.push({ pem: s.rsa_public_key, alg });
        else {
          const variable = `KONG_JWT_SECRET_${++n}`;
          keys.push({ secret: { env: variable }, alg });
          unmapped.push({
            setting: `consumers.${String(c.username ?? c.custom_id ?? n)}.jwt_secrets.secret`,
            reason: `a secret is not copied into the contract: export ${variable} with it`,
          });
        }
      }
    }
  }
  if (keys.length === 0)
    unmapped.push({ setting: 'consumers[].jwt_secrets', reason: 'no credentials in this file: add the key sources by hand' });
  fields.keys = keys;
  if (algorithms.length > 0) fields.algorithms = algorithms;
}
