/**
 * Cross-tab coordination of downloads: a Web Lock per file (by sha256), so that when two tabs of
 * one origin load the same model, one downloads and the other, once the lock is free, finds the
 * file in the shared Cache Storage. Where Web Locks are missing (old browsers, Node) each tab
 * simply downloads on its own, as before.
 */
import { InpageError } from '../errors.js';

function lockManager(): LockManager | null {
  return ('navigator' in globalThis && globalThis.navigator?.locks) || null;
}

/** Runs `fn` holding the download lock of `sha256`; waiting for it ends with ABORTED when `signal` fires. */
export async function withDownloadLock<T>(sha256: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const locks = lockManager();
  if (!locks) return fn();
  try {
    return await locks.request(`inpage-download:${sha256}`, signal ? { signal } : {}, fn);
  } catch (error) {
    if (signal?.aborted) throw new InpageError('ABORTED', 'Download was aborted', { cause: signal.reason });
    throw error;
  }
}
