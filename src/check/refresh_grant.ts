/**
 * The refresh half of `check`'s refresh flow: the refresh_token grant
 * (RFC 6749 section 6) with the refresh token the first token response
 * carried, at the same token endpoint, as the same client.
 */
import type { Contract } from '../contract/load.ts';
import { readSecretRef } from '../contract/secret_ref.ts';
import { ContractError } from '../errors.ts';
import { looksLikeJwt } from '../obtain/obtain_token.ts';
import type { OAuthClientSpec } from '../obtain/read_obtain_section.ts';
import { requestToken } from '../obtain/token_endpoint.ts';
import { makeFinding, type Finding } from '../reasons.ts';

export type RefreshGrantResult = { ok: true; token: string; latencyMs: number } | { ok: false; finding: Finding; latencyMs: number };

/**
 * Exchanges `refreshToken` for a new access token. The refresh token and
 * the client secret stay out of every result; an opaque answer is
 * token_opaque, a refusal token_request_rejected, no answer
 * token_endpoint_unreachable (src/obtain/token_endpoint.ts).
 *
 * @example await refreshGrant(contract, spec.client, { endpoint, refreshToken, timeoutMs: 5000 })
 */
export async function refreshGrant(
  contract: Contract,
  client: OAuthClientSpec,
  o: { endpoint: string; refreshToken: string; timeoutMs: number; vars?: Record<string, string | undefined> },
): Promise<RefreshGrantResult> {
  let clientSecret: string | undefined;
  if (client.clientSecret !== undefined) {
    const s = readSecretRef(client.clientSecret, { baseDir: contract.baseDir, ...(o.vars ? { vars: o.vars } : {}) });
    if (!s.ok) throw new ContractError(contract.path ?? '(object)', 'obtain.clientSecret', 'a readable variable or file', s.why);
    clientSecret = s.text;
  }
  const r = await requestToken({
    endpoint: o.endpoint,
    params: {
      grant_type: 'refresh_token',
      refresh_token: o.refreshToken,
      ...(client.scope !== undefined ? { scope: client.scope } : {}),
      ...(client.resource !== undefined ? { resource: client.resource } : {}),
    },
    clientId: client.clientId,
    timeoutMs: o.timeoutMs,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(client.authMethod ? { authMethod: client.authMethod } : {}),
  });
  if (!r.ok) return r;
  if (!looksLikeJwt(r.accessToken))
    return {
      ok: false,
      latencyMs: r.latencyMs,
      finding: makeFinding('token_opaque', {
        claim: 'access_token',
        actual: 'opaque',
        detail: { grant: 'refresh_token', tokenLength: r.accessToken.length },
      }),
    };
  return { ok: true, token: r.accessToken, latencyMs: r.latencyMs };
}
