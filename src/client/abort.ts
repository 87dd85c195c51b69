import { InpageError } from '../errors.js';

/** Rejects at once on abort, and tells the engine so it can drop the work. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void, what: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    onAbort();
    return Promise.reject(new InpageError('ABORTED', `${what} was aborted`, { cause: signal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort();
      reject(new InpageError('ABORTED', `${what} was aborted`, { cause: signal.reason }));
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}
