import type { BackendName } from './backend-report.js';
import type { Preprocess } from './preprocess.js';
import type { TaskName } from './task-io.js';
import type { TensorSpec } from './tensor-types.js';

export interface LoadTimings {
  filesMs: number;
  runtimeMs: number;
  sessionMs: number;
  /** Running the model on example inputs, so that the first real call is not slow. */
  warmUpMs: number;
}

/**
 * What a loaded model is: reported by `model.info`.
 * @example
 * ```ts
 * const { backend, loadMs, fromCache, labels } = model.info;
 * ```
 */
export interface ModelInfo {
  id: string;
  version: string;
  task: TaskName;
  backend: BackendName;
  /** Class names in output order; empty for a model without them (task "tensor"). */
  labels: string[];
  /** The model's inputs as the registry declares them: what `run()` takes. */
  inputs: TensorSpec[];
  /** The model's outputs: what `run()` gives. */
  outputs: TensorSpec[];
  /** The task's pre-processing from the card, where it has one. */
  preprocess?: Preprocess;
  /** Bytes of model files fetched from the network for this load (0 when all came from the cache). */
  bytesDownloaded: number;
  fromCache: boolean;
  /** Milliseconds from load() to a ready session, measured in the engine. */
  loadMs: number;
  /** Where loadMs went: manifest + files (network or cache), onnxruntime's module, the session build, the warm-up. */
  timings: LoadTimings;
  /** Evaluation figures from the card (empty when it gave none). */
  metrics: Record<string, number>;
  /** Licence of the weights and data ("unspecified" when the card gave none). */
  license: string;
}
