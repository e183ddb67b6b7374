/**
 * The API report (issue 10 item 6, as API Extractor's `*.api.md`): every name
 * each public entry of package.json "exports" offers, with its kind and its
 * declaration as tsc emits it (tsconfig.build.json, comments removed), one
 * file per entry in api/. A change to the public API shows up as a diff of
 * api/ in review; test/api_report.test.ts fails while api/ is stale.
 *
 *   node --import tsx scripts/api-report.ts --check   # exit 1 when api/ differs from the code (default)
 *   node --import tsx scripts/api-report.ts --write   # regenerate api/ after a reviewed change
 *
 * A value whose type is an object of objects (REASONS) lists its member
 * names only: the reason codes are API, the registry's titles and hints text.
 */
import ts from 'typescript';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type ExportKind = 'function' | 'class' | 'value' | 'namespace' | 'enum' | 'type';

export interface ExportedName {
  /** As a consumer imports it; a namespace's members as `errors.UsageError`. */
  name: string;
  kind: ExportKind;
  /** The emitted declaration(s), comments and `export declare` removed. */
  text: string;
}

export interface EntryReport {
  /** The import specifier: 'jwt-doctor', 'jwt-doctor/advanced', ... */
  entry: string;
  /** src/ file of the entry. */
  source: string;
  /** api/ file of the report. */
  file: string;
  exports: ExportedName[];
}

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRINTER = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The public entries: package.json "exports" whose `types` is a declaration emitted from src/. */
export function publicEntries(root = ROOT): { entry: string; source: string; file: string }[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  return Object.entries(pkg.exports).flatMap(([subpath, target]) => {
    const types = typeof target === 'string' ? undefined : target.types;
    const m = types?.match(/^\.\/dist\/types\/(.+)\.d\.ts$/);
    if (!m) return [];
    const entry = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    return [{ entry, source: `src/${m[1]}.ts`, file: `api/${subpath === '.' ? pkg.name : subpath.slice(2)}.api.md` }];
  });
}

/** tsc's declaration emit of tsconfig.build.json, in memory: absolute .d.ts path -> text. */
function emitDeclarations(root: string): { program: ts.Program; declarations: Map<string, string>; outDir: string; rootDir: string } {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, host)!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const declarations = new Map<string, string>();
  const emit = program.emit(undefined, (fileName, text) => declarations.set(resolve(fileName), text), undefined, true);
  const errors = emit.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0)
    throw new Error(
      ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }),
    );
  return { program, declarations, outDir: resolve(config.options.outDir!), rootDir: resolve(config.options.rootDir!) };
}

/** Whether an export is type-only (`export type { X }`, `export { type X }`): a class so exported is a type to its importer. */
function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) || (ts.isNamespaceExport(d) && d.parent.isTypeOnly),
  );
}

function kindOf(node: ts.Statement): ExportKind {
  if (ts.isFunctionDeclaration(node)) return 'function';
  if (ts.isClassDeclaration(node)) return 'class';
  if (ts.isVariableStatement(node)) return 'value';
  if (ts.isEnumDeclaration(node)) return 'enum';
  if (ts.isModuleDeclaration(node)) return 'namespace';
  return 'type';
}

function declaredNames(node: ts.Statement): string[] {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  const name = (node as ts.DeclarationStatement).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}

/** One declaration as text: printed without comments, `export`/`declare` dropped, object-literal value types as their member names. */
function printDeclaration(node: ts.Statement, sf: ts.SourceFile): string {
  if (ts.isVariableStatement(node)) {
    const [decl] = node.declarationList.declarations;
    // Nested objects (REASONS: titles, hints) as member names; flat ones (METRIC_NAMES) in full.
    if (
      decl?.type &&
      ts.isTypeLiteralNode(decl.type) &&
      decl.type.members.some((m) => ts.isPropertySignature(m) && m.type !== undefined && ts.isTypeLiteralNode(m.type))
    ) {
      const members = decl.type.members.map((m) => (m.name ? m.name.getText(sf) : '...'));
      const keyword = node.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
      return `${keyword} ${decl.name.getText(sf)}: { ${members.join('; ')} };`;
    }
  }
  const text = PRINTER.printNode(ts.EmitHint.Unspecified, node, sf);
  return text
    .replace(/^export /, '')
    .replace(/^declare /, '')
    .replace(/^default /, '');
}

interface DeclarationIndex {
  find(srcFile: string, name: string): ts.Statement[] | undefined;
  sourceFile(srcFile: string): ts.SourceFile;
}

function indexDeclarations(declarations: Map<string, string>, outDir: string, rootDir: string): DeclarationIndex {
  const parsed = new Map<string, ts.SourceFile>();
  const sourceFile = (srcFile: string): ts.SourceFile => {
    const path = join(outDir, relative(rootDir, srcFile)).replace(/\.ts$/, '.d.ts');
    let sf = parsed.get(path);
    if (sf === undefined) {
      const text = declarations.get(path);
      if (text === undefined)
        throw new Error(`tsc emitted no declarations for ${relative(ROOT, srcFile)} (is its entry in tsconfig.build.json "files"?)`);
      sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
      parsed.set(path, sf);
    }
    return sf;
  };
  const find = (srcFile: string, name: string) => {
    const found = sourceFile(srcFile).statements.filter((s) => declaredNames(s).includes(name));
    return found.length > 0 ? found : undefined;
  };
  return { find, sourceFile };
}

