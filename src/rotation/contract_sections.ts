import { ContractError, type Contract } from '../contract/load.ts';
import type { Expectations } from '../expectations.ts';

export { DEFAULT_CACHE_TTL_SECONDS, DEFAULT_COOLDOWN_SECONDS } from '../defaults.ts';

/** The fields of `environments.<env>.verifier` that rotation reads. */
export interface VerifierSection {
  debugUrl?: string;
  metricsUrl?: string;
  cacheTtlSeconds?: number;
  /** Not a contract field (the middleware's section has none): set from `--cooldown`. */
  cooldownSeconds?: number;
}

/** `environments.<env>.policy`: the token lifecycle the signer promises. */
export interface PolicySection {
  tokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  refreshWindowSeconds?: number;
  keyMaxAgeDays?: number;
  revocation?: 'none' | 'introspection' | 'denylist';
}

function fileOf(contract: Contract): string {
  return contract.path ?? '(object)';
}

function section(contract: Contract, env: Expectations, name: string): Record<string, unknown> | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ContractError(fileOf(contract), `environments.${env.name}.${name}`, 'an object', JSON.stringify(v));
  return v as Record<string, unknown>;
}

function num(contract: Contract, env: Expectations, sec: string, o: Record<string, unknown>, field: string): number | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ContractError(fileOf(contract), `environments.${env.name}.${sec}.${field}`, 'a number >= 0 (seconds)', JSON.stringify(v));
  return v;
}

function url(contract: Contract, env: Expectations, sec: string, o: Record<string, unknown>, field: string): string | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^https?:\/\//.test(v)) throw new ContractError(fileOf(contract), `environments.${env.name}.${sec}.${field}`, 'an http(s) URL', JSON.stringify(v));
  return v;
}

/**
 * Reads and validates the fields of the `verifier` section that rotation
 * uses (the middleware validates the rest of the section).
 *
 * @example readVerifierSection(contract, contract.environments.staging).cacheTtlSeconds
 */
export function readVerifierSection(contract: Contract, env: Expectations): VerifierSection {
  const o = section(contract, env, 'verifier');
  if (!o) return {};
  const out: VerifierSection = {};
  const debugUrl = url(contract, env, 'verifier', o, 'debugUrl');
  if (debugUrl) out.debugUrl = debugUrl;
  const metricsUrl = url(contract, env, 'verifier', o, 'metricsUrl');
  if (metricsUrl) out.metricsUrl = metricsUrl;
  const ttl = num(contract, env, 'verifier', o, 'cacheTtlSeconds');
  if (ttl !== undefined) out.cacheTtlSeconds = ttl;
  return out;
}

const REVOCATION = ['none', 'introspection', 'denylist'];
const POLICY_FIELDS = ['tokenLifetimeSeconds', 'refreshTokenLifetimeSeconds', 'refreshWindowSeconds', 'keyMaxAgeDays'] as const;

/**
 * Reads and validates `environments.<env>.policy` (rotation and contract
 * diff own this section): unknown fields and wrong types are contract errors.
 *
 * @example readPolicySection(contract, contract.environments.prod).tokenLifetimeSeconds
 */
export function readPolicySection(contract: Contract, env: Expectations): PolicySection {
  const o = section(contract, env, 'policy');
  if (!o) return {};
  const out: PolicySection = {};
  for (const k of Object.keys(o)) {
    if (!(POLICY_FIELDS as readonly string[]).includes(k) && k !== 'revocation' && !k.startsWith('x-')) {
      throw new ContractError(fileOf(contract), `environments.${env.name}.policy.${k}`, `a known field (${[...POLICY_FIELDS, 'revocation'].join(', ')})`, `unknown field "${k}"`);
    }
  }
  for (const f of POLICY_FIELDS) {
    const v = num(contract, env, 'policy', o, f);
    if (v !== undefined) out[f] = v;
  }
  if (o.revocation !== undefined) {
    if (typeof o.revocation !== 'string' || !REVOCATION.includes(o.revocation)) {
      throw new ContractError(fileOf(contract), `environments.${env.name}.policy.revocation`, `one of ${REVOCATION.map((x) => JSON.stringify(x)).join(', ')}`, JSON.stringify(o.revocation));
    }
    out.revocation = o.revocation as PolicySection['revocation'] & string;
  }
  return out;
}

/** One client of `environments.<env>.clients` (web, mobile, ...). */
export interface ClientSection {
  audience?: string[];
  tokenSource?: Record<string, unknown>;
  refreshLeadSeconds?: number;
  [extra: string]: unknown;
}

/**
 * Reads `environments.<env>.clients` (contract diff owns this section).
 *
 * @example Object.keys(readClientsSection(contract, contract.environments.prod)) // ['web', 'mobile']
 */
export function readClientsSection(contract: Contract, env: Expectations): Record<string, ClientSection> {
  const o = section(contract, env, 'clients');
  if (!o) return {};
  const out: Record<string, ClientSection> = {};
  for (const [name, c] of Object.entries(o)) {
    const path = `environments.${env.name}.clients.${name}`;
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new ContractError(fileOf(contract), path, 'an object { audience, tokenSource, refreshLeadSeconds }', JSON.stringify(c));
    const cc = c as Record<string, unknown>;
    const client: ClientSection = { ...cc };
    if (cc.audience !== undefined) {
      const list = Array.isArray(cc.audience) ? cc.audience : [cc.audience];
      if (!list.every((a) => typeof a === 'string')) throw new ContractError(fileOf(contract), `${path}.audience`, 'a string or a list of strings', JSON.stringify(cc.audience));
      client.audience = list as string[];
    }
    if (cc.refreshLeadSeconds !== undefined && (typeof cc.refreshLeadSeconds !== 'number' || cc.refreshLeadSeconds < 0)) {
      throw new ContractError(fileOf(contract), `${path}.refreshLeadSeconds`, 'a number >= 0 (seconds)', JSON.stringify(cc.refreshLeadSeconds));
    }
    if (cc.tokenSource !== undefined && (cc.tokenSource === null || typeof cc.tokenSource !== 'object')) {
      throw new ContractError(fileOf(contract), `${path}.tokenSource`, 'an object ({ header, scheme } or { cookie })', JSON.stringify(cc.tokenSource));
    }
    out[name] = client;
  }
  return out;
}
