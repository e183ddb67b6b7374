// `npm run bench`: compiles the benchmarks with esbuild exactly as
// scripts/build.mjs compiles the package (no tsx loader in the measured
// process), then runs them with plain node. Arguments pass through
// (--core, --middleware, --triage [--lines N]).
import { build } from 'esbuild';
import { compileOptions } from './esbuild-options.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Inside the repo so that ESM resolution finds node_modules by walking up.
mkdirSync(join(root, 'bench/.out'), { recursive: true });
const out = mkdtempSync(join(root, 'bench/.out/run-'));
try {
  await build({
    absWorkingDir: root,
    // triage-worker: the --workers thread, found next to the chunks (src/triage/worker_pool.ts).
    entryPoints: { run: 'bench/run.ts', 'middleware-server': 'bench/middleware-server.ts', 'triage-worker': 'src/triage/worker.ts' },
    outdir: out,
    ...compileOptions,
  });
  const r = spawnSync(process.execPath, [join(out, 'run.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
