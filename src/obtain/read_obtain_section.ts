import { ContractError, UsageError } from '../errors.ts';
import type { Contract } from '../contract/load.ts';
import type { SecretRef } from '../contract/secret_ref.ts';
import { readClientsSection } from '../contract/sections.ts';
import type { MintableFault } from '../mint/faults.ts';

/** An OAuth 2.0 client at a token endpoint (contract: clientCredentials / refreshToken). */
export interface OAuthClientSpec {
  clientId: string;
  clientSecret?: SecretRef;
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  scope?: string;
  resource?: string | string[];
  audience?: string;
  tokenEndpoint?: string;
}

/** One token source, as the contract's `obtain` section names it (schema-checked at load). */
export type ObtainSpec =
  | { kind: 'client_credentials'; client: OAuthClientSpec; timeoutMs?: number }
  | { kind: 'refresh_token'; client: OAuthClientSpec; token: SecretRef; timeoutMs?: number }
  | { kind: 'command'; command: string[] | string; timeoutMs?: number; maxBytes?: number }
  | { kind: 'static'; ref: SecretRef }
  | { kind: 'mint'; fault?: MintableFault; lifetimeSeconds?: number; claims?: Record<string, unknown> };

export type TokenSourceKind = ObtainSpec['kind'];

/** The source and where it is written (for errors). */
export interface ObtainSection {
  spec: ObtainSpec;
  /** environments.<env>.obtain or environments.<env>.clients.<c>.obtain */
  path: string;
}

const NO_SOURCE = 'a token source: obtain: { clientCredentials | refreshToken | command | static | mint }';

/**
 * The token source of an environment, or of one of its clients (a client
 * without its own `obtain` uses the environment's). No source is a
 * contract error (exit 2) naming the field to add.
 *
 * @example readObtainSection(contract, 'staging', 'web').spec.kind // 'refresh_token'
 */
export function readObtainSection(contract: Contract, envName: string, client?: string): ObtainSection {
  const env = contract.environments[envName];
  if (!env) throw new UsageError(`unknown environment "${envName}" (the contract has: ${Object.keys(contract.environments).join(', ')})`);
  const base = `environments.${envName}`;
  if (client !== undefined) {
    const clients = readClientsSection(contract, env);
    if (!Object.prototype.hasOwnProperty.call(clients, client))
      throw new UsageError(
        `unknown client "${client}" of environment ${envName} (it has: ${Object.keys(clients).join(', ') || 'no clients'})`,
      );
    const own = clients[client]!.obtain;
    if (own !== undefined) return { spec: toSpec(own as Record<string, unknown>), path: `${base}.clients.${client}.obtain` };
  }
  if (env.obtain === undefined) throw new ContractError(contract.path ?? '(object)', `${base}.obtain`, NO_SOURCE, 'nothing');
  return { spec: toSpec(env.obtain as Record<string, unknown>), path: `${base}.obtain` };
}

const optional = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> =>
  v === undefined ? {} : ({ [key]: v } as Record<K, V>);

function toSpec(o: Record<string, unknown>): ObtainSpec {
  const timeout = optional('timeoutMs', o.timeoutMs as number | undefined);
  if (o.clientCredentials !== undefined) return { kind: 'client_credentials', client: o.clientCredentials as OAuthClientSpec, ...timeout };
  if (o.refreshToken !== undefined) {
    const { token, ...client } = o.refreshToken as OAuthClientSpec & { token: SecretRef };
    return { kind: 'refresh_token', client, token, ...timeout };
  }
  if (o.command !== undefined)
    return {
      kind: 'command',
      command: o.command as string[] | string,
      ...timeout,
      ...optional('maxBytes', o.maxBytes as number | undefined),
    };
  if (o.static !== undefined) return { kind: 'static', ref: o.static as SecretRef };
  const mint = o.mint === true ? {} : (o.mint as { fault?: MintableFault; lifetimeSeconds?: number; claims?: Record<string, unknown> });
  return { kind: 'mint', ...mint };
}
