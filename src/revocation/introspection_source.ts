import { fetchText } from '../net/fetch_text.ts';
import { DEFAULT_REVOCATION_TIMEOUT_MS } from '../defaults.ts';
import { discoverIntrospectionEndpoint, type IntrospectionDiscovery } from './discover_introspection_endpoint.ts';
import { notRevoked, revokedBy, unavailable, type RevocationAnswer, type RevocationSource } from './revocation_source.ts';

export interface IntrospectionOptions {
  /** The RFC 7662 introspection endpoint (one of endpoint and issuer). */
  endpoint?: string;
  /** Without an endpoint: the issuer whose OpenID discovery document names it (introspection_endpoint). */
  issuer?: string;
  clientId: string;
  /** Read from a variable or file by the caller; sent only in the Authorization header. */
  clientSecret: string;
  timeoutMs?: number;
}

// RFC 6749 section 2.3.1: client_secret_basic form-encodes id and secret before base64.
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

/**
 * RFC 7662 token introspection as a revocation source: the token is POSTed
 * (section 2.1, `token_type_hint=access_token`) with HTTP Basic client
 * authentication; `active: false` means revoked, expired or unknown to the
 * issuer (section 2.2: the server does not say which), so a verified,
 * unexpired token answered inactive is revoked. A 401 is `unauthorized`
 * (the verifier's own credentials), any other failure `unreachable` /
 * `timeout` / `protocol`. The token is sent only to the endpoint the
 * contract names, or, without one, to the issuer's discovered
 * introspection_endpoint on the issuer's own origin (looked up at the first
 * token, then kept; a failed lookup is that token's answer and is tried
 * again at the next); never logged.
 *
 * @example const source = createIntrospectionSource({ endpoint: 'https://auth.example.com/token/introspection', clientId: 'api', clientSecret: process.env.INTROSPECTION_SECRET! });
 */
export function createIntrospectionSource(options: IntrospectionOptions): RevocationSource {
  const name = options.endpoint ?? `introspection_endpoint of ${options.issuer ?? '(no issuer)'}`;
  const authorization = 'Basic ' + Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64');
  const endpoint = endpointResolver(options);
  return {
    name,
    async isRevoked({ token }) {
      if (token === undefined) return unavailable(name, 'no_token', 'introspection needs the token itself');
      const found = await endpoint();
      if (!found.ok) return unavailable(name, found.error, found.message);
      const r = await fetchText(found.endpoint, {
        method: 'POST',
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        accept: 'application/json',
        timeoutMs: options.timeoutMs ?? DEFAULT_REVOCATION_TIMEOUT_MS,
        maxBytes: 64 * 1024,
      });
      if (!r.ok) {
        if (r.error === 'http_status' && (r.status === 401 || r.status === 403))
          return unavailable(name, 'unauthorized', `HTTP ${r.status}: check clientId and clientSecret`);
        return unavailable(name, r.error === 'timeout' ? 'timeout' : r.error === 'http_status' ? 'protocol' : 'unreachable', r.message);
      }
      return answerOf(r.text, name);
    },
  };
}

/** The contract's endpoint, else the discovered one: one lookup in flight at a time, kept once it succeeds. */
function endpointResolver(options: IntrospectionOptions): () => Promise<IntrospectionDiscovery> {
  if (options.endpoint !== undefined) {
    const fixed: IntrospectionDiscovery = { ok: true, endpoint: options.endpoint };
    return () => Promise.resolve(fixed);
  }
  const issuer = options.issuer;
  if (issuer === undefined) {
    const none: IntrospectionDiscovery = {
      ok: false,
      error: 'protocol',
      message: 'no introspection endpoint and no issuer to discover it from',
    };
    return () => Promise.resolve(none);
  }
  let pending: Promise<IntrospectionDiscovery> | undefined;
  return () => {
    pending ??= discoverIntrospectionEndpoint(issuer, { timeoutMs: options.timeoutMs ?? DEFAULT_REVOCATION_TIMEOUT_MS }).then((d) => {
      if (!d.ok) pending = undefined;
      return d;
    });
    return pending;
  };
}

function answerOf(text: string, name: string): RevocationAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return unavailable(name, 'protocol', 'introspection answer is not JSON');
  }
  const active = body !== null && typeof body === 'object' ? (body as { active?: unknown }).active : undefined;
  // RFC 7662 section 2.2: "active" is REQUIRED and a boolean; anything else is not an answer.
  if (typeof active !== 'boolean') return unavailable(name, 'protocol', 'introspection answer has no boolean "active"');
  return active ? notRevoked(name) : revokedBy(name, 'inactive');
}
