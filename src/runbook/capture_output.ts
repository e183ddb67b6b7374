/**
 * Runs a function in-process while collecting what it writes to
 * process.stdout and process.stderr, so a runbook step's output is exactly
 * what the command prints (the CLI's commands write to the process streams).
 * Writes are routed by AsyncLocalStorage, not by time: the runbook's own
 * output, and any other code running meanwhile, still reach the terminal,
 * and a step that overran its deadline can never write into the runbook or
 * the terminal afterwards (its writes are dropped).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Sink {
  stdout: string[];
  stderr: string[];
  /** Set at the deadline: later writes are dropped. */
  sealed: boolean;
}

export interface Captured<T> {
  /** The function's value, or 'timeout' when it did not settle within timeoutMs. */
  value: T | 'timeout';
  stdout: string;
  stderr: string;
  durationMs: number;
}

const storage = new AsyncLocalStorage<Sink>();
let original: { stdout: NodeJS.WriteStream['write']; stderr: NodeJS.WriteStream['write'] } | undefined;
let running = 0;

type WriteCallback = (error?: Error | null) => void;

function routed(stream: 'stdout' | 'stderr'): NodeJS.WriteStream['write'] {
  return function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const sink = storage.getStore();
    if (!sink) return (original![stream] as (...a: unknown[]) => boolean).call(process[stream], chunk, ...rest);
    if (!sink.sealed) sink[stream].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r): r is WriteCallback => typeof r === 'function');
    if (callback) process.nextTick(callback);
    return true;
  } as NodeJS.WriteStream['write'];
}

function install(): void {
  if (running++ > 0) return;
  original = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = routed('stdout');
  process.stderr.write = routed('stderr');
}

/** Puts the streams back once no captured function is still running (a timed-out one included). */
function uninstall(): void {
  if (--running > 0 || !original) return;
  process.stdout.write = original.stdout;
  process.stderr.write = original.stderr;
  original = undefined;
}

/**
 * @example const r = await captureOutput(() => main(['decode', token]), 30_000); r.value // exit code
 */
export async function captureOutput<T>(fn: () => Promise<T>, timeoutMs: number): Promise<Captured<T>> {
  const sink: Sink = { stdout: [], stderr: [], sealed: false };
  const started = performance.now();
  install();
  const work = storage.run(sink, () => Promise.resolve().then(fn));
  void work.then(uninstall, uninstall);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const value = await Promise.race([work, deadline]);
    return { value, stdout: sink.stdout.join(''), stderr: sink.stderr.join(''), durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
    sink.sealed = true;
  }
}
