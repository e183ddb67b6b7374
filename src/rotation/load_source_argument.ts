import { readFileSync } from 'node:fs';
import type { KeySpec, ResolveContext } from '../keys/sources.ts';
import { loadKeyMaterial, type LoadedKeyMaterial } from './load_key_material.ts';

/**
 * Turns a SOURCE argument into the key spec it names: a URL is a JWKS URL,
 * or an issuer (OIDC discovery) when the URL does not answer with a JWKS;
 * a file is a JWKS, one JWK, or PEM (public key, private key, certificate).
 */
export function keySpecFromArgument(arg: string): KeySpec {
  if (/^https?:\/\//i.test(arg)) return /\/\.well-known\/openid-configuration$/.test(arg) ? { discovery: arg } : { jwksUri: arg };
  let head = '';
  try {
    head = readFileSync(arg, 'utf8').slice(0, 4096);
  } catch {
    // Missing files are reported by the loader with a finding.
  }
  if (/\.(pem|crt|cer|key)$/i.test(arg) || head.includes('-----BEGIN')) return { pem: arg };
  return /"keys"\s*:/.test(head) ? { jwksFile: arg } : { jwk: arg };
}

/**
 * Loads SOURCE as `jwt-doctor keys` and `rotation overlap` read it. A URL
 * that does not serve a JWKS is retried as an issuer (OpenID Connect
 * Discovery 1.0 section 4), so `keys https://auth.example.com` works.
 *
 * @example const m = await loadSourceArgument('https://auth.example.com', { timeoutMs: 3000 });
 */
export async function loadSourceArgument(arg: string, ctx: ResolveContext = {}): Promise<LoadedKeyMaterial> {
  const spec = keySpecFromArgument(arg);
  const first = await loadKeyMaterial(spec, ctx);
  if (!('jwksUri' in spec)) return first;
  const failed = first.sources[0]?.ok === false;
  const error = first.findings[0]?.detail?.error;
  if (failed && (error === 'invalid_document' || error === 'http_status' || error === 'invalid_json')) {
    const viaDiscovery = await loadKeyMaterial({ discovery: arg }, ctx);
    if (viaDiscovery.sources[0]?.ok) return viaDiscovery;
  }
  return first;
}
