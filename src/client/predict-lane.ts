/** The page's end of the prediction lane (see protocol/predict-lane.ts). */
import { deserialiseError } from '../protocol/error-transfer.js';
import type { PredictRequest, PredictResponse } from '../protocol/engine.js';
import type { LaneReply, LaneRequest } from '../protocol/predict-lane.js';

interface Waiting {
  resolve: (response: PredictResponse) => void;
  reject: (error: Error) => void;
}

export class PredictLane {
  private lastId = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly port: MessagePort) {
    port.onmessage = (event: MessageEvent<LaneReply>) => {
      const reply = event.data;
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.response);
      else waiting.reject(deserialiseError(reply.error));
    };
  }

  predict(request: PredictRequest, transferables: Transferable[]): Promise<PredictResponse> {
    const id = ++this.lastId;
    return new Promise<PredictResponse>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.port.postMessage({ id, request } satisfies LaneRequest, transferables);
    });
  }

  /** The worker is gone: its callers have been answered by WorkerLife (WORKER_CRASHED/ABORTED). */
  close(): void {
    this.waiting.clear();
    this.port.onmessage = null;
    this.port.close();
  }
}
