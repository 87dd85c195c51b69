/**
 * Download progress fires per network chunk; one report per interval is plenty for a progress
 * bar, and across the worker each report is a message. An event held back is sent when its
 * interval ends, so a download that pauses still shows every byte received, and `finish()` sends
 * the last one and stops, so nothing fires after the load has settled.
 * Owns: one load's report held back and when the last one went; the progress itself is the download code's.
 */
import type { DownloadProgress } from '../protocol/events.js';

const PROGRESS_INTERVAL_MS = 50;

export interface ProgressThrottle {
  /** A plain function (it uses no `this`), so the download takes it as its onProgress callback. */
  report: (progress: DownloadProgress) => void;
  /** Sends what is held back, then ignores everything: call when the load settles. */
  finish(): void;
}

export function throttleProgress(send: (progress: DownloadProgress) => void): ProgressThrottle {
  let last = -Infinity;
  let held: DownloadProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (!held) return;
    last = performance.now();
    const progress = held;
    held = null;
    // A throwing callback must not break the download it reports on.
    try {
      send(progress);
    } catch (error) {
      console.error('inpage: onProgress threw', error);
    }
  };
  return {
    report(progress) {
      if (finished) return;
      held = progress;
      const fileDone = progress.fileLoaded >= progress.fileTotal;
      const wait = PROGRESS_INTERVAL_MS - (performance.now() - last);
      if (fileDone || wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
    finish() {
      flush();
      finished = true;
    },
  };
}
