import { addAll, inlineJwks, isObject, readYamlDocuments, strings } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

/**
 * Istio's RequestAuthentication (security.istio.io/v1, v1beta1): its
 * jwtRules. Istio programs Envoy's jwt_authn from them, so the defaults are
 * Envoy's (60 s clock skew, Authorization: Bearer).
 */
export function importIstio(text: string, file: string): ImportedEnvironment {
  const docs = readYamlDocuments(text, file).filter((d) => isObject(d) && d.kind === 'RequestAuthentication') as Record<string, unknown>[];
  const rules = docs.flatMap((d) => (isObject(d.spec) && Array.isArray(d.spec.jwtRules) ? d.spec.jwtRules.filter(isObject) : []));
  if (rules.length === 0) throw new ImportError(file, 'no RequestAuthentication with spec.jwtRules in this file');
  const fields: Record<string, unknown> = { clockToleranceSeconds: 60 };
  const unmapped: Unmapped[] = [];
  const keys: unknown[] = [];
  rules.forEach((r, i) => {
    const at = `spec.jwtRules[${i}]`;
    addAll(fields, 'issuer', strings(r.issuer));
    addAll(fields, 'audience', strings(r.audiences));
    if (typeof r.jwksUri === 'string') keys.push({ jwksUri: r.jwksUri });
    else if (typeof r.jwks === 'string') keys.push(...inlineJwks(r.jwks, file, `${at}.jwks`));
    else if (typeof r.issuer === 'string' && /^https?:\/\//.test(r.issuer)) keys.push({ discovery: r.issuer });
    const h = Array.isArray(r.fromHeaders) ? r.fromHeaders.filter(isObject)[0] : undefined;
    if (h && typeof h.name === 'string') {
      const prefix = typeof h.prefix === 'string' ? h.prefix.trim() : '';
      fields.tokenSource = { header: h.name.toLowerCase(), scheme: prefix === '' ? null : prefix };
    } else if (strings(r.fromCookies)[0]) fields.tokenSource = { cookie: strings(r.fromCookies)[0] };
    else fields.tokenSource ??= { header: 'authorization', scheme: 'Bearer' };
    if (r.fromParams !== undefined)
      unmapped.push({ setting: `${at}.fromParams`, reason: 'tokens in query parameters: the contract reads headers and cookies only' });
    if (r.forwardOriginalToken === true)
      unmapped.push({
        setting: `${at}.forwardOriginalToken`,
        reason: 'forwarding is not a verifier expectation (probe checks what arrives)',
      });
    if (r.outputPayloadToHeader !== undefined)
      unmapped.push({ setting: `${at}.outputPayloadToHeader`, reason: 'payload forwarding is not a verifier expectation' });
  });
  if (rules.length > 1) unmapped.push({ setting: 'spec.jwtRules', reason: `${rules.length} rules merged into one environment` });
  // A RequestAuthentication alone lets requests without a token through; an AuthorizationPolicy requires one.
  unmapped.push({
    setting: 'AuthorizationPolicy',
    reason:
      'a request without a token passes RequestAuthentication: whether one is required lives in an AuthorizationPolicy (requestPrincipals)',
  });
  fields.keys = keys;
  return { fields, unmapped, owner: 'gateway' };
}
