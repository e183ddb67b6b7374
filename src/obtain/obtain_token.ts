import type { Contract } from '../contract/load.ts';
import { ContractError } from '../errors.ts';
import { makeFinding, type Finding } from '../reasons.ts';
import { readSecretRef, type SecretRef } from '../contract/secret_ref.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';
import { mintToken } from '../mint/mint_token.ts';
import type { SignerSpec } from '../mint/load_signer.ts';
import { readObtainSection, type ObtainSpec, type OAuthClientSpec, type TokenSourceKind } from './read_obtain_section.ts';
import { discoverTokenEndpoint } from './discover_token_endpoint.ts';
import { requestToken } from './token_endpoint.ts';
import { runTokenCommand } from './run_token_command.ts';
import { readCommandToken } from './read_command_token.ts';

export interface ObtainOptions {
  /** A client of the environment (clients.<name>.obtain; else the environment's obtain). */
  client?: string;
  /** The instant: obtainedAt, and the mint source's clock. */
  now: Date | number;
  /** Deadline of each network call or of the command (default: the source's timeoutMs, else 5000). */
  timeoutMs?: number;
  maxBytes?: number;
  /** Variables for `{ env: NAME }` references (default process.env). */
  vars?: Record<string, string | undefined>;
  /** mint source: mint for an environment marked production: true. */
  allowProduction?: boolean;
  /** mint source: replaces the environment's signer. */
  signer?: SignerSpec;
}

/** A fresh token and how it came. `refreshToken` is a secret: never print it. */
export interface ObtainedToken {
  ok: true;
  token: string;
  source: TokenSourceKind;
  /** NumericDate seconds: options.now. */
  obtainedAt: number;
  /** expires_in of the token response (seconds). */
  expiresIn?: number;
  /** A (rotated) refresh token from the response: keep it where the contract reads it. */
  refreshToken?: string;
  tokenType?: string;
  scope?: string;
  /** The token endpoint asked (OAuth sources). */
  endpoint?: string;
  /** Discovery + token request, or the command's run time. */
  latencyMs: number;
}

/** Why no token came: one finding with a reason code (token_endpoint_unreachable, token_request_rejected, token_opaque, ...). */
export interface ObtainFailure {
  ok: false;
  source: TokenSourceKind;
  finding: Finding;
  endpoint?: string;
  latencyMs: number;
}

export type ObtainResult = ObtainedToken | ObtainFailure;

/** What a source answers before the common checks (the token is a JWT). */
type Raw =
  | { ok: true; token: string; latencyMs: number; extra?: Partial<ObtainedToken>; introspection?: string }
  | { ok: false; finding: Finding; latencyMs: number; endpoint?: string };

/**
 * Obtains a fresh token from the environment's (or client's) token source:
 * OAuth 2.0 client_credentials or refresh_token at the issuer's token
 * endpoint (from discovery unless the contract names it), a command, a
 * static token from a variable or file, or mint. A failure of the
 * environment is a value with one finding; a contract that names no
 * source, or a secret whose variable or file is missing, is a
 * ContractError (exit 2).
 *
 * @example
 * const r = await obtainToken(contract, 'staging', { now: new Date() });
 * if (r.ok) console.log(r.source, r.latencyMs); else console.log(r.finding.code); // 'token_request_rejected'
 */
export async function obtainToken(contract: Contract, envName: string, options: ObtainOptions): Promise<ObtainResult> {
  const { spec, path } = readObtainSection(contract, envName, options.client);
  const raw = await fromSource(contract, envName, spec, path, options);
  const obtainedAt = Math.floor(typeof options.now === 'number' ? options.now : options.now.getTime() / 1000);
  if (!raw.ok)
    return {
      ok: false,
      source: spec.kind,
      finding: raw.finding,
      latencyMs: raw.latencyMs,
      ...(raw.endpoint !== undefined ? { endpoint: raw.endpoint } : {}),
    };
  if (!looksLikeJwt(raw.token))
    return {
      ok: false,
      source: spec.kind,
      finding: opaque(raw.token, raw.introspection, spec.kind),
      latencyMs: raw.latencyMs,
      ...(raw.extra?.endpoint !== undefined ? { endpoint: raw.extra.endpoint } : {}),
    };
  return { ok: true, token: raw.token, source: spec.kind, obtainedAt, latencyMs: raw.latencyMs, ...raw.extra };
}

