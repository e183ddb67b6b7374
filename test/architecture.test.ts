/**
 * The layering of DESIGN.md, enforced (issue 10 item 5): the pure core
 * (token/, checks/, the pure parts of keys/, reasons.ts, report/, the
 * diagnoser) does no I/O and imports no front end, directly or through any
 * chain of imports; no module outside src/cli/ imports src/cli/ (front ends
 * share code through lower layers, never through the CLI).
 *
 * Imports are read with the TypeScript parser (static imports, re-exports,
 * dynamic `import()`), relative ones followed transitively. I/O is judged
 * on runtime imports only: `import type` is erased by the compiler and loads
 * nothing. Layering (front ends, cli/) is judged on every import, types too:
 * a type from a higher layer is still a dependency on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { REPO } from './helpers/cli.ts';

interface Edge {
  /** Repository-relative path of a source file, or the bare specifier of a package or built-in. */
  target: string;
  typeOnly: boolean;
}

const SRC = join(REPO, 'src');

/** Every .ts file under src/, repository-relative with forward slashes. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(REPO, path).split('\\').join('/')] : [];
  });
}

/** A relative specifier as a repository path (`./x.ts`, `./x.js`, `./x`, `./dir` -> dir/index.ts). */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(REPO, dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((c) => c.endsWith('.ts') && existsSync(c)) ?? base;
  return relative(REPO, found).split('\\').join('/');
}

/** Built-ins lose their `node:` prefix so `fs` and `node:fs` are one module. */
const bare = (specifier: string): string => specifier.replace(/^node:/, '');

/** Whether every name an import or export clause brings in is type-only. */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x.ts'`: run for its effects
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The imports of one file: static, re-exports, `import()` (a type position `typeof import('x')` is type-only). */
function importsOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, readFileSync(join(REPO, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) =>
    edges.push({ target: specifier.startsWith('.') ? resolveRelative(file, specifier) : bare(specifier), typeOnly });
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, isTypeOnly(node));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg !== undefined && ts.isStringLiteralLike(arg)) add(arg.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const FILES = sourceFiles();
const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

/**
 * The first import chain from `start` to a module `isBad` accepts, following
 * runtime imports only (or every import), breadth first: the shortest chain,
 * which is the one a reader fixes.
 */
function findPath(start: string, isBad: (target: string) => boolean, runtimeOnly: boolean): string[] | undefined {
  const parent = new Map<string, string>([[start, '']]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const edge of GRAPH.get(at) ?? []) {
      if (runtimeOnly && edge.typeOnly) continue;
      if (parent.has(edge.target)) continue;
      parent.set(edge.target, at);
      if (isBad(edge.target)) {
        const path = [edge.target];
        for (let p = at; p !== ''; p = parent.get(p)!) path.unshift(p);
        return path;
      }
      if (GRAPH.has(edge.target)) queue.push(edge.target);
    }
  }
  return undefined;
}

/** The pure core of DESIGN.md: no I/O, no clock, no front end. */
const CORE = [
  /^src\/token\//,
  /^src\/checks\//,
  /^src\/keys\/(algorithms|import|trust|roca)\.ts$/,
  /^src\/reasons\.ts$/,
  /^src\/report\//,
  /^src\/diagnose\.ts$/,
  /^src\/diagnose\/plan_header\.ts$/,
];
/** Modules that do I/O: file system, sockets, HTTP (built-ins and undici), and our own I/O edges. */
const IO_BUILTINS = new Set([
  'fs',
  'fs/promises',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'undici',
]);
const isIo = (target: string): boolean => IO_BUILTINS.has(target) || target.startsWith('src/net/') || target === 'src/keys/sources.ts';
/** The front ends (DESIGN.md): each its own folder; triage/, check/ and web/ are planned. */
const FRONT_END = /^src\/(cli|middleware|probe|rotation|triage|check|web|ui)\//;
const isCli = (target: string): boolean => target.startsWith('src/cli/');

const show = (path: string[]): string => path.join(' -> ');

test('the import graph is read: every core area has files, and the I/O edges are seen where they are', () => {
  for (const area of CORE)
    assert.ok(
      FILES.some((f) => area.test(f)),
      `no file in src/ matches ${area}: update CORE in this test`,
    );
  // Positive controls: a checker that saw no import would pass every test below.
  assert.deepEqual(
    findPath('src/keys/sources.ts', (t) => t === 'fs', true),
    ['src/keys/sources.ts', 'fs'],
  );
  assert.deepEqual(
    findPath('src/net/dispatcher.ts', (t) => t === 'undici', true),
    ['src/net/dispatcher.ts', 'undici'],
    'a dynamic import() is a runtime import',
  );
  assert.equal(
    findPath('src/expectations.ts', isIo, true),
    undefined,
    'src/expectations.ts imports keys/sources.ts for a type only: no I/O at run time',
  );
  assert.notEqual(
    findPath('src/expectations.ts', isIo, false),
    undefined,
    'following type imports too, expectations.ts reaches keys/sources.ts',
  );
});

for (const file of FILES.filter((f) => CORE.some((area) => area.test(f)))) {
  const io = findPath(file, isIo, true);
  const front = findPath(file, (t) => FRONT_END.test(t), false);
  test(`pure core: ${file} does no I/O and imports no front end, directly or transitively`, () => {
    assert.equal(io, undefined, `${file} reaches I/O at run time: ${show(io ?? [])}`);
    assert.equal(front, undefined, `${file} depends on a front end: ${show(front ?? [])}`);
  });
}

for (const file of FILES.filter((f) => !isCli(f))) {
  const cli = findPath(file, isCli, false);
  const kind = FRONT_END.test(file) ? 'front end' : 'library module';
  test(`${kind}: ${file} does not import src/cli/, directly or transitively`, () => {
    assert.equal(cli, undefined, `${file} depends on the CLI: ${show(cli ?? [])}`);
  });
}
