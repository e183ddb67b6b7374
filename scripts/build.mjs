// Builds dist/: the JavaScript a consumer of the package runs (ESM, Node 20),
// one bundle per public entry point, shared code split into chunks (so each
// CLI command loads only its own code), every npm dependency left external;
// then the type declarations of every entry (tsconfig.build.json ->
// dist/types). `npm ci` and `npm pack` run it through "prepare".
import { build } from 'esbuild';
import { compileOptions } from './esbuild-options.mjs';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
rmSync(new URL('dist', `file://${root}`), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    middleware: 'src/middleware/index.ts',
    probe: 'src/probe/index.ts',
    rotation: 'src/rotation/index.ts',
    cli: 'src/cli/main.ts',
  },
  outdir: 'dist',
  ...compileOptions,
  sourcemap: true,
});
// The repository's own TypeScript, whatever is on PATH.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
