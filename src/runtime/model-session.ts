/**
 * A thin, ORT-free view of an inference session, so the tasks can be tested with
 * onnxruntime-node and run unchanged on onnxruntime-web. The factory that builds them is in
 * session-factory.ts (kept apart: the tasks' public types reach this file, and the factory's
 * WebGPU types must not reach a user's compiler).
 * Owns: nothing; a session's owner is the LoadedModel that built it.
 */
import type { TensorMap } from '../tasks/tensors.js';

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the session; outputs are plain tensors the caller owns (nothing left on the GPU or in wasm memory). */
  run(feeds: TensorMap): Promise<TensorMap>;
  release(): Promise<void>;
}
