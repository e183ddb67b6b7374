/**
 * `npm run bench`: every benchmark, side by side with the references in
 * the same run; prints Markdown for BENCHMARKS.md (machine and date included).
 * Pass --core or --middleware to run one part.
 */
import { formatCoreBench, runCoreBenchChildIfAsked, runCoreBenchIsolated } from './core.ts';

// Child mode of runCoreBenchIsolated: one algorithm, one JSON row, then exit.
await runCoreBenchChildIfAsked();

const only = process.argv.slice(2).filter((a) => a !== '--quick');
const want = (name: string) => only.length === 0 || only.includes(`--${name}`);

if (want('core')) {
  process.stdout.write('## Core: prepared diagnoser vs raw node:crypto, jose, fast-jwt\n\n');
  process.stdout.write(formatCoreBench(await runCoreBenchIsolated()));
  process.stdout.write('\n');
}
if (want('middleware')) {
  const m = await import('./middleware.ts');
  process.stdout.write('## Middleware\n\n');
  await m.runMiddlewareBench({ quick: process.argv.includes('--quick') });
}
