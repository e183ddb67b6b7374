/**
 * Cuts a byte stream into line-aligned chunks without ever holding more
 * than one over-long line's first `maxLineBytes`: a line longer than that
 * is dropped as it streams by (its head kept for an example) and counted,
 * so a several-megabyte line costs no more memory than a short one.
 */

/** How many bytes of a dropped line are kept for its sanitized example. */
const HEAD_BYTES = 1024;

export class LineChunker {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;

  /** `onTooLong(head)` is called once per dropped line with its first bytes. */
  constructor(
    private readonly maxLineBytes: number,
    private readonly onTooLong: (head: Buffer) => void,
  ) {}

  /**
   * The complete lines this buffer finishes (with their newlines), or
   * undefined. The result may be a view of `buf`: use it before `buf` is
   * reused; nothing of `buf` is kept.
   */
  push(buf: Buffer): Buffer | undefined {
    let data = buf;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) return undefined;
      this.skipping = false;
      data = data.subarray(nl + 1);
    }
    const last = data.lastIndexOf(10);
    if (last < 0) {
      // A copy: the caller may reuse `buf` for its next read.
      this.hold(Buffer.from(data));
      return undefined;
    }
    const out = this.carryBytes > 0 ? Buffer.concat([...this.carry, data.subarray(0, last + 1)]) : data.subarray(0, last + 1);
    this.carry = [];
    this.carryBytes = 0;
    // A copy: the rest must neither keep the whole read buffer alive nor change when it is reused.
    if (last + 1 < data.length) this.hold(Buffer.from(data.subarray(last + 1)));
    return out;
  }

  /** The last line when the input does not end with a newline. */
  end(): Buffer | undefined {
    const rest = this.carryBytes > 0 ? Buffer.concat(this.carry) : undefined;
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = false;
    return rest;
  }

  private hold(part: Buffer): void {
    this.carry.push(part);
    this.carryBytes += part.length;
    if (this.carryBytes <= this.maxLineBytes) return;
    const head = Buffer.concat(this.carry).subarray(0, HEAD_BYTES);
    this.carry = [];
    this.carryBytes = 0;
    this.skipping = true;
    this.onTooLong(Buffer.from(head));
  }
}
