/**
 * Cross-tab coordination of downloads: a Web Lock per file (by sha256), so that when two tabs of
 * one origin load the same model, one downloads and the other, once the lock is free, finds the
 * file in the shared Cache Storage. Where Web Locks are missing (old browsers, Node) each tab
 * simply downloads on its own, as before.
 *
 * The wait is bounded: a tab holding the lock may be frozen in the background or stuck on a slow
 * CDN, and no load may hang on another tab. After `waitMs` without the lock, this tab downloads
 * on its own (both then store the same verified bytes under the same key: harmless).
 */
import { InpageError } from '../errors.js';
import { optionalGlobals } from '../optional-globals.js';

function navigatorLocks(): LockManager | null {
  return optionalGlobals.navigator?.locks ?? null;
}

/**
 * Runs `fn` holding the download lock of `sha256`, or without it once `waitMs` have passed.
 * Waiting ends with ABORTED when `signal` fires.
 */
export async function withDownloadLock<T>(
  sha256: string,
  signal: AbortSignal | undefined,
  waitMs: number,
  fn: () => Promise<T>,
  locks: LockManager | null = navigatorLocks(),
): Promise<T> {
  if (!locks) return fn();
  const wait = new AbortController();
  const timer = setTimeout(() => {
    wait.abort(new Error('waited too long for another tab'));
  }, waitMs);
  const onAbort = (): void => {
    wait.abort(signal?.reason);
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let acquired = false;
  try {
    return await locks.request(`inpage-download:${sha256}`, { signal: wait.signal }, () => {
      acquired = true;
      clearTimeout(timer);
      return fn();
    });
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set in the lock's callback, which tsc does not follow
    if (acquired) throw error; // fn's own failure
    if (signal?.aborted) throw new InpageError('ABORTED', 'Download was aborted', { cause: signal.reason });
    return await fn();
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
