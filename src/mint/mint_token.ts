import type { Contract } from '../contract/load.ts';
import { ContractError, UsageError } from '../errors.ts';
import type { Expectations } from '../expectations.ts';
import { readClientsSection, readPolicySection } from '../contract/sections.ts';
import { assertNotProduction } from '../contract/production_guard.ts';
import { b64urlJson } from './encode.ts';
import { draftToken, type TokenDraft } from './draft_token.ts';
import { applyFault, type MintedFault } from './apply_fault.ts';
import { loadSigner, type Signer, type SignerSpec } from './load_signer.ts';
import { signJws } from './sign_jws.ts';
import type { MintableFault } from './faults.ts';

export const MINT_SCHEMA = 'jwt-doctor/mint/v1';

/** Lifetime of a minted token when neither the option, the client nor policy.tokenLifetimeSeconds names one. */
export const DEFAULT_MINT_LIFETIME_SECONDS = 900;

export interface MintOptions {
  /** The instant the token is minted at: Date, or NumericDate seconds (the injected clock). */
  now: Date | number;
  /** A client of the environment (clients.<name>): its audience and tokenLifetimeSeconds. */
  client?: string;
  /** Exactly one fault (src/mint/faults.ts). */
  fault?: MintableFault;
  /** Claims added or replaced after the environment's shape. */
  claims?: Record<string, unknown>;
  lifetimeSeconds?: number;
  /** Replaces the environment's `signer` section (--signer-key, --signer-secret). */
  signer?: SignerSpec;
  /** Mint for an environment marked production: true (--i-know). */
  allowProduction?: boolean;
  /** Variables for `{ env: NAME }` references (default process.env). */
  vars?: Record<string, string | undefined>;
  /** A fixed jti (default: a random UUID). */
  jti?: string;
}

/** A minted token and how it was made; never the key. */
export interface MintedToken {
  schema: typeof MINT_SCHEMA;
  env: string;
  client?: string;
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  fault?: MintedFault;
  signer: { alg: string; kid?: string; thumbprint?: string; fingerprint?: string; location: string };
}

/**
 * Mints a token shaped as the environment's signer mints it (issuer,
 * audience, typ, alg, kid, expected and required claims, lifetime from the
 * option, the client, else policy.tokenLifetimeSeconds), signed with the
 * environment's `signer` key (or `options.signer`), optionally with exactly
 * one fault. Refuses an environment marked `production: true` unless
 * `allowProduction` (ProductionRefusedError, exit 2). Reads the signer's
 * variable or file; no network.
 *
 * @example
 * const minted = mintToken(contract, 'staging', { now: new Date(), fault: 'audience_mismatch' });
 * (await diagnose(minted.token, contract.environments.staging, { contract })).findings[0].code; // 'audience_mismatch'
 */
export function mintToken(contract: Contract, envName: string, options: MintOptions): MintedToken {
  const env = environmentOf(contract, envName);
  assertNotProduction(contract, envName, { allow: options.allowProduction === true, action: 'mint' });
  const client = options.client !== undefined ? clientOf(contract, env, options.client) : undefined;
  const signer = environmentSigner(contract, env, options);
  const now = Math.floor(typeof options.now === 'number' ? options.now : options.now.getTime() / 1000);
  const lifetimeSeconds =
    options.lifetimeSeconds ?? client?.lifetime ?? readPolicySection(contract, env).tokenLifetimeSeconds ?? DEFAULT_MINT_LIFETIME_SECONDS;
  const draft = draftToken(
    {
      env,
      now,
      lifetimeSeconds,
      ...(client?.audience ? { audience: client.audience } : {}),
      ...(options.jti !== undefined ? { jti: options.jti } : {}),
      ...(options.claims ? { claims: options.claims } : {}),
    },
    { alg: signer.alg.name, ...(signer.kid !== undefined ? { kid: signer.kid } : {}) },
  );
  const others = Object.entries(contract.environments)
    .filter(([n]) => n !== envName)
    .map(([, e]) => e);
  const fault = options.fault !== undefined ? applyFault(draft, options.fault, { env, others, now, lifetimeSeconds, signer }) : undefined;
  return {
    schema: MINT_SCHEMA,
    env: envName,
    ...(options.client !== undefined ? { client: options.client } : {}),
    token: serialize(draft, signer),
    header: draft.header,
    payload: draft.payload,
    ...(fault ? { fault } : {}),
    signer: signerIdentity(signer),
  };
}

