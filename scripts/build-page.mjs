// Builds the page of `jwt-doctor ui` (src/ui/page) into one folder:
// index.html, app.js (the TypeScript bundled for browsers, one file, no
// import of anything outside it) and app.css. The server serves exactly
// these three files (src/ui/page_assets.ts); nothing is loaded from
// another origin. Run by scripts/build.mjs into dist/ui, and by the ui
// tests into a temporary folder.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Builds the page from the repository at `root` into `outDir`. */
export async function buildPage(root, outDir) {
  mkdirSync(outDir, { recursive: true });
  const page = join(root, 'src/ui/page');
  await build({
    entryPoints: [join(page, 'app.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({ entryPoints: [join(page, 'app.css')], outfile: join(outDir, 'app.css'), bundle: true, logLevel: 'warning' });
  copyFileSync(join(page, 'index.html'), join(outDir, 'index.html'));
}
