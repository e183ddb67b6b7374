/**
 * Lists the functions of src/ longer than a limit (STYLE.md: a function reads
 * top to bottom on one screen; issue 10: none over 80 lines). Counts the lines
 * a function spans, from its first line to its closing brace, with the
 * TypeScript parser (functions, methods, arrows and function expressions;
 * a nested function counts for itself and inside its parent).
 *
 *   node --import tsx scripts/function-lengths.ts [--max 80] [--all]
 */
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FunctionLength {
  file: string;
  line: number;
  name: string;
  lines: number;
}

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.includes('.generated.') ? [path] : [];
  });
}

function nameOf(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name)
    return node.name.getText();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

/** Every function-like node of src/ with the number of lines it spans. */
export function functionLengths(dir = join(root, 'src')): FunctionLength[] {
  const out: FunctionLength[] = [];
  for (const path of sourceFiles(dir)) {
    const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isArrowFunction(node) ||
        ts.isFunctionExpression(node) ||
        ts.isConstructorDeclaration(node)
      ) {
        if (node.body) {
          const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
          const end = sf.getLineAndCharacterOfPosition(node.body.getEnd()).line;
          out.push({ file: relative(root, path), line: start + 1, name: nameOf(node), lines: end - start + 1 });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] && /function-lengths\.ts$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--max');
  const max = i >= 0 ? Number(process.argv[i + 1]) : 80;
  const all = functionLengths();
  const over = process.argv.includes('--all') ? all : all.filter((f) => f.lines > max);
  for (const f of over) process.stdout.write(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}\n`);
  const sorted = all.map((f) => f.lines).sort((a, b) => a - b);
  process.stdout.write(
    `${all.length} functions; median ${sorted[Math.floor(sorted.length / 2)]} lines; ${all.filter((f) => f.lines > max).length} over ${max}\n`,
  );
}
