/**
 * The ui tests serve a page built from the sources now (scripts/build-page.mjs,
 * the same step `npm run build` runs into dist/ui), into a temporary folder
 * of their own: never a stale dist/, never a race with another test's build.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/index.ts';

let built: Promise<string> | undefined;

/** The folder holding index.html, app.js and app.css (built once per test file). */
export function builtPage(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-doctor-ui-page-'));
    const { buildPage } = (await import(join(REPO, 'scripts/build-page.mjs'))) as {
      buildPage: (root: string, out: string) => Promise<void>;
    };
    await buildPage(REPO, dir);
    return dir;
  })();
  return built;
}
