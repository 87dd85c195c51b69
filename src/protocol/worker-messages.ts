/**
 * The page and its worker speak over one port, the worker's own, so everything crossing it
 * arrives in the order it was sent: a load's last progress event before the load's reply, a
 * backend change before the prediction that follows it.
 *
 * Two kinds of message share that port. comlink carries the calls that are not hot (init, load,
 * the cache, stats): its requests name a `type`, its replies an `id`. inpage's own messages carry
 * an `inpage` field and neither of those, so comlink passes them by on both sides (comlink 4.4's
 * `expose` ignores an unknown type; `wrap` ignores a reply to a call it did not make):
 * - predictions, plain messages: they are the hot path, and a comlink call also walks a Proxy
 *   chain, wraps each argument as a wire value and makes a random id, a visible share of a call on
 *   a model that runs in well under a millisecond. The predictions a page asks for in one task
 *   cross in one message, so the worker queues them all at once and its run queue batches them: sent
 *   one message each, they arrived one task each, and a run (which blocks the worker's thread)
 *   always started before the next had arrived — 64 concurrent calls made 64 runs;
 * - events the worker raises on its own: a load's progress and warnings (named by the load's
 *   requestId) and backend changes. Sent as messages rather than through comlink's callback
 *   proxies, which each open a port of their own and so are not ordered with the replies.
 */
import type { BackendReport } from './backend-report.js';
import type { BackendChange, Engine, EngineConfig, LoadRequest, PredictRequest, PredictResponse } from './engine.js';
import type { SerialisedError } from './error-transfer.js';
import type { DownloadProgress, InpageWarning } from './events.js';
import type { ModelInfo } from './model-info.js';

/** From the page: run these predictions; each `seq` names its reply. */
export interface PredictMessage {
  inpage: 'predict';
  requests: { seq: number; request: PredictRequest }[];
}

/** From the worker. */
export type WorkerMessage =
  | { inpage: 'predicted'; seq: number; response: PredictResponse }
  | { inpage: 'failed'; seq: number; error: SerialisedError }
  | { inpage: 'progress'; requestId: string; progress: DownloadProgress }
  | { inpage: 'warning'; requestId: string; warning: InpageWarning }
  | { inpage: 'backendchange'; change: BackendChange };

/**
 * What the worker exposes through comlink: the engine, less what travels as messages (predict,
 * and the events init and load would take as callbacks) and less trim, which the page does by
 * ending the worker. Every method rejects with a {@link SerialisedError}, which comlink carries as
 * plain data (see worker/serve-engine.ts).
 */
export interface WorkerHost extends Omit<Engine, 'init' | 'load' | 'predict' | 'trim'> {
  init(config: EngineConfig): Promise<BackendReport>;
  load(request: LoadRequest): Promise<ModelInfo>;
}

function hasInpageField(data: unknown): data is { inpage: unknown } {
  return typeof data === 'object' && data !== null && 'inpage' in data;
}

/** True for inpage's own messages on the shared port (the other end is inpage's own code, so the field is enough). */
export function isPredictMessage(data: unknown): data is PredictMessage {
  return hasInpageField(data) && data.inpage === 'predict';
}

export function isWorkerMessage(data: unknown): data is WorkerMessage {
  return hasInpageField(data) && data.inpage !== 'predict';
}

/** The data of a `message` event; comlink's Endpoint types its listeners as taking any Event. */
export function messageData(event: Event): unknown {
  return (event as MessageEvent<unknown>).data;
}
