/**
 * The page's end of the port it shares with its worker (see protocol/worker-messages.ts): comlink's
 * remote for the engine's calls, and inpage's own messages, dispatched here.
 * Owns: the predictions waiting for their reply and the loads listening for their events, both
 * for one worker's life.
 */
import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { BackendChange, LoadEvents, PredictRequest, PredictResponse } from '../protocol/engine.js';
import { deserialiseError } from '../protocol/error-transfer.js';
import { isWorkerMessage, messageData, type PredictMessage, type WorkerHost } from '../protocol/worker-messages.js';

interface Waiting {
  resolve: (response: PredictResponse) => void;
  reject: (error: Error) => void;
}

export class WorkerChannel {
  readonly remote: Remote<WorkerHost>;
  private lastSeq = 0;
  private readonly predictions = new Map<number, Waiting>();
  private readonly loads = new Map<string, LoadEvents>();

  constructor(
    private readonly port: Endpoint,
    private readonly onBackendChange: (change: BackendChange) => void,
  ) {
    this.remote = wrap<WorkerHost>(port);
    port.addEventListener('message', this.dispatch);
  }

  private readonly dispatch = (event: Event): void => {
    const message = messageData(event);
    if (!isWorkerMessage(message)) return; // comlink's reply: its own listener takes it
    switch (message.inpage) {
      case 'predicted':
      case 'failed': {
        const waiting = this.predictions.get(message.seq);
        if (!waiting) return;
        this.predictions.delete(message.seq);
        if (message.inpage === 'predicted') waiting.resolve(message.response);
        else waiting.reject(deserialiseError(message.error));
        return;
      }
      case 'progress':
        this.loads.get(message.requestId)?.onProgress?.(message.progress);
        return;
      case 'warning':
        this.loads.get(message.requestId)?.onWarning?.(message.warning);
        return;
      case 'backendchange':
        this.onBackendChange(message.change);
        return;
    }
  };

  predict(request: PredictRequest, transferables: Transferable[]): Promise<PredictResponse> {
    const seq = ++this.lastSeq;
    return new Promise<PredictResponse>((resolve, reject) => {
      this.predictions.set(seq, { resolve, reject });
      this.port.postMessage({ inpage: 'predict', seq, request } satisfies PredictMessage, transferables);
    });
  }

  /**
   * Hands the events of the load `requestId` to `events` until the returned function is called,
   * when the load has settled: the worker sends every event before the reply, on this one port,
   * so none is lost and none comes after.
   */
  listen(requestId: string, events: LoadEvents): () => void {
    this.loads.set(requestId, events);
    return () => this.loads.delete(requestId);
  }

  /** The worker is gone: its callers have been answered by WorkerLife (WORKER_CRASHED or ABORTED). */
  close(): void {
    this.predictions.clear();
    this.loads.clear();
    this.port.removeEventListener('message', this.dispatch);
    this.remote[releaseProxy]();
  }
}
