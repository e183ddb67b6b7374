/**
 * Type tests against the emitted declarations (issue 10 item 6, as jose's
 * test-d/): tsc emits the declarations of tsconfig.build.json, as
 * `npm run build` does, into a private package `jwt-doctor` (this
 * package.json's "exports"); test/types/*.ts are compiled against it with
 * `tsc --noEmit` as a strict nodenext consumer. Its own directory, not
 * dist/: test/package.test.ts's `npm pack` rebuilds dist/ in parallel.
 * The directory is under node_modules/.cache so the declarations' own
 * imports (undici, prom-client, express, fastify) resolve to this
 * repository's node_modules.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from './helpers/cli.ts';
import { STRICT_CONSUMER_OPTIONS } from './helpers/strict_consumer.ts';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const TYPE_TESTS = join(REPO, 'test/types');
let dir = '';
let errorsExported = false;

function tsc(args: string[], cwd: string): { ok: boolean; out: string } {
  const r = spawnSync(process.execPath, [TSC, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

before(() => {
  const cache = join(REPO, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'jwt-doctor-types-'));
  const pkgDir = join(dir, 'node_modules/jwt-doctor');
  mkdirSync(pkgDir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; exports: unknown };
  writeFileSync(
    join(pkgDir, 'package.json'),
    JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', exports: pkg.exports }),
  );
  const emit = tsc(['-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(pkgDir, 'dist/types')], REPO);
  assert.ok(emit.ok, `tsc -p tsconfig.build.json failed:\n${emit.out}`);
  errorsExported = /^export \* as errors from /m.test(readFileSync(join(pkgDir, 'dist/types/index.d.ts'), 'utf8'));
  const files = readdirSync(TYPE_TESTS).filter((f) => f.endsWith('.ts'));
  for (const f of files) copyFileSync(join(TYPE_TESTS, f), join(dir, f));
  const compilerOptions = {
    ...STRICT_CONSUMER_OPTIONS,
    noEmit: true,
    // Our declarations are checked with skipLibCheck off by test/package.test.ts.
    skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('test/types/*.ts compile against the emitted declarations: return types, reason-code unions, unknown options rejected, internals not exported', () => {
  const r = tsc(['-p', dir], dir);
  assert.ok(r.ok, `the type tests fail against the emitted declarations:\n${r.out}`);
});

test('the root exports the errors namespace, and test/types/errors.ts compiles against it', () => {
  assert.ok(errorsExported, "dist/types/index.d.ts has no `export * as errors from './errors.ts'`");
});
