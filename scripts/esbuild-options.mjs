// The one way this project compiles TypeScript for running outside tsx:
// ESM for Node 20, shared chunks, npm dependencies left external. Used by
// the package build (scripts/build.mjs) and the benchmarks (scripts/bench.mjs),
// so the benchmarks measure what consumers run.
export const compileOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};
