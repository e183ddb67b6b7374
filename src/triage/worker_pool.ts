/**
 * --workers N: N worker threads (worker.ts), each with its own keys and
 * report; the main thread hands out line-aligned chunks, at most
 * MAX_IN_FLIGHT per worker (so memory stays bounded whatever the input
 * size), and sums the reports at the end.
 */
import { Worker } from 'node:worker_threads';
import type { TriageSetup } from './prepare_context.ts';
import type { TriageReport } from './report.ts';
import type { FromWorker, ToWorker } from './worker.ts';

/** Chunks queued per worker: one being classified, one waiting. */
const MAX_IN_FLIGHT = 2;
/**
 * Each worker's young generation. A worker's garbage is short-lived
 * (parsed lines, 60 KiB text windows) and its scavenges cost what survives,
 * not what died: at 16 MB instead of V8's default the two-worker run's peak
 * RSS fell from 220 to 180 MB at the same speed (1M-line bench log).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * The worker thread: `triage-worker.js` next to the bundle's chunks in
 * dist/; from the sources (tests, `node --import tsx`), worker.ts behind
 * tsx's loader, which a worker thread does not inherit.
 */
function startWorker(setup: TriageSetup): Worker {
  const options = { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./triage-worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private waiting: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(n: number, setup: TriageSetup) {
    this.slots = Array.from({ length: n }, () => this.spawn(setup));
  }

  private spawn(setup: TriageSetup): Slot {
    const slot: Slot = { worker: startWorker(setup), inFlight: 0 };
    slot.worker.on('message', (m: FromWorker) => {
      if (m.type !== 'done') return;
      slot.inFlight--;
      this.wake();
    });
    slot.worker.on('error', (e) => {
      this.failure ??= e;
      this.wake();
    });
    return slot;
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const f of w) f();
  }

  /**
   * Sends a chunk to the least busy worker, waiting while every worker has
   * MAX_IN_FLIGHT. Takes the chunk's ArrayBuffer (transferred, not copied):
   * it must be the chunk's own.
   */
  async send(chunk: Uint8Array): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (slot.inFlight < MAX_IN_FLIGHT) {
        slot.inFlight++;
        slot.worker.postMessage({ type: 'chunk', data: chunk } satisfies ToWorker, [chunk.buffer as ArrayBuffer]);
        return;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  /** Every worker's report (after its queued chunks), then the threads end. */
  async finish(): Promise<TriageReport[]> {
    try {
      return await Promise.all(this.slots.map((s) => this.reportOf(s)));
    } finally {
      await Promise.all(this.slots.map((s) => s.worker.terminate()));
    }
  }

  private reportOf(slot: Slot): Promise<TriageReport> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      slot.worker.on('message', (m: FromWorker) => {
        if (m.type === 'report') resolve(m.report as TriageReport);
      });
      slot.worker.once('error', reject);
      slot.worker.once('exit', () => reject(new Error('a triage worker exited before its report')));
      slot.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    });
  }

  /** Ends the threads without their reports (on an error). */
  async stop(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
