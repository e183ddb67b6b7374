import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';

/** A bundled file of the page, read once at start (the page is three small files). */
export interface PageAsset {
  body: Buffer;
  type: string;
}

export type PageAssets = ReadonlyMap<string, PageAsset>;

/** The page's files, by URL path: what scripts/build-page.mjs writes to dist/ui. */
export const PAGE_FILES: Readonly<Record<string, string>> = {
  '/index.html': 'text/html; charset=utf-8',
  '/app.js': 'text/javascript; charset=utf-8',
  '/app.css': 'text/css; charset=utf-8',
};

/**
 * Reads the built page from `dir`. A missing file is an installation
 * problem, said in one line (a source checkout needs `npm run build`).
 */
export function loadPageAssets(dir: string): PageAssets {
  const out = new Map<string, PageAsset>();
  for (const [path, type] of Object.entries(PAGE_FILES)) {
    try {
      out.set(path, { body: readFileSync(join(dir, path)), type });
    } catch {
      throw new UsageError(`the ui page is not built (${join(dir, path)} is missing): run npm run build`);
    }
  }
  return out;
}
