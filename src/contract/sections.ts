import { ContractError, type Contract } from './load.ts';
import type { Expectations } from '../expectations.ts';
import { parsePolicySection, type PolicySection } from './policy_section.ts';

export type { PolicySection, RevocationConfig, RevocationKind, SecretRef } from './policy_section.ts';

/**
 * The sections of an environment that the schema only checks to be objects
 * (src/contract/schema.ts: `tokenSource`, `verifier`, `policy`, `clients`;
 * `api` is in api_section.ts): each parsed here, once, for every front end
 * (middleware, rotation, contract diff, probe), with the loader's error
 * shape (`ContractError` with the field path).
 */

/**
 * Where the middleware reads the token (contract section `tokenSource`):
 * a header with a scheme (`Authorization: Bearer`, the default), a header
 * carrying the bare token (`scheme: null`), or a cookie.
 */
export type TokenSourceConfig = { header: string; scheme: string | null } | { cookie: string };

/** Contract section `verifier`: where a verifier exposes its debug endpoint and metrics, and its key cache TTL. */
export interface VerifierSection {
  debugUrl?: string;
  metricsUrl?: string;
  cacheTtlSeconds?: number;
}

/** One client of `environments.<env>.clients` (web, mobile, ...). */
export interface ClientSection {
  audience?: string[];
  tokenSource?: Record<string, unknown>;
  /** The client refreshes this long before exp (check's refresh_flow). */
  refreshLeadSeconds?: number;
  /** The lifetime (exp - iat) this client's tokens have (mint, check's lifetime line). */
  tokenLifetimeSeconds?: number;
  /** The client's own latency to the token endpoint on top of the measured one, ms (check's refresh_flow). */
  expectedLatencyMs?: number;
  /** The client's token source (src/obtain/read_obtain_section.ts reads it). */
  obtain?: Record<string, unknown>;
  [extra: string]: unknown;
}

export const DEFAULT_TOKEN_SOURCE: TokenSourceConfig = { header: 'authorization', scheme: 'Bearer' };

// RFC 7230 section 3.2.6 token: what a header or cookie name may be.
const TOKEN_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const describe = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 80));

function fileOf(contract: Contract): string {
  return contract.path ?? '(object)';
}

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
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ContractError(file, at(''), 'an object: { header, scheme } or { cookie }', describe(raw));
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!['header', 'scheme', 'cookie'].includes(k))
      throw new ContractError(file, at(k), 'a known field (header, scheme or cookie)', `unknown field "${k}"`);
  }
  if ('cookie' in o) {
    if ('header' in o || 'scheme' in o)
      throw new ContractError(file, at('cookie'), 'either cookie or header/scheme, not both', describe(Object.keys(o)));
    if (typeof o.cookie !== 'string' || !TOKEN_NAME.test(o.cookie))
      throw new ContractError(file, at('cookie'), 'a cookie name (RFC 6265 token)', describe(o.cookie));
    return { cookie: o.cookie };
  }
  const header = o.header ?? 'authorization';
  if (typeof header !== 'string' || !TOKEN_NAME.test(header))
    throw new ContractError(file, at('header'), 'a header name', describe(header));
  const scheme = 'scheme' in o ? o.scheme : header.toLowerCase() === 'authorization' ? 'Bearer' : null;
  if (scheme !== null && (typeof scheme !== 'string' || !TOKEN_NAME.test(scheme)))
    throw new ContractError(file, at('scheme'), 'an auth scheme such as "Bearer", or null for a bare token', describe(scheme));
  return { header: header.toLowerCase(), scheme: scheme as string | null };
}

/**
 * Validates the `verifier` section of an environment (the middleware and
 * the rotation commands read the same section, with the same rules).
 *
 * @example parseVerifierSection({ cacheTtlSeconds: 600 }, 'auth-contract.yaml', 'staging').cacheTtlSeconds // 600
 */
