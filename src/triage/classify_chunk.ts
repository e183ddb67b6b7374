/**
 * A line-aligned chunk (LineChunker) into the report, line by line. The
 * unit of work a worker thread receives.
 */
import { isAscii } from 'node:buffer';
import { classifyLine, type LineContext } from './classify_line.ts';
import { addBadInput, type TriageReport } from './report.ts';
import { sanitizeLogLine } from './sanitize_line.ts';
import { flushTally } from './tally.ts';

/**
 * Text is decoded a window of about this many bytes at a time (cut after a
 * newline): a string under V8's large-object size (128 KiB) is made in the
 * young generation and dies there in a cheap scavenge; a megabyte string
 * goes to the large-object space and waits for a full collection, and with
 * hundreds of them waiting the heap grows by as many megabytes.
 */
const WINDOW_BYTES = 60 * 1024;

/** Counts every line of `chunk` (UTF-8; CRLF or LF; blank lines ignored). */
export function classifyChunk(ctx: LineContext, chunk: Uint8Array): void {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let at = 0; at < bytes.length;) {
    const nl = at + WINDOW_BYTES < bytes.length ? bytes.indexOf(10, at + WINDOW_BYTES) : -1;
    const end = nl < 0 ? bytes.length : nl + 1;
    classifyWindow(ctx, bytes.subarray(at, end));
    at = end;
  }
  flushTally(ctx.tally, ctx.report);
}

function classifyWindow(ctx: LineContext, bytes: Buffer): void {
  // ASCII (most logs) reads the same as Latin-1, which decodes six times faster than UTF-8 (no validation).
  const ascii = isAscii(bytes);
  const text = bytes.toString(ascii ? 'latin1' : 'utf8');
  const maybeBinary = !ascii && text.includes('\ufffd');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > start) classifyLine(ctx, text.slice(start, stop), maybeBinary);
    start = end + 1;
  }
}

/** A line LineChunker dropped for its length: read, skipped, line_too_long, its head as the example. */
export function countTooLongLine(report: TriageReport, head: Buffer): void {
  report.lines.read++;
  report.lines.skipped++;
  addBadInput(report, 'line_too_long', head.toString('utf8'), sanitizeLogLine);
}
