import { readFileSync } from 'node:fs';
import { parseYamlDocuments } from '../contract/load.ts';
import { fetchText } from '../net/fetch_text.ts';
import { ImportError } from './types.ts';

/** Configs are small: a cap before parsing (docs/limits.md), and YAML aliases bounded (billion laughs). */
export const MAX_CONFIG_BYTES = 1_000_000;

/** Every YAML (or JSON) document of a file: Kubernetes manifests hold several. */
export function readYamlDocuments(text: string, file: string): unknown[] {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ImportError(file, `the file is over ${MAX_CONFIG_BYTES} bytes`);
  const out: unknown[] = [];
  for (const d of parseYamlDocuments(text)) {
    if (d.errors.length > 0) throw new ImportError(file, `not YAML or JSON: ${d.errors[0]!.split('\n')[0]}`);
    out.push(d.value());
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every object of a parsed tree that `pick` accepts, depth-first, at most `maxDepth` deep. */
export function findObjects(root: unknown, pick: (o: Record<string, unknown>) => boolean, maxDepth = 64): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > maxDepth) return;
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (isObject(v)) {
      if (pick(v)) out.push(v);
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

export function strings(v: unknown): string[] {
  if (typeof v === 'string') return v === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/** Adds values to a list field without duplicates. */
export function addAll(fields: Record<string, unknown>, name: string, values: readonly string[]): void {
  if (values.length === 0) return;
  const have = (fields[name] as string[] | undefined) ?? [];
  fields[name] = [...have, ...values.filter((v) => !have.includes(v))];
}

/** A JWK Set's keys as contract `jwk:` sources (public members only: a private member is refused later by the loader). */
export function inlineJwks(text: string, file: string, where: string): { jwk: Record<string, unknown> }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ImportError(file, `${where}: the inline JWKS is not JSON`);
  }
  const keys = isObject(doc) && Array.isArray(doc.keys) ? doc.keys : isObject(doc) ? [doc] : [];
  return keys.filter(isObject).map((jwk) => ({ jwk }));
}

/** A verifier config from a file or an http(s) URL (an Envoy admin /config_dump), the URL fetched with a timeout and the size cap. */
export async function readConfigSource(
  location: string,
  timeoutMs: number,
): Promise<{ ok: true; text: string } | { ok: false; error: string; message: string }> {
  if (/^https?:\/\//i.test(location)) {
    const r = await fetchText(location, { timeoutMs, maxBytes: MAX_CONFIG_BYTES });
    return r.ok ? { ok: true, text: r.text } : { ok: false, error: r.error, message: r.message };
  }
  try {
    return { ok: true, text: readFileSync(location, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? 'not_found' : 'unreadable', message: code ?? (e as Error).message };
  }
}
