/**
 * OIDC discovery drift (issue 15 item 4): the issuer's published metadata
 * (OpenID Connect Discovery 1.0 section 3) against what the contract says
 * the verifier expects. Pure: the caller fetches the document.
 */
import { makeFinding, type Finding } from '../reasons.ts';
import type { KeySpec } from './sources.ts';

/** The metadata fields compared, as published. */
export interface DiscoveryMetadata {
  url: string;
  issuer: string | null;
  jwksUri: string | null;
  /** id_token_signing_alg_values_supported (REQUIRED by Discovery 1.0 section 3). */
  signingAlgorithms: string[] | null;
}

/** The parts of an environment the comparison reads. */
export interface DiscoveryExpectations {
  issuer?: readonly string[];
  algorithms?: readonly string[];
  keys?: readonly KeySpec[];
}

/**
 * The issuer whose discovery document an environment is compared with:
 * its `discovery` key source's URL (or first http(s) issuer for
 * `discovery: true`); with `always`, the first http(s) issuer even without
 * such a source. Undefined when there is none.
 */
export function discoveryIssuerOf(env: DiscoveryExpectations, always = false): string | undefined {
  const spec = env.keys?.find((k) => 'discovery' in k);
  if (spec && 'discovery' in spec && typeof spec.discovery === 'string') return spec.discovery;
  return spec || always ? env.issuer?.find((i) => /^https?:\/\//.test(i)) : undefined;
}

/** The compared fields of a discovery document (anything not a string or string list is null). */
export function readDiscoveryMetadata(doc: unknown, url: string): DiscoveryMetadata {
  const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  const algs = o.id_token_signing_alg_values_supported;
  return {
    url,
    issuer: typeof o.issuer === 'string' ? o.issuer : null,
    jwksUri: typeof o.jwks_uri === 'string' ? o.jwks_uri : null,
    signingAlgorithms: Array.isArray(algs) && algs.every((a) => typeof a === 'string') ? (algs as string[]) : null,
  };
}

/**
 * Field-by-field differences: an issuer string the contract does not
 * accept (discovery_issuer_mismatch), a jwks_uri none of the contract's
 * JWKS URLs names, signing algorithms of which the contract allows none
 * (discovery_drift, detail.field).
 *
 * @example compareDiscovery({ issuer: ['https://auth.example.com'] }, readDiscoveryMetadata(doc, url))
 */
export function compareDiscovery(env: DiscoveryExpectations, meta: DiscoveryMetadata): Finding[] {
  const out: Finding[] = [];
  const at = { source: 'discovery', location: meta.url };
  if (env.issuer && env.issuer.length > 0 && (meta.issuer === null || !env.issuer.includes(meta.issuer))) {
    out.push(
      makeFinding('discovery_issuer_mismatch', {
        claim: 'discovery.issuer',
        expected: env.issuer.length === 1 ? env.issuer[0] : [...env.issuer],
        actual: meta.issuer,
        detail: { ...at, field: 'issuer' },
      }),
    );
  }
  const uris = (env.keys ?? []).flatMap((k) => ('jwksUri' in k ? [k.jwksUri] : []));
  if (uris.length > 0 && meta.jwksUri !== null && !uris.includes(meta.jwksUri)) {
    out.push(
      makeFinding('discovery_drift', {
        claim: 'discovery.jwks_uri',
        expected: meta.jwksUri,
        actual: uris.length === 1 ? uris[0] : uris,
        hint: `The issuer publishes its keys at ${meta.jwksUri}; the contract reads ${uris.join(', ')}: after a key-set move the verifier keeps reading the old set. Use discovery: true, or the published URL.`,
        detail: { ...at, field: 'jwks_uri' },
      }),
    );
  }
  const allowed = env.algorithms;
  if (allowed && allowed.length > 0 && meta.signingAlgorithms && !meta.signingAlgorithms.some((a) => allowed.includes(a))) {
    out.push(
      makeFinding('discovery_drift', {
        claim: 'discovery.id_token_signing_alg_values_supported',
        severity: 'error',
        expected: [...allowed],
        actual: meta.signingAlgorithms,
        hint: `The issuer signs with ${meta.signingAlgorithms.join(', ')}; the contract allows only ${allowed.join(', ')}: every token would be alg_not_allowed. Allow the issuer's algorithm.`,
        detail: { ...at, field: 'algorithms' },
      }),
    );
  }
  return out;
}
