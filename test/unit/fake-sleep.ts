// Stand-ins for the retry code's `sleep` seam (src/registry/download-types.ts `Sleep`): tests see
// which delays the code chose, and in what order, without waiting for any of them.
import { InpageError } from '../../src/errors.js';
import type { Sleep } from '../../src/registry/download-types.js';

const aborted = (signal: AbortSignal | undefined): InpageError => new InpageError('ABORTED', 'Download was aborted', { cause: signal?.reason });

/** Records each delay asked for (after `onWait` has run) and resolves at once; an aborted signal rejects, as the real one does. */
export function recordingSleep(onWait: (ms: number) => unknown = () => undefined): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    await onWait(ms);
    waits.push(ms);
    if (signal?.aborted) throw aborted(signal);
  };
  return { sleep, waits };
}

/** Records each delay asked for and never ends by itself: only an abort of its signal ends it, with ABORTED. */
export function endlessSleep(onWait: (ms: number) => unknown = () => undefined): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = (ms, signal) =>
    new Promise((_resolve, reject) => {
      waits.push(ms);
      if (signal?.aborted) reject(aborted(signal));
      signal?.addEventListener(
        'abort',
        () => {
          reject(aborted(signal));
        },
        { once: true },
      );
      onWait(ms);
    });
  return { sleep, waits };
}
