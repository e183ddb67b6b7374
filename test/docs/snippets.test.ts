/**
 * Every TypeScript block of README.md and docs/ is compiled against the
 * package's sources under the project's strict settings, and every runnable
 * one (```ts) is run as written from the repository root, its `// prints:`
 * comments asserted line by line against what it prints (as oauth4webapi
 * checks its examples). ```ts compile-only marks a fragment that is only
 * compiled. docs/middleware.md's servers have their own test with HTTP
 * claims (middleware_snippets.test.ts), which also compiles them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docFiles } from '../../scripts/docs.ts';
import { fences, root } from './markdown.ts';

const OWN_TEST = new Set(['docs/middleware.md']);
const ENTRIES: Record<string, string> = {
  'jwt-doctor': 'src/index.ts',
  'jwt-doctor/middleware': 'src/middleware/index.ts',
  'jwt-doctor/probe': 'src/probe/index.ts',
  'jwt-doctor/rotation': 'src/rotation/index.ts',
};

interface Snippet {
  id: string;
  where: string;
  runnable: boolean;
  code: string;
  prints: string[];
}

function collect(): Snippet[] {
  const out: Snippet[] = [];
  for (const file of docFiles().filter((f) => !OWN_TEST.has(f))) {
    for (const f of fences(readFileSync(join(root, file), 'utf8'))) {
      if (!/^(ts|typescript|js|javascript)\b/.test(f.info)) continue;
      assert.ok(f.info === 'ts' || f.info === 'ts compile-only', `${file}:${f.line}: a code block is \`\`\`ts (run) or \`\`\`ts compile-only, found "${f.info}"`);
      // Relative imports in docs are relative to the repository root, where the examples run.
      const code = f.body.replace(/from '\.\//g, `from '${root}`);
      const prints = [...f.body.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trimEnd());
      out.push({ id: `${file.replace(/[^\w]+/g, '_')}_${f.line}`, where: `${file}:${f.line}`, runnable: f.info === 'ts', code, prints });
    }
  }
  return out;
}

const snippets = collect();
let dir: string;

before(() => {
  // Inside node_modules so imports of the project's dependencies (express, ...) resolve.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules/.cache/jwt-doctor-docs-'));
  for (const s of snippets) writeFileSync(join(dir, `${s.id}.mts`), s.code + '\n');
});

after(() => rmSync(dir, { recursive: true, force: true }));

function run(file: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [...args, file], { cwd, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: stdout, err: stderr }),
    ),
  );
}

test('docs have TypeScript blocks, and every runnable one states what it prints', () => {
  assert.ok(snippets.filter((s) => s.runnable).length >= 5);
  for (const s of snippets.filter((x) => x.runnable)) assert.ok(s.prints.length > 0, `${s.where}: a runnable block needs // prints: claims (or mark it \`\`\`ts compile-only)`);
});

test('every TypeScript block of README.md and docs/ compiles under the project\'s strict settings', async () => {
  const paths = Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, [join(root, file)]]));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { paths }, include: ['*.mts'] }));
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = await run(tsc, [], dir);
  const out = (r.out + r.err).replaceAll(dir + '/', '').replace(/(\w+)_(\d+)\.mts/g, (_m, f: string, line: string) => `${snippets.find((s) => s.id === `${f}_${line}`)?.where ?? f} block`);
  assert.equal(r.code, 0, out);
});

for (const s of snippets.filter((x) => x.runnable)) {
  test(`${s.where} runs as written and prints what it claims`, async () => {
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    const hook = fileURLToPath(new URL('./register_jwt_doctor.mjs', import.meta.url));
    const r = await run(join(dir, `${s.id}.mts`), ['--import', tsx, '--import', hook], root);
    assert.equal(r.code, 0, `${s.where} failed:\n${r.out}${r.err}`);
    assert.deepEqual(r.out.trimEnd().split('\n'), s.prints);
  });
}
