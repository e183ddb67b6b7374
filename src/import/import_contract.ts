import { loadContract, stringifyYaml } from '../contract/load.ts';
import { importAspnet } from './aspnet.ts';
import { importEnvoy } from './envoy.ts';
import { importIstio } from './istio.ts';
import { importKong } from './kong.ts';
import { importNginx } from './nginx.ts';
import { importOauth2Proxy } from './oauth2_proxy.ts';
import { importSpring } from './spring.ts';
import type { ImportedEnvironment, Importer, ImportKind, Unmapped } from './types.ts';

export const IMPORTERS: Readonly<Record<ImportKind, Importer>> = {
  envoy: importEnvoy,
  istio: importIstio,
  kong: importKong,
  spring: importSpring,
  aspnet: importAspnet,
  'oauth2-proxy': importOauth2Proxy,
  nginx: importNginx,
};

export interface ImportedContract extends ImportedEnvironment {
  kind: ImportKind;
  env: string;
  /** The contract document: `version`, the one environment, `x-imported-from`. */
  doc: Record<string, unknown>;
}

/**
 * A complete contract for the environment a verifier's config implies,
 * checked by the contract loader before it is returned (so it is usable as
 * is with --contract; a contract error here is an importer bug).
 *
 * @example importContract('envoy', readFileSync('envoy.yaml', 'utf8'), 'envoy.yaml', { env: 'staging' }).doc
 */
export function importContract(kind: ImportKind, text: string, file: string, options: { env?: string } = {}): ImportedContract {
  const imported = IMPORTERS[kind](text, file);
  const env = options.env ?? 'imported';
  const doc = {
    version: 1,
    'x-imported-from': { kind, file },
    environments: { [env]: { description: `imported from ${kind} config ${file}`, ...imported.fields } },
  };
  return { ...imported, kind, env, doc };
}

/** The YAML text written to stdout or --out: the unmapped settings as comments on top. */
export function renderImportedContract(c: ImportedContract): string {
  const head = [`# Imported by jwt-doctor contract import --from ${c.kind} (review before use).`];
  if (c.unmapped.length > 0) head.push('# Not mapped:', ...c.unmapped.map((u: Unmapped) => `# - ${u.setting}: ${u.reason}`));
  return `${head.join('\n')}\n${stringifyYaml(c.doc)}`;
}

/** Loads the imported document as a contract: the proof it is usable as is (relative files resolve from baseDir). */
export function validateImported(c: ImportedContract, baseDir: string): void {
  loadContract(c.doc, { baseDir });
}