export function parseVerifierSection(raw: unknown, file = '(options)', env = 'default'): VerifierSection {
  const at = (field: string) => `environments.${env}.verifier${field ? '.' + field : ''}`;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ContractError(file, at(''), 'an object: { debugUrl, metricsUrl, cacheTtlSeconds }', describe(raw));
  const o = raw as Record<string, unknown>;
  const out: VerifierSection = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'debugUrl' || k === 'metricsUrl') {
      if (typeof v !== 'string' || !/^https?:\/\/./.test(v)) throw new ContractError(file, at(k), 'an http(s) URL', describe(v));
      out[k] = v;
    } else if (k === 'cacheTtlSeconds') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new ContractError(file, at(k), 'a number >= 0 (seconds; clamped to the cache bounds)', describe(v));
      out.cacheTtlSeconds = v;
    } else {
      throw new ContractError(file, at(k), 'a known field (debugUrl, metricsUrl, cacheTtlSeconds)', `unknown field "${k}"`);
    }
  }
  return out;
}

/**
 * The `verifier` section of one environment of a loaded contract.
 *
 * @example readVerifierSection(contract, contract.environments.staging).cacheTtlSeconds
 */
export function readVerifierSection(contract: Contract, env: Expectations): VerifierSection {
  return parseVerifierSection(env.verifier, fileOf(contract), env.name);
}

function section(contract: Contract, env: Expectations, name: string): Record<string, unknown> | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ContractError(fileOf(contract), `environments.${env.name}.${name}`, 'an object', JSON.stringify(v));
  return v as Record<string, unknown>;
}

/**
 * Reads and validates `environments.<env>.policy` (policy, rotation and
 * contract diff read this section; src/contract/policy_section.ts parses
 * it): unknown fields and wrong types are contract errors.
 *
 * @example readPolicySection(contract, contract.environments.prod).tokenLifetimeSeconds
 */
export function readPolicySection(contract: Contract, env: Expectations): PolicySection {
  const o = section(contract, env, 'policy');
  // The first issuer: where an introspection source without an endpoint discovers it (as `discovery: true` for keys).
  return o ? parsePolicySection(o, fileOf(contract), env.name ?? 'default', env.issuer?.[0]) : {};
}

/**
 * Reads `environments.<env>.clients` (contract diff reads this section).
 *
 * @example Object.keys(readClientsSection(contract, contract.environments.prod)) // ['web', 'mobile']
 */
export function readClientsSection(contract: Contract, env: Expectations): Record<string, ClientSection> {
  const o = section(contract, env, 'clients');
  if (!o) return {};
  const out: Record<string, ClientSection> = {};
  for (const [name, c] of Object.entries(o)) out[name] = readClient(fileOf(contract), `environments.${env.name}.clients.${name}`, c);
  return out;
}

function readClient(file: string, path: string, c: unknown): ClientSection {
  if (c === null || typeof c !== 'object' || Array.isArray(c))
    throw new ContractError(file, path, 'an object { audience, tokenSource, refreshLeadSeconds }', JSON.stringify(c));
  const cc = c as Record<string, unknown>;
  const client: ClientSection = { ...cc };
  if (cc.audience !== undefined) {
    const list = Array.isArray(cc.audience) ? cc.audience : [cc.audience];
    if (!list.every((a) => typeof a === 'string'))
      throw new ContractError(file, `${path}.audience`, 'a string or a list of strings', JSON.stringify(cc.audience));
    client.audience = list as string[];
  }
  for (const [field, unit] of [
    ['refreshLeadSeconds', 'seconds'],
    ['expectedLatencyMs', 'milliseconds'],
  ] as const) {
    const v = cc[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      throw new ContractError(file, `${path}.${field}`, `a number >= 0 (${unit})`, JSON.stringify(v));
  }
  if (cc.tokenSource !== undefined && (cc.tokenSource === null || typeof cc.tokenSource !== 'object')) {
    throw new ContractError(file, `${path}.tokenSource`, 'an object ({ header, scheme } or { cookie })', JSON.stringify(cc.tokenSource));
  }
  return client;
}

/** The environment as written (defaults merged), for sections the normalizer passes through. */
export function rawEnvironment(contract: Contract, env: string): Record<string, unknown> {
  const names = Object.keys(contract.environments);
  if (!Object.prototype.hasOwnProperty.call(contract.environments, env)) {
    throw new ContractError(fileOf(contract), `environments.${env}`, `an environment (one of: ${names.join(', ')})`, 'no such environment');
  }
  const raw = contract.raw as { defaults?: Record<string, unknown>; environments?: Record<string, Record<string, unknown>> };
  return { ...(raw.defaults ?? {}), ...(raw.environments?.[env] ?? {}) };
}
