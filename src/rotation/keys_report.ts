import type { Finding } from '../reasons.ts';
import type { KeySpec, ResolveContext, SourceReport } from '../keys/sources.ts';
import { inspectKeys, type KeyRow } from './inspect_keys.ts';
import { loadKeyMaterials } from './load_key_material.ts';
import { loadSourceArgument } from './load_source_argument.ts';
import { formatFindingLine, formatTable, worstSeverity } from './format_text.ts';
import { compareDiscovery, type DiscoveryExpectations, type DiscoveryMetadata } from '../keys/discovery_drift.ts';
import { fetchDiscoveryMetadata } from '../keys/fetch_discovery_metadata.ts';
import { DEFAULT_TIMEOUT_MS } from '../defaults.ts';

export const KEYS_SCHEMA = 'jwt-doctor/keys/v1';

export interface KeysReport {
  schema: typeof KEYS_SCHEMA;
  env?: string;
  /** Allowed algorithms the keys were checked against. */
  algorithms?: string[];
  sources: SourceReport[];
  keys: KeyRow[];
  findings: Finding[];
  /** The issuer's discovery metadata compared with the contract (issue 15: discovery drift), when asked. */
  discovery?: DiscoveryMetadata;
  result: 'ok' | 'warning' | 'error';
}

export interface KeysReportOptions extends ResolveContext {
  /** A SOURCE argument (URL, issuer, file); else `specs`. */
  source?: string;
  specs?: readonly KeySpec[];
  algorithms?: readonly string[];
  /** UNIX seconds. */
  now: number;
  /** Compare this issuer's discovery document with these expectations (discovery_issuer_mismatch, discovery_drift). */
  discovery?: { issuer: string; expectations: DiscoveryExpectations };
}

/**
 * Loads and inspects a key source (or an environment's key sources): one
 * row per key, findings with codes. Never throws on bad keys or
 * unreachable sources.
 *
 * @example const r = await buildKeysReport({ source: 'https://auth.example.com', now: Date.now() / 1000 });
 */
export async function buildKeysReport(options: KeysReportOptions): Promise<KeysReport> {
  const { source, specs, algorithms, now, discovery, ...ctx } = options;
  const parts = [];
  if (source !== undefined) parts.push(await loadSourceArgument(source, ctx));
  if (specs && specs.length > 0) parts.push(await loadKeyMaterials(specs, ctx));
  const meta = discovery ? await fetchDiscoveryMetadata(discovery.issuer, { timeoutMs: ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS }) : undefined;
  const entries = parts.flatMap((p) => p.entries);
  const inspection = inspectKeys(entries, { ...(algorithms ? { algorithms } : {}), now });
  const findings = [...parts.flatMap((p) => p.findings), ...inspection.findings];
  if (meta && 'code' in meta) findings.push(meta);
  else if (meta && discovery) findings.push(...compareDiscovery(discovery.expectations, meta));
  const report: KeysReport = {
    schema: KEYS_SCHEMA,
    sources: parts.flatMap((p) => p.sources),
    keys: inspection.rows,
    findings,
    result: worstSeverity(findings),
  };
  if (ctx.env !== undefined) report.env = ctx.env;
  if (algorithms) report.algorithms = [...algorithms];
  if (meta && !('code' in meta)) report.discovery = meta;
  return report;
}

/**
 * The text form: sources, a key table, findings, result.
 *
 * @example process.stdout.write(formatKeysText(report))
 */
export function formatKeysText(r: KeysReport): string {
  let out = '';
  if (r.env) out += `env = ${r.env}\n`;
  if (r.algorithms) out += `algorithms = ${r.algorithms.join(', ')}\n`;
  for (const s of r.sources) {
    out +=
      `source = ${s.kind} ${s.location ?? ''}`.trimEnd() +
      (s.ok ? ` (${s.keyCount} key${s.keyCount === 1 ? '' : 's'})` : ` (failed: ${s.error ?? 'error'})`) +
      '\n';
    if (s.cacheControl) out += `cache_control = ${s.cacheControl}\n`;
  }
  if (r.discovery)
    out += `discovery = ${r.discovery.url} (issuer ${r.discovery.issuer ?? '(none)'}, jwks_uri ${r.discovery.jwksUri ?? '(none)'}, algorithms ${r.discovery.signingAlgorithms?.join(' ') ?? '(none)'})\n`;
  out += '\n';
  const table: string[][] = [['#', 'kid', 'kty', 'alg', 'use', 'size', 'thumbprint', 'cert_expires', 'codes']];
  for (const k of r.keys) {
    table.push([
      String(k.index),
      k.kid ?? '-',
      k.kty ?? '-',
      k.alg ?? '-',
      k.use ?? '-',
      k.crv ?? (k.bits !== undefined ? `${k.bits} bits` : '-'),
      k.thumbprint ?? k.fingerprint ?? '-',
      k.certificateExpires ?? '-',
      k.codes.length ? k.codes.join(',') : 'ok',
    ]);
  }
  out += r.keys.length ? formatTable(table) : '(no keys)\n';
  if (r.findings.length) out += '\n' + r.findings.map(formatFindingLine).join('\n') + '\n';
  out += `\nresult = ${r.result}\n`;
  return out;
}
