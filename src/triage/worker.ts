/**
 * A triage worker thread (--workers N): loads the keys once from its
 * TriageSetup, classifies each line-aligned chunk the main thread sends,
 * and answers `finish` with its report (merged by summation).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classifyChunk } from './classify_chunk.ts';
import { prepareContext, type TriageSetup } from './prepare_context.ts';

export type ToWorker = { type: 'chunk'; data: Uint8Array } | { type: 'finish' };
export type FromWorker = { type: 'ready' } | { type: 'done' } | { type: 'report'; report: unknown };

const port = parentPort;
if (port) {
  const { ctx } = await prepareContext(workerData as TriageSetup);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'chunk') {
      classifyChunk(ctx, m.data);
      port.postMessage({ type: 'done' } satisfies FromWorker);
    } else {
      port.postMessage({ type: 'report', report: ctx.report } satisfies FromWorker);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
