/**
 * `npm run bench`: every benchmark, side by side with the references in
 * the same run; prints Markdown for BENCHMARKS.md (machine and date included).
 * Pass --core, --middleware, --startup, --forensics or --triage to run one part (--rounds N for startup,
 * --quick for a short middleware or forensics run, --lines N for a shorter triage log).
 */
import { formatCoreBench, runCoreBenchChildIfAsked, runCoreBenchIsolated } from './core.ts';
import { runTriageBenchChildIfAsked } from './triage.ts';

// Child mode of runCoreBenchIsolated: one algorithm, one JSON row, then exit.
await runCoreBenchChildIfAsked();
// Child mode of runTriageBench: one mode over the generated log, one JSON row, then exit.
await runTriageBenchChildIfAsked();

const only = process.argv
  .slice(2)
  .filter((a, i, all) => a !== '--quick' && a !== '--rounds' && all[i - 1] !== '--rounds' && a !== '--lines' && all[i - 1] !== '--lines');
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
if (want('startup')) {
  const s = await import('./startup.ts');
  const rounds = s.roundsFromArgs(process.argv);
  process.stdout.write('## Startup: the built CLI vs `node -e 0`\n\n');
  process.stdout.write(s.formatStartupBench(s.runStartupBench(rounds), rounds));
  process.stdout.write('\n');
}
if (want('forensics')) {
  const f = await import('./forensics.ts');
  process.stdout.write('## Signature forensics: a failing token with and without the probes\n\n');
  process.stdout.write(f.formatForensicsBench(f.runForensicsBench({ quick: process.argv.includes('--quick') })));
  process.stdout.write('\n');
}
if (want('triage')) {
  const t = await import('./triage.ts');
  process.stdout.write('## Triage: log lines per second and peak RSS, against a bare JSON.parse per line\n\n');
  process.stdout.write(t.formatTriageBench(t.runTriageBench(t.linesFromArgs(process.argv))));
  process.stdout.write('\n');
}
