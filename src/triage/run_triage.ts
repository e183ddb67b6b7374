/**
 * Triage of log inputs: files or stdin streamed through LineChunker into
 * line-aligned chunks, classified on this thread or spread over worker
 * threads, the reports summed, then analyzed (spikes, residual kids).
 */
import { classifyChunk, countTooLongLine } from './classify_chunk.ts';
import { LineChunker } from './line_chunker.ts';
import { mergeReports } from './merge_reports.ts';
import { prepareContext, type TriageSetup } from './prepare_context.ts';
import { isTriageError, readInput, type TriageInput } from './read_inputs.ts';
import { addBadInput, type AnalysisParams, type TriageReport } from './report.ts';
import { WorkerPool } from './worker_pool.ts';

/** Chunks handed to a worker are at least this big (fewer messages for gzip's small blocks), unless the input ends. */
const WORKER_CHUNK_BYTES = 256 * 1024;

export interface TriageRunOptions {
  setup: TriageSetup;
  inputs: TriageInput[];
  /** 1: this thread; N > 1: N worker threads. */
  workers: number;
  analysis: Omit<AnalysisParams, 'currentKids'>;
  /** Raw bytes read so far (progress). */
  onBytes?: (n: number) => void;
}

/** A chunk sink: classify here, or send to a worker. */
type Sink = (chunk: Uint8Array) => void | Promise<void>;

/**
 * @example const report = await runTriage({ setup, inputs: [{ name: 'app.log.gz' }], workers: 1, analysis: { retiredKids: [] } });
 */
export async function runTriage(o: TriageRunOptions): Promise<TriageReport> {
  const main = await prepareContext(o.setup);
  if (o.workers <= 1) {
    await readAll(o, main.ctx.report, (c) => classifyChunk(main.ctx, c), 0);
    return mergeReports([main.ctx.report], { ...o.analysis, currentKids: main.currentKids });
  }
  const pool = new WorkerPool(o.workers, o.setup);
  try {
    await readAll(o, main.ctx.report, (c) => pool.send(c), WORKER_CHUNK_BYTES);
  } catch (e) {
    await pool.stop();
    throw e;
  }
  const parts = await pool.finish();
  return mergeReports([main.ctx.report, ...parts], { ...o.analysis, currentKids: main.currentKids });
}

/** Reads every input into `sink`; bytes, too-long lines and input errors go into `report`. */
async function readAll(o: TriageRunOptions, report: TriageReport, sink: Sink, batchBytes: number): Promise<void> {
  for (const input of o.inputs) {
    const batch = new Batch(batchBytes, sink);
    const chunker = new LineChunker(o.setup.maxLineBytes, (head) => countTooLongLine(report, head));
    try {
      for await (const buf of readInput(input.name, (n) => ((report.bytes += n), o.onBytes?.(n)))) {
        const chunk = chunker.push(buf);
        if (chunk) await batch.add(chunk);
      }
    } catch (e) {
      if (!isTriageError(e)) throw e;
      report.errors.push(e);
      addBadInput(report, e.code);
    }
    const rest = chunker.end();
    if (rest) await batch.add(rest);
    await batch.flush();
  }
}

/**
 * Gathers chunks up to `bytes` into a buffer of its own before handing it
 * on (whose ArrayBuffer the sink may transfer to a worker); with 0, hands
 * each chunk on as it comes (a view of the read buffer, used at once).
 */
class Batch {
  private acc: Uint8Array | undefined;
  private size = 0;
  constructor(
    private readonly bytes: number,
    private readonly sink: Sink,
  ) {}
  async add(chunk: Buffer): Promise<void> {
    if (this.bytes === 0) return this.sink(chunk);
    if (this.acc && this.size + chunk.length > this.acc.length) await this.flush();
    this.acc ??= new Uint8Array(Math.max(this.bytes, chunk.length));
    this.acc.set(chunk, this.size);
    this.size += chunk.length;
    if (this.size >= this.bytes) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.acc || this.size === 0) return;
    const out = this.acc.subarray(0, this.size);
    this.acc = undefined;
    this.size = 0;
    await this.sink(out);
  }
}
