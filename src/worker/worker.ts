/**
 * The worker entry: exposes the engine through comlink, nothing else. It holds a Web Lock named
 * after the worker for its whole life; the page asks for the same lock and is granted it when
 * this worker ends, however it ends, which is how the page notices a crash.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { installErrorTransfer } from '../protocol/error-transfer.js';
import type { EngineConfig, LoadEvents, LoadRequest } from '../protocol/engine.js';
import type { DownloadProgress } from '../protocol/events.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { BackendReport } from '../protocol/backend-report.js';
import { CoreEngine } from '../runtime/core-engine.js';

installErrorTransfer();

function holdLifeLock(name: string): Promise<void> {
  const locks = navigator.locks;
  if (!locks || !name) return Promise.resolve();
  return new Promise<void>((held) => {
    void locks.request(name, () => {
      held();
      return new Promise<never>(() => undefined);
    });
  });
}

const lockHeld = holdLifeLock(self.name);

/** Progress fires per network chunk; one message per frame or so is plenty for a progress bar. */
const PROGRESS_INTERVAL_MS = 50;

/**
 * At most one progress message per interval, and never a stale last word: an event held back is
 * sent when the interval ends, so a download that pauses still shows every byte it received.
 */
function throttled(send: (progress: DownloadProgress) => void): (progress: DownloadProgress) => void {
  let last = -Infinity;
  let held: DownloadProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    timer = undefined;
    if (!held) return;
    last = performance.now();
    send(held);
    held = null;
  };
  return (progress) => {
    held = progress;
    const fileDone = progress.fileLoaded >= progress.fileTotal;
    const wait = PROGRESS_INTERVAL_MS - (performance.now() - last);
    if (fileDone || wait <= 0) {
      clearTimeout(timer);
      flush();
    } else if (timer === undefined) {
      timer = setTimeout(flush, wait);
    }
  };
}

class WorkerEngineHost extends CoreEngine {
  override async init(config: EngineConfig): Promise<BackendReport> {
    // The page starts watching the lock when init returns, so it must be ours by then.
    await lockHeld;
    return super.init(config);
  }

  /** The page's callbacks arrive as one comlink proxy; calls on it are fire-and-forget messages. */
  override async load(request: LoadRequest, events: LoadEvents): Promise<ModelInfo> {
    const remote = events as Remote<Required<LoadEvents>>;
    try {
      return await super.load(request, {
        onProgress: throttled((progress) => void remote.onProgress(progress).catch(() => undefined)),
        onWarning: (warning) => void remote.onWarning(warning).catch(() => undefined),
      });
    } finally {
      remote[releaseProxy]();
    }
  }
}

expose(new WorkerEngineHost());
