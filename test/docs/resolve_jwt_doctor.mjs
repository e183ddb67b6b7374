// Module resolution hook for the docs snippets: the package's own name resolves to its
// TypeScript sources, as a consumer's `import ... from 'jwt-doctor'` resolves to the build.
const ENTRIES = {
  'jwt-doctor': '../../src/index.ts',
  'jwt-doctor/advanced': '../../src/advanced.ts',
  'jwt-doctor/middleware': '../../src/middleware/index.ts',
  'jwt-doctor/probe': '../../src/probe/index.ts',
  'jwt-doctor/rotation': '../../src/rotation/index.ts',
};

export async function resolve(specifier, context, next) {
  const target = ENTRIES[specifier];
  // Through the next resolver (tsx), which marks .ts files for its loader.
  if (target) return next(new URL(target, import.meta.url).href, context);
  return next(specifier, context);
}
