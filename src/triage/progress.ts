/**
 * The progress line of `triage` on a terminal: bytes read of the total,
 * rate and ETA, redrawn at most every REDRAW_MS on stderr (stdout keeps
 * the report clean for pipes). The caller decides whether to show it (a
 * TTY and no --no-progress); `clock` is injected for tests.
 */

const REDRAW_MS = 200;
const BAR = 24;

export interface ProgressSink {
  write(text: string): unknown;
}

export interface Progress {
  add(bytes: number): void;
  /** Clears the line. */
  done(): void;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** One progress line: `[#####-------] 42% 12.0 MB of 28.5 MB 9.8 MB/s ETA 2s`. */
export function progressLine(read: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (read * 1000) / elapsedMs : 0;
  const rateText = `${mb(rate)}/s`;
  if (total === undefined || total <= 0) return `${mb(read)} read ${rateText}`;
  const share = Math.min(1, read / total);
  const filled = Math.round(share * BAR);
  const eta = rate > 0 ? Math.ceil((total - read) / rate) : undefined;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${Math.floor(share * 100)}% ${mb(read)} of ${mb(total)} ${rateText}${eta !== undefined ? ` ETA ${eta}s` : ''}`;
}

/** @example const p = createProgress(process.stderr, totalBytes(inputs)); ... p.add(n); ... p.done(); */
export function createProgress(sink: ProgressSink, total: number | undefined, clock: () => number = Date.now): Progress {
  const started = clock();
  let read = 0;
  let drawn = 0;
  return {
    add(bytes) {
      read += bytes;
      const t = clock();
      if (t - drawn < REDRAW_MS) return;
      drawn = t;
      sink.write(`\r${progressLine(read, total, t - started)}\u001b[K`);
    },
    done() {
      if (drawn > 0) sink.write('\r\u001b[K');
    },
  };
}
