// Builds dist/: the JavaScript a consumer of the package runs (ESM, Node 20),
// one bundle per public entry point, shared code split into chunks, every
// npm dependency left external. `npm ci` runs it through "prepare".
import { build } from 'esbuild';
import { compileOptions } from './esbuild-options.mjs';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
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
