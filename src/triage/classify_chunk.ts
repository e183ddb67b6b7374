/**
 * A line-aligned chunk (LineChunker) into the report, line by line. The
 * unit of work a worker thread receives.
 */
import { classifyLine, type LineContext } from './classify_line.ts';
import { addBadInput, type TriageReport } from './report.ts';
import { sanitizeLogLine } from './sanitize_line.ts';

/** Counts every line of `chunk` (UTF-8; CRLF or LF; blank lines ignored). */
export function classifyChunk(ctx: LineContext, chunk: Uint8Array): void {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  const maybeBinary = text.includes('\ufffd');
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
