/**
 * The one engine interface. `WorkerEngine` (the engine in a Web Worker, reached over one port) and `CoreEngine`
 * (in-thread, and the worker's own engine) both implement it, so every feature works either way
 * and tests can use either.
 * Everything that crosses it is structured-cloneable; big buffers are transferred, not copied.
 */
import type { BackendName, BackendReport, BackendPreference } from './backend-report.js';
import type { DownloadProgress, InpageWarning } from './events.js';
import type { ModelInfo } from './model-info.js';
import type { TaskInput, TaskOutput } from './task-io.js';
import type { CachedModelInfo } from './cached-model.js';

/** Where the runtime files live: resolved on the main thread, where the bundle's own URL is known. */
export interface AssetUrls {
  /** onnxruntime-web's wasm-only ES module (`ort.wasm.bundle.min.mjs`). */
  ortWasmModule: string;
  /** onnxruntime-web's WebGPU ES module (`ort.webgpu.bundle.min.mjs`), fetched only when WebGPU runs. */
  ortWebgpuModule: string;
  /** The 14 MB wasm binary used by the wasm-only module. */
  ortWasmBinary: string;
  /** The asyncify wasm binary used by the WebGPU module. */
  ortWebgpuBinary: string;
}

export interface EngineConfig {
  backend: BackendPreference;
  /** Absolute registry.json URLs: the first is the primary, the rest are mirrors. */
  registryUrls: string[];
  assets: AssetUrls;
  /** Keep verified model files in Cache Storage for offline use. */
  cache: boolean;
  /** onnxruntime-web wasm threads, or `auto` (runtime/threads.ts); the engine decides where the wasm runs. */
  numThreads: number | 'auto';
  /** A download with no bytes for this long is retried, then fails with TIMEOUT. */
  stallTimeoutMs: number;
  /** Retries per file on network errors and 5xx. */
  retries: number;
  /** Most requests coalesced into one batched run (models with a dynamic batch axis). */
  maxBatch: number;
  /** Origins a request may be redirected to (the registry URLs' own and `allowedOrigins`); absent: any. */
  allowedOrigins?: string[];
}

export interface LoadRequest {
  /** Chosen by the client and stable across worker restarts, so a new worker can reload it. */
  handle: string;
  /** `id`, `id@1.2.0` or `id@^1`. */
  spec: string;
  requestId: string;
}

export interface PredictRequest {
  handle: string;
  requestId: string;
  input: TaskInput;
  /** True for `model.run()`: the model's own tensors, whatever its task. */
  tensors: boolean;
}

/** A result, and the backend that produced it: how the page learns of a WebGPU-to-WASM move. */
export interface PredictResponse {
  output: TaskOutput;
  backend: BackendName;
}

/** Callbacks for a load; from a worker they arrive as messages on its port, before the load's reply. */
export interface LoadEvents {
  onProgress?: (progress: DownloadProgress) => void;
  onWarning?: (warning: InpageWarning) => void;
}

/**
 * A backend change, pushed by the engine as it happens (nothing polls for it). `instance` is the
 * backend new sessions are built on; `model` is the model whose own session moved, when one did
 * (a WebGPU device lost under it). Each model keeps its own backend: one model falling back to
 * WASM does not move the others.
 */
export interface BackendChange {
  instance: BackendReport;
  model?: { handle: string; backend: BackendName };
}

/** What the engine tells the page on its own; from a worker, as a message on its port. */
export interface EngineEvents {
  onBackendChange(change: BackendChange): void;
}

export interface Engine {
  init(config: EngineConfig, events: EngineEvents): Promise<BackendReport>;
  load(request: LoadRequest, events: LoadEvents): Promise<ModelInfo>;
  predict(request: PredictRequest): Promise<PredictResponse>;
  /** Aborts a pending load or predict by its requestId; unknown ids are ignored. */
  abort(requestId: string): Promise<void>;
  unload(handle: string): Promise<void>;
  cacheList(): Promise<CachedModelInfo[]>;
  cacheDelete(id: string, version?: string): Promise<number>;
  cacheClear(): Promise<void>;
  /** Deletes stored model files no cached version uses; returns bytes freed. */
  cachePrune(): Promise<number>;
  cachePersist(): Promise<boolean>;
  /**
   * Fault injection for tests of recovery: destroys the WebGPU device the sessions run on, as a
   * driver reset would. Resolves false when no model runs on WebGPU.
   */
  simulateDeviceLoss(): Promise<boolean>;
  /** Figures for leak checks: live sessions, queued requests, predictions made, heap. */
  stats(): Promise<EngineStats>;
  /**
   * Gives back the memory onnxruntime took, where that can be done: a worker is ended (the next
   * call starts a fresh one); in-thread nothing can be, as wasm memory never shrinks.
   */
  trim(): void;
  dispose(): Promise<void>;
}

/**
 * Counters from `inpage.testing.stats()`, for leak checks.
 * @example
 * ```ts
 * const { sessions, pendingRequests } = await inpage.testing.stats();
 * ```
 */
export interface EngineStats {
  sessions: number;
  pendingRequests: number;
  predictions: number;
  /** Session runs of the models loaded now: concurrent requests coalesced into one batch are one run. */
  runs: number;
  /**
   * JS heap of the engine's realm where the browser reports it (Chromium's performance.memory):
   * null inside a worker, where Chromium has no such counter.
   */
  heapBytes: number | null;
}
