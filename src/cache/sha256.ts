/**
 * sha256 via SubtleCrypto (browser main thread, Worker, and Node >= 20 all have it).
 * Measured in Node 20 on this 2-core box: about 5 ms for 5 MB, so verifying every cache hit is cheap
 * compared with the cost of running a corrupt model.
 */
import { optionalGlobals } from '../optional-globals.js';

/**
 * A view of `bytes` that Web APIs accept as a BufferSource: typed arrays over a SharedArrayBuffer
 * are refused by digest() and Response, so those (rare) ones are copied; others are re-viewed, not copied.
 */
export function toArrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength);
  return new Uint8Array(bytes);
}

/** Lower-case hex sha256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = optionalGlobals.crypto?.subtle;
  if (!subtle) {
    // SubtleCrypto only exists in secure contexts (https, localhost); say so rather than fail obscurely.
    throw new Error('crypto.subtle is unavailable (inpage needs a secure context: https or localhost)');
  }
  const digest = await subtle.digest('SHA-256', toArrayBufferView(bytes));
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Not exported: only {@link checkSha256} can make a {@link VerifiedBytes}. */
const VERIFIED: unique symbol = Symbol('verified');

/**
 * Bytes whose sha256 was computed and found equal to `sha256`. The model cache stores only
 * these, so a download verified once is not hashed a second time on its way into the cache, and
 * nothing can enter the content-addressed store under a name that is not its hash.
 */
export interface VerifiedBytes {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly [VERIFIED]: true;
}

/** Hashes `bytes` and compares with `expected` (lower-case hex). */
export async function checkSha256(
  bytes: Uint8Array,
  expected: string,
): Promise<{ ok: true; verified: VerifiedBytes } | { ok: false; actual: string }> {
  const actual = await sha256Hex(bytes);
  return actual === expected ? { ok: true, verified: { bytes, sha256: actual, [VERIFIED]: true } } : { ok: false, actual };
}