/** The exports of one module symbol (an entry, or a namespace re-export such as `errors`), recursively. */
function collectExports(checker: ts.TypeChecker, index: DeclarationIndex, moduleSymbol: ts.Symbol, prefix: string): ExportedName[] {
  return checker.getExportsOfModule(moduleSymbol).flatMap((symbol): ExportedName[] => {
    const name = prefix + symbol.name;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const decl = target.declarations?.[0];
    if (decl === undefined) throw new Error(`${name}: no declaration`);
    if (ts.isSourceFile(decl)) {
      // `export * as errors from './errors.ts'`: a namespace of the module's exports.
      const members = collectExports(checker, index, target, `${name}.`);
      return [
        {
          name,
          kind: isTypeOnlyExport(symbol) ? 'type' : 'namespace',
          text: `namespace ${name} { ${members.map((m) => m.name.slice(name.length + 1)).join(', ')} }`,
        },
        ...members,
      ];
    }
    const statements = index.find(decl.getSourceFile().fileName, target.name);
    if (statements === undefined)
      throw new Error(`${name}: no emitted declaration of ${target.name} in ${relative(ROOT, decl.getSourceFile().fileName)}`);
    const sf = statements[0]!.getSourceFile();
    const kinds = statements.map(kindOf);
    // A class merged with an interface, or a function with a namespace: the value's kind names it.
    const valueKind = kinds.find((k) => k !== 'type') ?? 'type';
    const renamed = target.name !== symbol.name ? `// exported as ${symbol.name}\n` : '';
    return [
      {
        name,
        kind: isTypeOnlyExport(symbol) ? 'type' : valueKind,
        text: renamed + statements.map((s) => printDeclaration(s, sf)).join('\n'),
      },
    ];
  });
}

/** Every public entry's exports, from the declarations tsc emits for tsconfig.build.json. */
export function buildApiReport(root = ROOT): EntryReport[] {
  const { program, declarations, outDir, rootDir } = emitDeclarations(root);
  const checker = program.getTypeChecker();
  const index = indexDeclarations(declarations, outDir, rootDir);
  return publicEntries(root).map(({ entry, source, file }) => {
    const sf = program.getSourceFile(join(root, source));
    if (sf === undefined) throw new Error(`${source} (package.json exports ${entry}) is not in tsconfig.build.json "files"`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    const exports = moduleSymbol ? collectExports(checker, index, moduleSymbol, '') : [];
    return { entry, source, file, exports: exports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  });
}

const isValue = (e: ExportedName): boolean => e.kind !== 'type';

/** One entry's report as Markdown: values, then types, each declaration once. */
export function renderReport(r: EntryReport): string {
  const block = (items: ExportedName[]) => ['```ts', items.map((e) => e.text).join('\n\n'), '```'];
  const values = r.exports.filter(isValue);
  const types = r.exports.filter((e) => !isValue(e));
  return [
    `# API report: \`${r.entry}\``,
    '',
    `<!-- Generated by \`node --import tsx scripts/api-report.ts --write\` from the declarations tsc emits for ${r.source}. Do not edit: review the diff; test/api_report.test.ts fails while this file differs from the code. -->`,
    '',
    `${values.length} values, ${types.length} types.`,
    '',
    '## Values',
    '',
    ...(values.length > 0 ? block(values) : ['(none)']),
    '',
    '## Types',
    '',
    ...(types.length > 0 ? block(types) : ['(none)']),
    '',
  ].join('\n');
}

/** Files of api/ that the report no longer produces (an entry removed from package.json). */
export function staleReportFiles(reports: readonly EntryReport[], root = ROOT): string[] {
  const dir = join(root, 'api');
  if (!existsSync(dir)) return [];
  const wanted = new Set(reports.map((r) => r.file));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.api.md') && !wanted.has(`api/${f}`))
    .map((f) => `api/${f}`);
}

/** The report files that differ from what the code produces. */
export function changedReportFiles(reports: readonly EntryReport[], root = ROOT): string[] {
  const changed = reports.filter((r) => {
    const path = join(root, r.file);
    return !existsSync(path) || readFileSync(path, 'utf8') !== renderReport(r);
  });
  return [...changed.map((r) => r.file), ...staleReportFiles(reports, root)];
}

function main(argv: string[]): number {
  const write = argv.includes('--write');
  const reports = buildApiReport();
  if (write) {
    mkdirSync(join(ROOT, 'api'), { recursive: true });
    for (const stale of staleReportFiles(reports)) rmSync(join(ROOT, stale));
    for (const r of reports) writeFileSync(join(ROOT, r.file), renderReport(r));
    process.stdout.write(
      `api/ written: ${reports.map((r) => `${r.entry} (${r.exports.filter(isValue).length} values, ${r.exports.length} names)`).join(', ')}\n`,
    );
    return 0;
  }
  const changed = changedReportFiles(reports);
  if (changed.length === 0) return 0;
  process.stderr.write(
    `The public API differs from the report in ${changed.join(', ')}: review the change, then run node --import tsx scripts/api-report.ts --write\n`,
  );
  return 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
