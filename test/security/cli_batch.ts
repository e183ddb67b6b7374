/**
 * Runs many CLI invocations in one process (the redaction test's driver):
 * reads a JSON array of argv lists on stdin, runs each through the CLI's
 * `main()` one after the other with stdout/stderr captured, and prints
 * `[{ args, code, stdout, stderr }]` as JSON. One tsx start-up instead of
 * one per command keeps the every-command-every-format matrix CI-sized.
 */
import { main } from '../../src/cli/main.ts';

const realWrite = process.stdout.write.bind(process.stdout);
process.stdout.setMaxListeners(0);
process.stderr.setMaxListeners(0);

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const runs = JSON.parse(await readStdin()) as string[][];
const results: { args: string[]; code: number; stdout: string; stderr: string }[] = [];
for (const args of runs) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(args);
  } catch (e) {
    code = -1;
    stderr += `THROWN: ${(e as Error).stack}`;
  }
  results.push({ args, code, stdout, stderr });
}
process.exitCode = 0;
realWrite(JSON.stringify(results));
