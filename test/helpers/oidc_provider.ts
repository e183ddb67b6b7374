/**
 * panva's oidc-provider on 127.0.0.1 for token-source tests (real token
 * endpoint, real discovery, real JWKS): a client_credentials client
 * whose access tokens are JWTs for the resource ORDERS_RESOURCE (RFC 8707
 * resource indicators), the same client without a resource (opaque
 * tokens), and a web client that gets a refresh token through the
 * authorization-code flow, driven over HTTP by `authorizationCodeFlow`
 * (devInteractions: the provider's own login and consent pages).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { makeKey } from './mint.ts';

export const ORDERS_RESOURCE = 'https://orders.example.test';
export const ORDERS_AUDIENCE = 'orders-api';
export const CI_CLIENT = { id: 'ci', secret: 'ci-secret-ci-secret-ci-secret-ci-secret-00' };
export const WEB_CLIENT = { id: 'web', secret: 'web-secret-web-secret-web-secret-web-00', redirectUri: 'http://127.0.0.1/cb' };
/** Access token lifetime for the resource (seconds). */
export const ACCESS_TOKEN_TTL = 600;

export interface TestProvider {
  issuer: string;
  signerKid: string;
  close(): Promise<void>;
}

/** @example const op = await startOidcProvider(); ... await op.close(); */
export async function startOidcProvider(): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = makeKey('RS256', { kid: 'op-1' });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(key.privateKey!.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'op-1', alg: 'RS256', use: 'sig' }] },
    scopes: ['openid', 'offline_access', 'orders:read'],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== ORDERS_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'orders:read',
            audience: ORDERS_AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    clients: [
      {
        client_id: CI_CLIENT.id,
        client_secret: CI_CLIENT.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
      {
        client_id: WEB_CLIENT.id,
        client_secret: WEB_CLIENT.secret,
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [WEB_CLIENT.redirectUri],
        response_types: ['code'],
      },
    ],
  });
  server.on('request', provider.callback());
  return {
    issuer,
    signerKid: 'op-1',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A cookie jar for one browser session: name=value pairs from Set-Cookie. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** One browser step: the request with the session's cookies, the Location it redirects to. */
async function step(jar: Jar, url: string, form?: Record<string, string>): Promise<{ location?: string; html?: string }> {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  jar.take(res);
  const location = res.headers.get('location');
  if (location !== null) {
    await res.body?.cancel();
    return { location: new URL(location, url).href };
  }
  return { html: await res.text() };
}

/**
 * The authorization-code flow as a browser drives it (RFC 6749 section
 * 4.1): /auth -> the provider's login page (devInteractions) -> consent
 * -> the redirect with the code -> the token endpoint. Returns the token
 * response, whose refresh_token the tests hand to the refresh_token source.
 *
 * @example const { refresh_token } = await authorizationCodeFlow(op.issuer, 'user-1');
 */
export async function authorizationCodeFlow(issuer: string, accountId: string): Promise<Record<string, unknown>> {
  const jar = new Jar();
  const auth = new URL(`${issuer}/auth`);
  const query = {
    client_id: WEB_CLIENT.id,
    response_type: 'code',
    redirect_uri: WEB_CLIENT.redirectUri,
    scope: 'openid offline_access orders:read',
    prompt: 'consent',
    resource: ORDERS_RESOURCE,
    state: 'st',
  };
  for (const [k, v] of Object.entries(query)) auth.searchParams.set(k, v);
  let next = (await step(jar, auth.href)).location;
  for (let hops = 0; next !== undefined && !next.startsWith(WEB_CLIENT.redirectUri) && hops < 10; hops++) {
    const page = await step(jar, next);
    if (page.location !== undefined) {
      next = page.location;
      continue;
    }
    // An interaction page: submit its form (login, then consent).
    const action = /<form[^>]*action="([^"]+)"/.exec(page.html ?? '')?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(page.html ?? '')?.[1] ?? 'login';
    if (action === undefined) throw new Error(`no form on the interaction page ${next}`);
    next = (await step(jar, new URL(action, next).href, prompt === 'login' ? { prompt, login: accountId, password: 'x' } : { prompt }))
      .location;
  }
  const code = next !== undefined ? new URL(next).searchParams.get('code') : null;
  if (code === null) throw new Error(`the flow ended without a code at ${next ?? '(nowhere)'}`);
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${WEB_CLIENT.id}:${WEB_CLIENT.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB_CLIENT.redirectUri,
      resource: ORDERS_RESOURCE,
    }).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}
