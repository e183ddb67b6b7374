import { MAX_CONFIG_BYTES } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';

/**
 * NGINX Plus's ngx_http_auth_jwt_module: auth_jwt (and its token=
 * variable), auth_jwt_key_file / auth_jwt_key_request, auth_jwt_leeway
 * (default 0s), auth_jwt_require, and the `map $jwt_claim_iss` /
 * `$jwt_claim_aud` blocks those requirements name (the documented way to
 * check issuer and audience).
 */
export function importNginx(text: string, file: string): ImportedEnvironment {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ImportError(file, `the file is over ${MAX_CONFIG_BYTES} bytes`);
  const conf = text.replace(/#[^\n]*/g, '');
  const authJwt = [...conf.matchAll(/\bauth_jwt\s+("[^"]*"|\S+)([^;]*);/g)].filter((m) => m[1] !== 'off');
  if (authJwt.length === 0) throw new ImportError(file, 'no auth_jwt directive in this config');
  const fields: Record<string, unknown> = {
    tokenSource: tokenSourceOf(authJwt[0]![2] ?? ''),
    clockToleranceSeconds: seconds(directive(conf, 'auth_jwt_leeway') ?? '0s'),
  };
  const unmapped: Unmapped[] = [];
  const keys: unknown[] = [];
  for (const f of directives(conf, 'auth_jwt_key_file')) keys.push({ jwksFile: unquote(f) });
  for (const r of directives(conf, 'auth_jwt_key_request'))
    unmapped.push({
      setting: `auth_jwt_key_request ${r}`,
      reason: 'a subrequest location: set keys[].jwksUri to the URL its proxy_pass fetches',
    });
  fields.keys = keys;
  const maps = readMaps(conf);
  for (const req of directives(conf, 'auth_jwt_require').flatMap((r) => r.split(/\s+/))) {
    const m = maps.get(req.replace(/^\$/, ''));
    if (!m) continue;
    if (m.source === 'jwt_claim_iss') fields.issuer = m.accepted;
    else if (m.source === 'jwt_claim_aud') fields.audience = m.accepted;
    else unmapped.push({ setting: `auth_jwt_require ${req}`, reason: `a check on $${m.source}: add it to claims by hand` });
  }
  if (!fields.issuer)
    unmapped.push({ setting: 'iss', reason: 'no auth_jwt_require names a map of $jwt_claim_iss: this nginx accepts any issuer' });
  if (authJwt.length > 1)
    unmapped.push({ setting: 'auth_jwt', reason: `${authJwt.length} auth_jwt directives: the first one's token location is kept` });
  return { fields, unmapped, owner: 'gateway' };
}

function directives(conf: string, name: string): string[] {
  return [...conf.matchAll(new RegExp(`\\b${name}\\s+([^;]+);`, 'g'))].map((m) => m[1]!.trim());
}
function directive(conf: string, name: string): string | undefined {
  return directives(conf, name)[0];
}
function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
}

/** auth_jwt "realm" token=$http_x_api_token | $cookie_name; default Authorization: Bearer. */
function tokenSourceOf(rest: string): Record<string, unknown> {
  const m = /token=\$(http|cookie)_([A-Za-z0-9_]+)/.exec(rest);
  if (!m) return { header: 'authorization', scheme: 'Bearer' };
  return m[1] === 'cookie' ? { cookie: m[2]! } : { header: m[2]!.replace(/_/g, '-').toLowerCase(), scheme: null };
}

/** nginx time: 30s, 1m, 2h, or bare seconds. */
function seconds(t: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(t.trim());
  if (!m) return 0;
  const mult = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? 's'] ?? 1;
  return Number(m[1]) * mult;
}

/** map $jwt_claim_X $var { "value" 1; default 0; }: the values mapped to a true-ish result. */
function readMaps(conf: string): Map<string, { source: string; accepted: string[] }> {
  const out = new Map<string, { source: string; accepted: string[] }>();
  for (const m of conf.matchAll(/\bmap\s+\$(\w+)\s+\$(\w+)\s*\{([^}]*)\}/g)) {
    const accepted: string[] = [];
    for (const e of m[3]!.matchAll(/("[^"]*"|'[^']*'|\S+)\s+("[^"]*"|\S+)\s*;/g)) {
      const key = unquote(e[1]!);
      const value = unquote(e[2]!);
      if (key !== 'default' && key !== 'hostnames' && value !== '' && value !== '0') accepted.push(key);
    }
    out.set(m[2]!, { source: m[1]!, accepted });
  }
  return out;
}
