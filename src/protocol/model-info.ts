import type { BackendName } from './backend-report.js';
import type { TaskName } from '../registry/manifest-types.js';

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
  metrics: Record<string, number>;
  license: string;
}
