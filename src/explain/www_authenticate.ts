/**
 * The RFC 6750 / RFC 9110 challenge parser, shared by `explain` (a pasted
 * WWW-Authenticate header), `probe` and `drill` (an API's answer). It lives
 * here, below the front ends, because the translation table needs it and a
 * library module never imports a front end (DESIGN.md layering).
 */

export interface Challenge {
  /** Auth scheme as sent (compare case-insensitively, RFC 9110 section 11.1). */
  scheme: string;
  /** auth-params, names lower-cased, quoted-string values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM = new RegExp(`^(${TOKEN})\\s*=\\s*(.*)$`, 's');
const SCHEME_REST = new RegExp(`^(${TOKEN})(?:\\s+(.*))?$`, 's');

/** Splits on commas outside quoted strings. */
function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      cur += ch + value[++i]!;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/**
 * Parses WWW-Authenticate values into challenges (RFC 9110 section 11.6.1,
 * grammar from section 11.2: a scheme, then a token68 or comma-separated
 * auth-params; several challenges may share one field value). Lenient:
 * never throws, skips what it cannot read.
 *
 * @example
 * parseWwwAuthenticate('Bearer realm="api", error="invalid_token", error_description="token_expired"')
 * // [{ scheme: 'Bearer', params: { realm: 'api', error: 'invalid_token', error_description: 'token_expired' } }]
 */
export function parseWwwAuthenticate(values: string | readonly string[] | undefined): Challenge[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const out: Challenge[] = [];
  for (const value of list) {
    let current: Challenge | undefined;
    for (const item of splitTopLevel(value)) {
      if (item === '') continue;
      const param = PARAM.exec(item);
      if (param && current && !/^=*$/.test(param[2]!)) {
        current.params[param[1]!.toLowerCase()] = unquote(param[2]!);
        continue;
      }
      const m = SCHEME_REST.exec(item);
      if (!m) continue;
      current = { scheme: m[1]!, params: {} };
      out.push(current);
      const rest = m[2]?.trim();
      if (!rest) continue;
      const p = PARAM.exec(rest);
      if (p && !/^=*$/.test(p[2]!)) current.params[p[1]!.toLowerCase()] = unquote(p[2]!);
      else current.token68 = rest;
    }
  }
  return out;
}
