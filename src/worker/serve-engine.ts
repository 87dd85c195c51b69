/**
 * The worker's end of the port (see protocol/worker-messages.ts): the engine's calls through
 * comlink, predictions and events as plain messages. Kept apart from the worker entry so that a
 * test can serve an engine on a MessageChannel in Node.
 */
import { expose, type Endpoint } from 'comlink';
import type { Engine, PredictRequest } from '../protocol/engine.js';
import { serialiseError } from '../protocol/error-transfer.js';
import { isPredictMessage, messageData, type WorkerHost, type WorkerMessage } from '../protocol/worker-messages.js';
import { transferablesOf } from '../tasks/tensors.js';

/**
 * Runs `work` and rejects with plain data instead of an Error: comlink's default "throw" handler
 * keeps only the message of an Error, but passes other values through as a structured clone, so
 * the page gets the code and details back (protocol/error-transfer.ts rebuilds the InpageError).
 */
async function plainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- plain data on purpose: see above
    throw serialiseError(error);
  }
}

/**
 * Serves `engine` on `port` until the worker ends. `beforeInit` is awaited before init answers
 * (the worker's life lock, which the page starts watching once init returns).
 */
export function serveEngine(engine: Engine, port: Endpoint, beforeInit: Promise<void> = Promise.resolve()): void {
  const post = (message: WorkerMessage, transfer: Transferable[] = []): void => {
    port.postMessage(message, transfer);
  };

  const host: WorkerHost = {
    init: (config) =>
      plainErrors(async () => {
        await beforeInit;
        return engine.init(config, {
          onBackendChange: (change) => {
            post({ inpage: 'backendchange', change });
          },
        });
      }),
    // Posted on the port the reply will take, so every event is at the page before the reply is.
    load: (request) =>
      plainErrors(() =>
        engine.load(request, {
          onProgress: (progress) => {
            post({ inpage: 'progress', requestId: request.requestId, progress });
          },
          onWarning: (warning) => {
            post({ inpage: 'warning', requestId: request.requestId, warning });
          },
        }),
      ),
    abort: (requestId) => plainErrors(() => engine.abort(requestId)),
    unload: (handle) => plainErrors(() => engine.unload(handle)),
    cacheList: () => plainErrors(() => engine.cacheList()),
    cacheDelete: (id, version) => plainErrors(() => engine.cacheDelete(id, version)),
    cacheClear: () => plainErrors(() => engine.cacheClear()),
    cachePrune: () => plainErrors(() => engine.cachePrune()),
    cachePersist: () => plainErrors(() => engine.cachePersist()),
    stats: () => plainErrors(() => engine.stats()),
    simulateDeviceLoss: () => plainErrors(() => engine.simulateDeviceLoss()),
    dispose: () => plainErrors(() => engine.dispose()),
  };
  expose(host, port);

  port.addEventListener('message', (event) => {
    const message = messageData(event);
    if (!isPredictMessage(message)) return;
    // All submitted in this one task, so the run queue can put them in one batch.
    for (const { seq, request } of message.requests) answer(seq, request);
  });

  function answer(seq: number, request: PredictRequest): void {
    engine.predict(request).then(
      // Output tensors are moved to the page, not copied: the worker keeps no reference to them.
      (response) => {
        post({ inpage: 'predicted', seq, response }, response.output.task === 'tensor' ? transferablesOf(response.output.result) : []);
      },
      (error: unknown) => {
        post({ inpage: 'failed', seq, error: serialiseError(error) });
      },
    );
  }
}
