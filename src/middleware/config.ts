import { ContractError } from '../contract/load.ts';
import { DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME } from '../defaults.ts';

/**
 * Where the middleware reads the token (contract section `tokenSource`):
 * a header with a scheme (`Authorization: Bearer`, the default), a header
 * carrying the bare token (`scheme: null`), or a cookie.
 */
export type TokenSourceConfig = { header: string; scheme: string | null } | { cookie: string };

/** Contract section `verifier`: where this verifier exposes its debug endpoint and metrics. */
export interface VerifierSection {
  debugUrl?: string;
  metricsUrl?: string;
  cacheTtlSeconds?: number;
}

export const DEFAULT_TOKEN_SOURCE: TokenSourceConfig = { header: DEFAULT_AUTH_HEADER, scheme: DEFAULT_AUTH_SCHEME };

// RFC 7230 section 3.2.6 token: what a header or cookie name may be.
const TOKEN_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const describe = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 80));

/**
 * Validates the `tokenSource` section of an environment and returns it
 * normalized (header name lower-cased). Throws `ContractError` with the
 * field path, like the contract loader.
 *
 * @example parseTokenSource({ cookie: 'session' }, 'auth-contract.yaml', 'staging') // { cookie: 'session' }
 */
export function parseTokenSource(raw: unknown, file = '(options)', env = 'default'): TokenSourceConfig {
  const at = (field: string) => `environments.${env}.tokenSource${field ? '.' + field : ''}`;
  if (raw === undefined || raw === null) return DEFAULT_TOKEN_SOURCE;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ContractError(file, at(''), 'an object: { header, scheme } or { cookie }', describe(raw));
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['header', 'scheme', 'cookie'].includes(k)) throw new ContractError(file, at(k), 'a known field (header, scheme or cookie)', `unknown field "${k}"`);
  }
  if ('cookie' in o) {
    if ('header' in o || 'scheme' in o) throw new ContractError(file, at('cookie'), 'either cookie or header/scheme, not both', describe(Object.keys(o)));
    if (typeof o.cookie !== 'string' || !TOKEN_NAME.test(o.cookie)) throw new ContractError(file, at('cookie'), 'a cookie name (RFC 6265 token)', describe(o.cookie));
    return { cookie: o.cookie };
  }
  const header = o.header ?? DEFAULT_AUTH_HEADER;
  if (typeof header !== 'string' || !TOKEN_NAME.test(header)) throw new ContractError(file, at('header'), 'a header name', describe(header));
  const scheme = 'scheme' in o ? o.scheme : header.toLowerCase() === DEFAULT_AUTH_HEADER ? DEFAULT_AUTH_SCHEME : null;
  if (scheme !== null && (typeof scheme !== 'string' || !TOKEN_NAME.test(scheme))) throw new ContractError(file, at('scheme'), 'an auth scheme such as "Bearer", or null for a bare token', describe(scheme));
  return { header: header.toLowerCase(), scheme: scheme as string | null };
}

/**
 * Validates the `verifier` section of an environment.
 *
 * @example parseVerifierSection({ cacheTtlSeconds: 600 }, 'auth-contract.yaml', 'staging').cacheTtlSeconds // 600
 */
export function parseVerifierSection(raw: unknown, file = '(options)', env = 'default'): VerifierSection {
  const at = (field: string) => `environments.${env}.verifier${field ? '.' + field : ''}`;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ContractError(file, at(''), 'an object: { debugUrl, metricsUrl, cacheTtlSeconds }', describe(raw));
  const o = raw as Record<string, unknown>;
  const out: VerifierSection = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'debugUrl' || k === 'metricsUrl') {
      if (typeof v !== 'string' || !/^https?:\/\/./.test(v)) throw new ContractError(file, at(k), 'an http(s) URL', describe(v));
      out[k] = v;
    } else if (k === 'cacheTtlSeconds') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ContractError(file, at(k), 'a number >= 0 (seconds; clamped to the cache bounds)', describe(v));
      out.cacheTtlSeconds = v;
    } else {
      throw new ContractError(file, at(k), 'a known field (debugUrl, metricsUrl, cacheTtlSeconds)', `unknown field "${k}"`);
    }
  }
  return out;
}
