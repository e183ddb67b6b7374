import { addAll } from './read_config.ts';
import { ImportError, type ImportedEnvironment, type Unmapped } from './types.ts';
import { MAX_CONFIG_BYTES } from './read_config.ts';

/**
 * oauth2-proxy's config file (TOML, `oauth2-proxy.cfg`): bearer JWTs are
 * verified only with skip_jwt_bearer_tokens = true, against the OIDC issuer
 * (audience: client_id and oidc_extra_audiences) and each
 * extra_jwt_issuers "issuer=audience" pair. go-oidc applies no clock leeway.
 */
export function importOauth2Proxy(text: string, file: string): ImportedEnvironment {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ImportError(file, `the file is over ${MAX_CONFIG_BYTES} bytes`);
  const cfg = readToml(text);
  const issuer = cfg.oidc_issuer_url;
  if (typeof issuer !== 'string') throw new ImportError(file, 'no oidc_issuer_url in this config');
  const fields: Record<string, unknown> = {
    issuer: [issuer],
    tokenSource: { header: 'authorization', scheme: 'Bearer' },
    clockToleranceSeconds: 0,
  };
  const unmapped: Unmapped[] = [];
  addAll(fields, 'audience', [...str(cfg.client_id), ...list(cfg.oidc_extra_audiences)]);
  const keys: unknown[] = [typeof cfg.oidc_jwks_url === 'string' ? { jwksUri: cfg.oidc_jwks_url } : { discovery: issuer }];
  for (const pair of list(cfg.extra_jwt_issuers)) {
    const eq = pair.lastIndexOf('=');
    const iss = eq > 0 ? pair.slice(0, eq) : pair;
    addAll(fields, 'issuer', [iss]);
    if (eq > 0) addAll(fields, 'audience', [pair.slice(eq + 1)]);
    keys.push({ discovery: iss });
  }
  fields.keys = keys;
  if (cfg.skip_jwt_bearer_tokens !== true)
    unmapped.push({
      setting: 'skip_jwt_bearer_tokens',
      reason: 'false: oauth2-proxy ignores bearer tokens and requires its session cookie; the contract describes the bearer path',
    });
  if (list(cfg.extra_jwt_issuers).length > 0)
    unmapped.push({ setting: 'extra_jwt_issuers', reason: 'issuer/audience pairs merged: each issuer is accepted with every audience' });
  return { fields, unmapped, owner: 'gateway' };
}

const str = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? [v] : []);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : str(v));

/** The flat `key = value` TOML oauth2-proxy uses: strings, booleans, numbers, arrays of strings (one line or several). */
export function readToml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let value = m[2]!;
    while (value.trimStart().startsWith('[') && !/\]\s*(#.*)?$/.test(value) && i + 1 < lines.length) value += ' ' + lines[++i]!;
    out[m[1]!] = tomlValue(value.trim());
  }
  return out;
}

function tomlValue(v: string): unknown {
  if (v.startsWith('[')) return [...v.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
  const s = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(v);
  if (s) return s[1] ?? s[2];
  const bare = v.replace(/\s+#.*$/, '');
  if (bare === 'true' || bare === 'false') return bare === 'true';
  return /^-?\d+(\.\d+)?$/.test(bare) ? Number(bare) : bare;
}
