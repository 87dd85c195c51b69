/**
 * The factory the engine builds sessions with, so its orchestration (backend choice, fallback,
 * abort, unload) can be driven in Node with a scripted one. onnxruntime-web's is in ort-factory.ts.
 * Owns: nothing.
 */
import type { BackendName } from '../protocol/backend-report.js';
import type { AssetUrls } from '../protocol/engine.js';
import type { RuntimeHints } from '../registry/manifest-types.js';
import type { ModelSession } from './model-session.js';
import type { DeviceWatch } from './webgpu-device.js';

/** One session to build: a model's bytes on one backend. */
export interface SessionRequest {
  backend: BackendName;
  /** The model file (role "model"). */
  bytes: Uint8Array;
  hints: RuntimeHints | undefined;
  assets: AssetUrls;
  /** onnxruntime's wasm threads (runtime/threads.ts). */
  threads: number;
  /** The adapter the backend plan chose, for WebGPU; null on WASM. */
  adapter: GPUAdapter | null;
}

/** A session as built, with what the load reports of it. */
export interface SessionBuild {
  session: ModelSession;
  /** The GPU device under a WebGPU session, watched for loss; null on WASM. */
  device: DeviceWatch | null;
  /** Importing the runtime (0 once it is loaded). */
  runtimeMs: number;
  sessionMs: number;
}

export interface SessionFactory {
  /**
   * Builds a session. Rejects with an InpageError: BACKEND_UNAVAILABLE when the runtime would not
   * start (a later call tries afresh), MODEL_INVALID when the model would not build on it.
   */
  build(request: SessionRequest): Promise<SessionBuild>;
  /**
   * Starts a backend's runtime before any model needs it, so its compile overlaps the downloads.
   * Never rejects: a runtime that fails here fails again, with a proper error, at build().
   */
  startRuntime(backend: BackendName, assets: AssetUrls, threads: number): Promise<void>;
}
