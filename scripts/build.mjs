// Builds dist/: the JavaScript a consumer of the package runs (ESM, Node 20),
// one bundle per public entry point, shared code split into chunks (so each
// CLI command loads only its own code), npm dependencies left external; yaml
// bundled into one CommonJS file (dist/vendor/yaml.cjs, with its license),
// required on the first contract load; then the type declarations of every
// entry (tsconfig.build.json -> dist/types). `npm ci` and `npm pack` run it
// through "prepare".
import { build } from 'esbuild';
import { compileOptions } from './esbuild-options.mjs';
import { buildPage } from './build-page.mjs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
rmSync(join(root, 'dist'), { recursive: true, force: true });

// yaml's CommonJS build is about 60 files: resolving and reading them was a
// third of `jwt-doctor diagnose --contract`'s startup. One file instead.
const yamlDir = dirname(require.resolve('yaml/package.json'));
const yamlVersion = JSON.parse(readFileSync(join(yamlDir, 'package.json'), 'utf8')).version;
await build({
  entryPoints: [require.resolve('yaml')],
  outfile: join(root, 'dist/vendor/yaml.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: `// yaml ${yamlVersion} (https://github.com/eemeli/yaml), bundled by scripts/build.mjs; license: yaml.LICENSE` },
  logLevel: 'warning',
});
copyFileSync(join(yamlDir, 'LICENSE'), join(root, 'dist/vendor/yaml.LICENSE'));

await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    advanced: 'src/advanced.ts',
    middleware: 'src/middleware/index.ts',
    probe: 'src/probe/index.ts',
    rotation: 'src/rotation/index.ts',
    cli: 'src/cli/main.ts',
    // The `triage --workers N` thread, found next to the chunks (src/triage/worker_pool.ts).
    'triage-worker': 'src/triage/worker.ts',
  },
  outdir: 'dist',
  ...compileOptions,
  // Relative to the chunk that requires it: every chunk is in dist/.
  define: { JWT_DOCTOR_BUNDLED_YAML: JSON.stringify('./vendor/yaml.cjs') },
  sourcemap: true,
});
// The page `jwt-doctor ui` serves: dist/ui/index.html, app.js, app.css.
await buildPage(root, join(root, 'dist/ui'));
// The repository's own TypeScript, whatever is on PATH.
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
