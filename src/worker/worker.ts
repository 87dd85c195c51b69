/**
 * The worker entry: exposes the engine through comlink, nothing else. It holds a Web Lock named
 * after the worker for its whole life; the page asks for the same lock and is granted it when
 * this worker ends, however it ends, which is how the page notices a crash.
 */
import { expose, releaseProxy, type Remote } from 'comlink';
import { installErrorTransfer, serialiseError } from '../protocol/error-transfer.js';
import type { LaneReply, LaneRequest, WorkerHost } from '../protocol/predict-lane.js';
import type { EngineConfig, EngineEvents, LoadEvents, LoadRequest } from '../protocol/engine.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { BackendReport } from '../protocol/backend-report.js';
import { CoreEngine } from '../runtime/core-engine.js';
import { transferablesOf } from '../tasks/tensors.js';
import { optionalGlobals } from '../optional-globals.js';

installErrorTransfer();

function holdLifeLock(name: string): Promise<void> {
  const locks = optionalGlobals.navigator?.locks;
  if (!locks || !name) return Promise.resolve();
  return new Promise<void>((held) => {
    void locks.request(name, () => {
      held();
      return new Promise<never>(() => undefined);
    });
  });
}

const lockHeld = holdLifeLock(self.name);

class WorkerEngineHost extends CoreEngine implements WorkerHost {
  /** `events` is the page's comlink proxy: a change that cannot reach the page (it is closing) is dropped. */
  override async init(config: EngineConfig, events: EngineEvents): Promise<BackendReport> {
    // The page starts watching the lock when init returns, so it must be ours by then.
    await lockHeld;
    const remote = events as Remote<EngineEvents>;
    return super.init(config, { onBackendChange: (change) => void remote.onBackendChange(change).catch(() => undefined) });
  }

  /**
   * The page's callbacks arrive as one comlink proxy (see WorkerEngine), always with both
   * members. The proxy has a port of its own, so its calls and this method's reply are not
   * ordered: the last event call is awaited before returning, so the page has seen every progress
   * event (the 100 % one included) and every warning before it hears that the load settled (it
   * drops any that came later).
   */
  override async load(request: LoadRequest, events: LoadEvents): Promise<ModelInfo> {
    const remote = events as Remote<Required<LoadEvents>>;
    // Calls on one port arrive in order, so the last one delivered means all were.
    let lastEvent: Promise<void> = Promise.resolve();
    try {
      return await super.load(request, {
        onProgress: (progress) => {
          lastEvent = remote.onProgress(progress).catch(() => undefined);
        },
        onWarning: (warning) => {
          lastEvent = remote.onWarning(warning).catch(() => undefined);
        },
      });
    } finally {
      await lastEvent;
      remote[releaseProxy]();
    }
  }

  /** Serves predictions on their own port, one message each way (see protocol/predict-lane.ts). */
  openPredictLane(port: MessagePort): void {
    port.onmessage = (event: MessageEvent<LaneRequest>) => {
      const { id, request } = event.data;
      this.predict(request).then(
        // Output tensors are moved to the page, not copied: the worker keeps no reference to them.
        (response) => {
          port.postMessage(
            { id, ok: true, response } satisfies LaneReply,
            response.output.task === 'tensor' ? transferablesOf(response.output.result) : [],
          );
        },
        (error: unknown) => {
          port.postMessage({ id, ok: false, error: serialiseError(error) } satisfies LaneReply);
        },
      );
    };
  }
}

expose(new WorkerEngineHost());