async function fromSource(contract: Contract, envName: string, spec: ObtainSpec, path: string, options: ObtainOptions): Promise<Raw> {
  const timeoutMs = options.timeoutMs ?? ('timeoutMs' in spec ? spec.timeoutMs : undefined) ?? DEFAULT_TIMEOUT_MS;
  const secret = (ref: SecretRef, field: string) => readSecret(contract, ref, `${path}.${field}`, options);
  switch (spec.kind) {
    case 'client_credentials':
      return fromTokenEndpoint(contract, envName, spec.client, { grant_type: 'client_credentials' }, { ...options, timeoutMs }, (f) =>
        secret(spec.client.clientSecret!, `clientCredentials.${f}`),
      );
    case 'refresh_token': {
      const refresh = secret(spec.token, 'refreshToken.token');
      return fromTokenEndpoint(
        contract,
        envName,
        spec.client,
        { grant_type: 'refresh_token', refresh_token: refresh },
        { ...options, timeoutMs },
        (f) => secret(spec.client.clientSecret!, `refreshToken.${f}`),
      );
    }
    case 'command': {
      const r = await runTokenCommand(spec.command, {
        timeoutMs,
        cwd: contract.baseDir,
        ...(spec.maxBytes !== undefined ? { maxBytes: spec.maxBytes } : {}),
      });
      if (!r.ok)
        return {
          ok: false,
          latencyMs: r.latencyMs,
          finding: makeFinding('token_command_failed', {
            claim: 'command',
            actual: r.error,
            detail: {
              error: r.error,
              message: r.message,
              ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
              elapsedMs: r.latencyMs,
            },
          }),
        };
      return readCommandToken(r.stdout, r.latencyMs);
    }
    case 'static':
      return { ok: true, token: secret(spec.ref, 'static').trim(), latencyMs: 0 };
    case 'mint': {
      const minted = mintToken(contract, envName, mintOptions(spec, options));
      return { ok: true, token: minted.token, latencyMs: 0 };
    }
  }
}

function mintOptions(spec: Extract<ObtainSpec, { kind: 'mint' }>, o: ObtainOptions): Parameters<typeof mintToken>[2] {
  return {
    now: o.now,
    ...(o.client !== undefined ? { client: o.client } : {}),
    ...(spec.fault !== undefined ? { fault: spec.fault } : {}),
    ...(spec.claims !== undefined ? { claims: spec.claims } : {}),
    ...(spec.lifetimeSeconds !== undefined ? { lifetimeSeconds: spec.lifetimeSeconds } : {}),
    ...(o.signer !== undefined ? { signer: o.signer } : {}),
    ...(o.allowProduction !== undefined ? { allowProduction: o.allowProduction } : {}),
    ...(o.vars !== undefined ? { vars: o.vars } : {}),
  };
}

async function fromTokenEndpoint(
  contract: Contract,
  envName: string,
  client: OAuthClientSpec,
  params: Record<string, string>,
  o: ObtainOptions & { timeoutMs: number },
  secret: (field: string) => string,
): Promise<Raw> {
  const clientSecret = client.clientSecret !== undefined ? secret('clientSecret') : undefined;
  let endpoint = client.tokenEndpoint;
  let latency = 0;
  let introspection: string | undefined;
  if (endpoint === undefined) {
    const issuer = contract.environments[envName]!.issuer?.[0];
    if (issuer === undefined)
      throw new ContractError(
        contract.path ?? '(object)',
        `environments.${envName}.issuer`,
        'an issuer to discover the token endpoint from (or tokenEndpoint in the token source)',
        'nothing',
      );
    const d = await discoverTokenEndpoint(issuer, {
      timeoutMs: o.timeoutMs,
      ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
    });
    if (!d.ok) return { ok: false, finding: d.finding, latencyMs: d.latencyMs };
    ({ tokenEndpoint: endpoint, latencyMs: latency, introspectionEndpoint: introspection } = d);
  }
  const extra: Record<string, string | string[]> = {
    ...(client.scope !== undefined ? { scope: client.scope } : {}),
    ...(client.resource !== undefined ? { resource: client.resource } : {}),
    ...(client.audience !== undefined ? { audience: client.audience } : {}),
  };
  const r = await requestToken({
    endpoint,
    params: { ...params, ...extra },
    clientId: client.clientId,
    timeoutMs: o.timeoutMs,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(client.authMethod ? { authMethod: client.authMethod } : {}),
    ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
  });
  const latencyMs = latency + r.latencyMs;
  if (!r.ok) return { ok: false, finding: r.finding, latencyMs, endpoint };
  const { accessToken, latencyMs: _l, ok: _ok, ...rest } = r;
  return {
    ok: true,
    token: accessToken,
    latencyMs,
    extra: { ...rest, endpoint },
    ...(introspection !== undefined ? { introspection } : {}),
  };
}

function readSecret(contract: Contract, ref: SecretRef, path: string, o: ObtainOptions): string {
  const r = readSecretRef(ref, { baseDir: contract.baseDir, ...(o.vars ? { vars: o.vars } : {}) });
  if (!r.ok) throw new ContractError(contract.path ?? '(object)', path, 'a readable variable or file', r.why);
  return r.text;
}

/** A compact JWS (3 segments) or JWE (5): base64url segments and dots only (RFC 7515 section 7.1). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token) || /^([A-Za-z0-9_-]*\.){4}[A-Za-z0-9_-]*$/.test(token);
}

function opaque(token: string, introspection: string | undefined, source: TokenSourceKind): Finding {
  const where = introspection ? ` at ${introspection}` : '';
  return makeFinding('token_opaque', {
    claim: 'access_token',
    actual: 'opaque',
    hint: `The ${source} source gave an opaque access token (${token.length} characters, no JWT): request a JWT access token (resource indicator or audience parameter, RFC 9068), or validate it by introspection${where} (RFC 7662).`,
    detail: { source, tokenLength: token.length, ...(introspection ? { introspectionEndpoint: introspection } : {}) },
  });
}
