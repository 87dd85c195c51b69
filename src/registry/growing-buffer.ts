/**
 * Bytes collected as they arrive. A manifest's `bytes` is a claim, not a fact: allocating it up
 * front let a manifest declaring 1e15 bytes crash the load (and 4e9 reserve gigabytes before the
 * first byte). The buffer grows by doubling, never past `limit`, so memory follows what the server
 * actually sent.
 * Owns: the bytes of one file being downloaded.
 */
import { InpageError } from '../errors.js';

/** A single file inpage will hold in memory: onnxruntime-web cannot use a larger one anyway. */
export const MAX_FILE_BYTES = 2 ** 32;

const FIRST_CAPACITY = 64 * 1024;

export class GrowingBuffer {
  private data: Uint8Array;
  private used = 0;

  /**
   * @param limit - the most bytes it may hold (the declared size, when one is known)
   * @param tooLarge - the error to throw when more than `limit` bytes arrive
   */
  constructor(
    private readonly limit: number,
    private readonly tooLarge: () => InpageError,
  ) {
    this.data = new Uint8Array(Math.min(FIRST_CAPACITY, limit));
  }

  get length(): number {
    return this.used;
  }

  append(chunk: Uint8Array): void {
    const needed = this.used + chunk.byteLength;
    if (needed > this.limit) throw this.tooLarge();
    if (needed > this.data.byteLength) {
      // Doubling keeps the copying linear in the bytes received; stopping at `limit` means an
      // honest size ends in a buffer of exactly that size, with no final copy.
      const grown = new Uint8Array(Math.min(this.limit, Math.max(needed, this.data.byteLength * 2)));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    this.data.set(chunk, this.used);
    this.used = needed;
  }

  /** Forgets everything from `length` on (a server restarted the file from zero). */
  truncate(length: number): void {
    this.used = Math.min(this.used, Math.max(0, length));
  }

  /** The bytes received, as a view (no copy). */
  bytes(): Uint8Array {
    return this.data.subarray(0, this.used);
  }
}