function environmentOf(contract: Contract, envName: string): Expectations {
  const env = Object.prototype.hasOwnProperty.call(contract.environments, envName) ? contract.environments[envName] : undefined;
  if (!env) throw new UsageError(`unknown environment "${envName}" (the contract has: ${Object.keys(contract.environments).join(', ')})`);
  return env;
}

function clientOf(contract: Contract, env: Expectations, name: string): { audience?: string[]; lifetime?: number } {
  const clients = readClientsSection(contract, env);
  const c = Object.prototype.hasOwnProperty.call(clients, name) ? clients[name] : undefined;
  if (!c)
    throw new UsageError(
      `unknown client "${name}" of environment ${env.name ?? ''} (it has: ${Object.keys(clients).join(', ') || 'no clients'})`,
    );
  const lifetime = c.tokenLifetimeSeconds;
  if (lifetime !== undefined && (typeof lifetime !== 'number' || !(lifetime > 0)))
    throw new ContractError(
      contract.path ?? '(object)',
      `environments.${env.name ?? ''}.clients.${name}.tokenLifetimeSeconds`,
      'a number > 0 (seconds)',
      JSON.stringify(lifetime),
    );
  return { ...(c.audience ? { audience: c.audience } : {}), ...(typeof lifetime === 'number' ? { lifetime } : {}) };
}

/**
 * The environment's signer key: `options.signer` (flags: a usage error when
 * it cannot be read) else the contract's `signer:` section (a contract
 * error naming the field). The drill signs with it too (src/drill/drill_signer.ts).
 *
 * @example environmentSigner(contract, contract.environments.staging, {}).alg.name
 */
export function environmentSigner(contract: Contract, env: Expectations, options: Pick<MintOptions, 'signer' | 'vars'>): Signer {
  const file = contract.path ?? '(object)';
  const base = `environments.${env.name ?? ''}.signer`;
  const spec = options.signer ?? (env.signer as SignerSpec | undefined);
  if (!spec)
    throw new ContractError(
      file,
      base,
      'a signer: { privateKey | secret: { env } or { file }, kid, alg } (or --signer-key / --signer-secret)',
      'nothing',
    );
  const ctx = { baseDir: contract.baseDir, ...(options.vars ? { vars: options.vars } : {}) };
  const fail = options.signer
    ? (field: string, expected: string, found: string) =>
        new UsageError(`the signer key${field ? ` (${field})` : ''}: expected ${expected}, found ${found}`)
    : (field: string, expected: string, found: string) => new ContractError(file, field ? `${base}.${field}` : base, expected, found);
  return loadSigner(spec, env.algorithms, ctx, fail);
}

function serialize(d: TokenDraft, signer: Signer): string {
  const input = `${b64urlJson(d.header)}.${b64urlJson(d.payload)}`;
  if (d.signWith === 'none') return `${input}.`;
  const { alg, key } = d.signWith === 'signer' ? signer : d.signWith;
  const signature = signJws(alg, key, input);
  if (d.flipSignature) signature[0] = signature[0]! ^ 1;
  return `${input}.${signature.toString('base64url')}`;
}

function signerIdentity(s: Signer): MintedToken['signer'] {
  return {
    alg: s.alg.name,
    ...(s.kid !== undefined ? { kid: s.kid } : {}),
    ...(s.thumbprint !== undefined ? { thumbprint: s.thumbprint } : {}),
    ...(s.fingerprint !== undefined ? { fingerprint: s.fingerprint } : {}),
    location: s.location,
  };
}
