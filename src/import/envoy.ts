import { addAll, findObjects, inlineJwks, isObject, readYamlDocuments, strings } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

/** Envoy's default leeway for exp and nbf (JwtProvider.clock_skew_seconds). */
const ENVOY_CLOCK_SKEW = 60;

/**
 * Envoy's jwt_authn filter (envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication):
 * a bootstrap or listener config, a filter's typed_config, or an admin
 * `config_dump`; every JwtProvider it holds. Istio's RequestAuthentication
 * becomes the same filter in each sidecar, with the JWKS it fetched inlined
 * (local_jwks): a config_dump shows the keys that gateway really holds.
 */
export function importEnvoy(text: string, file: string): ImportedEnvironment {
  const providers = findObjects(readYamlDocuments(text, file), (o) => isObject(o.providers) && Object.values(o.providers).some(isProvider))
    .flatMap((o) => Object.entries(o.providers as Record<string, unknown>))
    .filter(([, p]) => isProvider(p)) as [string, Record<string, unknown>][];
  if (providers.length === 0) throw new ImportError(file, 'no jwt_authn providers (JwtAuthentication.providers) in this config');
  const fields: Record<string, unknown> = {};
  const unmapped: Unmapped[] = [];
  let skew: number | undefined;
  for (const [name, p] of providers) {
    const at = `providers.${name}`;
    addAll(fields, 'issuer', strings(p.issuer));
    addAll(fields, 'audience', strings(p.audiences));
    fields.keys = [...((fields.keys as unknown[]) ?? []), ...providerKeys(p, at, file, unmapped)];
    readTokenLocation(p, at, fields, unmapped);
    const s = typeof p.clock_skew_seconds === 'number' ? p.clock_skew_seconds : ENVOY_CLOCK_SKEW;
    skew = Math.max(skew ?? 0, s);
    if (p.forward === true)
      unmapped.push({
        setting: `${at}.forward`,
        reason: 'the token is forwarded upstream: the contract has no field for it (probe checks what arrives)',
      });
    if (p.forward_payload_header)
      unmapped.push({ setting: `${at}.forward_payload_header`, reason: 'payload forwarding is not a verifier expectation' });
  }
  if (providers.length > 1)
    unmapped.push({
      setting: 'providers',
      reason: `${providers.length} providers merged into one environment: each issuer is accepted with every provider's keys`,
    });
  fields.clockToleranceSeconds = skew ?? ENVOY_CLOCK_SKEW;
  return { fields, unmapped, owner: 'gateway' };
}

function isProvider(p: unknown): p is Record<string, unknown> {
  return isObject(p) && (p.remote_jwks !== undefined || p.local_jwks !== undefined || typeof p.issuer === 'string');
}

function providerKeys(p: Record<string, unknown>, at: string, file: string, unmapped: Unmapped[]): unknown[] {
  const remote = isObject(p.remote_jwks) && isObject(p.remote_jwks.http_uri) ? p.remote_jwks.http_uri.uri : undefined;
  if (typeof remote === 'string') return [{ jwksUri: remote }];
  const local = isObject(p.local_jwks) ? p.local_jwks : undefined;
  if (typeof local?.inline_string === 'string') return inlineJwks(local.inline_string, file, `${at}.local_jwks.inline_string`);
  if (typeof local?.filename === 'string') return [{ jwksFile: local.filename }];
  unmapped.push({ setting: `${at}`, reason: 'no remote_jwks.http_uri.uri, local_jwks.inline_string or local_jwks.filename' });
  return [];
}

/** from_headers / from_cookies; Envoy's default is Authorization: Bearer (and the access_token query parameter). */
function readTokenLocation(p: Record<string, unknown>, at: string, fields: Record<string, unknown>, unmapped: Unmapped[]): void {
  const headers = Array.isArray(p.from_headers) ? p.from_headers.filter(isObject) : [];
  const cookies = strings(p.from_cookies);
  const h = headers[0];
  if (h && typeof h.name === 'string') {
    const prefix = typeof h.value_prefix === 'string' ? h.value_prefix.trim() : '';
    fields.tokenSource = { header: h.name.toLowerCase(), scheme: prefix === '' ? null : prefix };
  } else if (cookies[0]) fields.tokenSource = { cookie: cookies[0] };
  else fields.tokenSource ??= { header: 'authorization', scheme: 'Bearer' };
  if (headers.length + cookies.length > 1)
    unmapped.push({ setting: `${at}.from_headers`, reason: 'several token locations: the contract keeps the first' });
  if (p.from_params !== undefined)
    unmapped.push({ setting: `${at}.from_params`, reason: 'tokens in query parameters: the contract reads headers and cookies only' });
}
