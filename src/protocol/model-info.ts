import type { BackendName } from './backend-report.js';
import type { TaskName } from '../registry/manifest-types.js';

export interface LoadTimings {
  filesMs: number;
  runtimeMs: number;
  sessionMs: number;
  /** Running the model on example inputs, so that the first real call is not slow. */
  warmUpMs: number;
}

/** What a loaded model is: reported by `model.info`. */
export interface ModelInfo {
  id: string;
  version: string;
  task: TaskName;
  backend: BackendName;
  labels: string[];
  /** Bytes of model files fetched from the network for this load (0 when all came from the cache). */
  bytesDownloaded: number;
  fromCache: boolean;
  /** Milliseconds from load() to a ready session, measured in the engine. */
  loadMs: number;
  /** Where loadMs went: manifest + files (network or cache), onnxruntime's module, the session build, the warm-up. */
  timings: LoadTimings;
  metrics: Record<string, number>;
  license: string;
}
