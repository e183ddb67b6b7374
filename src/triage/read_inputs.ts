/**
 * The inputs of `triage`: files or stdin, plain or gzip (detected by its
 * magic bytes 1f 8b, RFC 1952 section 2.3.1, not by the file name), read as
 * a stream of decoded buffers. An input that cannot be opened or does not
 * decompress is reported with a code; the others are still read.
 */
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { TriageError } from './report.ts';

/** Read buffer size: large reads, few events per megabyte. */
export const READ_CHUNK_BYTES = 1 << 20;

export interface TriageInput {
  /** A file path, or '-' for stdin. */
  name: string;
}

/** Total bytes of the named files (for progress), undefined when stdin or an unreadable file is among them. */
export function totalBytes(inputs: readonly TriageInput[]): number | undefined {
  let total = 0;
  for (const i of inputs) {
    if (i.name === '-') return undefined;
    try {
      total += statSync(i.name).size;
    } catch {
      return undefined;
    }
  }
  return total;
}

/**
 * A file's bytes, READ_CHUNK_BYTES at a time, into one reused buffer: each
 * yielded view is valid until the next is asked for (the main thread of
 * `triage --workers N` would otherwise leave a megabyte of garbage per read
 * for its rarely running collector).
 */
async function* readFile(name: string): AsyncGenerator<Buffer> {
  const fh = await open(name, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

async function* readStdin(): AsyncGenerator<Buffer> {
  for await (const chunk of process.stdin) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

/** Where the input came from, for messages. */
const label = (name: string): string => (name === '-' ? 'stdin' : name);

/**
 * Decoded buffers of one input, each valid until the next is asked for
 * (copy what must outlive it); `onBytes` gets the raw bytes read (for
 * progress). Throws a TriageError-shaped object (never a stack) when the
 * input cannot be read or is not valid gzip; buffers yielded before that
 * stay counted.
 */
export async function* readInput(name: string, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  const counted = countBytes(name === '-' ? readStdin() : readFile(name), onBytes);
  let first: IteratorResult<Buffer>;
  try {
    first = await counted.next();
  } catch (e) {
    throw inputError('input_unreadable', `cannot read ${label(name)}: ${errnoOf(e)}`, name);
  }
  if (first.done) return;
  if (!(first.value[0] === 0x1f && first.value[1] === 0x8b)) {
    yield first.value;
    try {
      for (let r = await counted.next(); !r.done; r = await counted.next()) yield r.value;
    } catch (e) {
      throw inputError('input_unreadable', `reading ${label(name)} failed: ${errnoOf(e)}`, name);
    }
    return;
  }
  yield* gunzip(first.value, counted, name);
}

async function* countBytes(raw: AsyncGenerator<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const b of raw) {
    onBytes(b.length);
    yield b;
  }
}

async function* gunzip(head: Buffer, rest: AsyncGenerator<Buffer>, name: string): AsyncGenerator<Buffer> {
  const z = createGunzip();
  const feed = async (): Promise<void> => {
    try {
      // Copies: zlib reads its input later, when the file's read buffer already holds the next block.
      if (!z.write(Buffer.from(head))) await new Promise((r) => z.once('drain', r));
      for (let r = await rest.next(); !r.done; r = await rest.next())
        if (!z.write(Buffer.from(r.value))) await new Promise((res) => z.once('drain', res));
      z.end();
    } catch (e) {
      z.destroy(e as Error);
    }
  };
  void feed();
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } catch (e) {
    throw inputError(
      'gzip_invalid',
      `${label(name)} is not valid gzip (${(e as Error).message}): the lines before the damage are counted`,
      name,
    );
  }
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

export function inputError(code: string, message: string, source: string): TriageError {
  return { code, message, source: label(source) };
}

/** True for the errors readInput throws (anything else is a bug and is rethrown). */
export function isTriageError(e: unknown): e is TriageError {
  return typeof e === 'object' && e !== null && typeof (e as TriageError).code === 'string' && !(e instanceof Error);
}
