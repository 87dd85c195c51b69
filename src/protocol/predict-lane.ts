/**
 * Predictions travel on a MessagePort of their own, one plain message each way per call.
 * They are the hot path: through comlink each call also walks a Proxy chain, wraps every argument
 * as a wire value, makes a random id and adds and removes a message listener, which on a model
 * that runs in well under a millisecond is a visible share of the call. Everything else (init,
 * load with its progress callbacks, cache calls) stays on comlink.
 */
import type { Engine, PredictRequest, PredictResponse } from './engine.js';
import type { SerialisedError } from './error-transfer.js';

export interface LaneRequest {
  id: number;
  request: PredictRequest;
}

export type LaneReply = { id: number; ok: true; response: PredictResponse } | { id: number; ok: false; error: SerialisedError };

/** What the worker exposes through comlink: the engine, and the opening of the prediction lane. */
export interface WorkerHost extends Engine {
  openPredictLane(port: MessagePort): void;
}
