/**
 * The page's end of the port it shares with its worker (see protocol/worker-messages.ts): comlink's
 * remote for the engine's calls, and inpage's own messages, dispatched here.
 * Owns: the predictions waiting for their reply and the loads listening for their events, both
 * for one worker's life.
 */
import { releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { BackendChange, LoadEvents, PredictRequest, PredictResponse } from '../protocol/engine.js';
import { InpageError } from '../errors.js';
import { deserialiseError } from '../protocol/error-transfer.js';
import { isWorkerMessage, messageData, type PredictMessage, type WorkerHost } from '../protocol/worker-messages.js';

interface Outgoing {
  seq: number;
  request: PredictRequest;
  transferables: Transferable[];
}

interface Waiting {
  resolve: (response: PredictResponse) => void;
  reject: (error: Error) => void;
}

export class WorkerChannel {
  readonly remote: Remote<WorkerHost>;
  private lastSeq = 0;
  private readonly predictions = new Map<number, Waiting>();
  private readonly loads = new Map<string, LoadEvents>();
  /** Predictions asked for in this task, sent together when its microtasks run. */
  private readonly outbox: Outgoing[] = [];

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

  /**
   * Sends a prediction. Those asked for in one task go in one message, posted when the task's
   * microtasks run (see protocol/worker-messages.ts): a single call waits for nothing.
   */
  predict(request: PredictRequest, transferables: Transferable[]): Promise<PredictResponse> {
    const seq = ++this.lastSeq;
    return new Promise<PredictResponse>((resolve, reject) => {
      this.predictions.set(seq, { resolve, reject });
      if (this.outbox.length === 0) queueMicrotask(this.flush);
      this.outbox.push({ seq, request, transferables });
    });
  }

  private readonly flush = (): void => {
    const outgoing = this.outbox.splice(0);
    if (this.send(outgoing) === null) return;
    // One input the browser cannot send (not cloneable, a buffer already moved) fails alone.
    for (const one of outgoing) {
      const error = this.send([one]);
      if (error === null) continue;
      const waiting = this.predictions.get(one.seq);
      this.predictions.delete(one.seq);
      waiting?.reject(
        new InpageError(
          'INPUT_INVALID',
          `The input could not be sent to the worker: ${error instanceof Error ? error.message : 'the browser refused it'}`,
          { cause: error },
        ),
      );
    }
  };

  /** Posts `outgoing` as one message: null, or the browser's error when it refused (nothing was sent then). */
  private send(outgoing: Outgoing[]): unknown {
    // A buffer given twice is moved once (twice in one list is a DataCloneError); both requests then share it.
    const transfer = [...new Set(outgoing.flatMap((one) => one.transferables))];
    const message: PredictMessage = { inpage: 'predict', requests: outgoing.map(({ seq, request }) => ({ seq, request })) };
    try {
      this.port.postMessage(message, transfer);
      return null;
    } catch (error) {
      return error ?? new Error('postMessage failed');
    }
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
    this.outbox.length = 0;
    this.predictions.clear();
    this.loads.clear();
    this.port.removeEventListener('message', this.dispatch);
    this.remote[releaseProxy]();
  }
}
