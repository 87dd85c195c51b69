/**
 * The engine itself: registry → files → session → task. It runs inside the worker (exposed
 * on the worker's port by worker/serve-engine.ts) or in-thread, used directly by create(); both see exactly this code.
 * Owns: the backend plan for new sessions (`report`, pushed to the page on each change), the
 * loaded models by handle and the loads in flight. Each model's own backend is its LoadedModel's.
 * What it touches outside (sessions, the adapter probe, fetch) comes through {@link EnginePlatform},
 * so that tests can drive it in Node.
 */
import { InpageError, toInpageError } from '../errors.js';
import type { BackendReport } from '../protocol/backend-report.js';
import type {
  Engine,
  EngineConfig,
  EngineEvents,
  EngineStats,
  LoadEvents,
  LoadRequest,
  PredictRequest,
  PredictResponse,
} from '../protocol/engine.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { CachedModelInfo } from '../protocol/cached-model.js';
import { openModelCache, type ModelCache } from '../cache/model-cache.js';
import { createSharedDownloads, loadModelFiles } from '../registry/load-model-files.js';
import { planBackend, probeAdapter, type AdapterProbe } from './backend.js';
import { LoadedModel } from './loaded-model.js';
import type { SessionFactory } from './session-factory.js';
import { ortSessionFactory } from './ort-factory.js';
import { throttleProgress } from './progress-throttle.js';
import { chooseThreads, threadContext } from './threads.js';

function heapBytes(): number | null {
  const perf: unknown = globalThis.performance;
  if (typeof perf !== 'object' || perf === null || !('memory' in perf)) return null;
  const memory: unknown = perf.memory;
  return typeof memory === 'object' && memory !== null && 'usedJSHeapSize' in memory && typeof memory.usedJSHeapSize === 'number'
    ? memory.usedJSHeapSize
    : null;
}

/** Remembered ids of aborts that came before their request; old ones are forgotten first. */
const MAX_EARLY_ABORTS = 256;

/** What the engine reaches outside itself for; each defaults to the browser's own. */
export interface EnginePlatform {
  /** Builds sessions: onnxruntime-web's by default. */
  sessions: SessionFactory;
  /** Asks for a WebGPU adapter: navigator.gpu's by default. */
  probeAdapter: () => Promise<AdapterProbe>;
  /** Fetches the registry and the model files: the global fetch by default. */
  fetch?: typeof fetch;
}

export class CoreEngine implements Engine {
  private readonly platform: EnginePlatform;
  private config: EngineConfig | null = null;
  private report: BackendReport | null = null;
  private events: EngineEvents | null = null;
  private adapter: GPUAdapter | null = null;
  private cache: ModelCache | null = null;
  private readonly models = new Map<string, LoadedModel>();
  private readonly loading = new Map<string, Promise<ModelInfo>>();
  private readonly controllers = new Map<string, AbortController>();
  /** Aborts that arrived before their request (the page aborted at once): honoured on arrival. */
  private readonly earlyAborts = new Set<string>();
  /** Handles unloaded while their load was still running: the load ends ABORTED. */
  private readonly unloadedWhileLoading = new Set<string>();
  private predictions = 0;
  private disposed = false;
  /** Shared by this engine's loads, so one file is downloaded once however many loads need it. */
  private readonly downloads = createSharedDownloads();

  constructor(platform: Partial<EnginePlatform> = {}) {
    this.platform = { sessions: ortSessionFactory, probeAdapter, ...platform };
  }

  async init(config: EngineConfig, events: EngineEvents): Promise<BackendReport> {
    this.config = config;
    this.events = events;
    const plan = planBackend(config.backend, config.backend === 'wasm' ? { adapter: null } : await this.platform.probeAdapter());
    // Decided here, where the wasm runs: a worker's isolation is its own, not its page's.
    this.report = { ...plan.report, threads: chooseThreads(config.numThreads, threadContext()) };
    this.adapter = plan.adapter;
    // Not awaited: the runtime compiles while the page goes on to load()'s downloads. (WebGPU's
    // start-up needs the adapter chosen above, so it is left to the first load.)
    if (plan.report.name === 'wasm') void this.platform.sessions.startRuntime('wasm', config.assets, this.report.threads.count);
    this.cache = config.cache ? await openModelCache() : null;
    return this.report;
  }

  /** The config and plan init() set, or why there are none: DISPOSED after dispose(), INTERNAL before init(). */
  private initialised(): { config: EngineConfig; report: BackendReport } {
    if (this.disposed) throw new InpageError('DISPOSED', 'This inpage instance was disposed');
    if (!this.config || !this.report) throw new InpageError('INTERNAL', 'The engine was used before init()');
    return { config: this.config, report: this.report };
  }

  private controllerFor(requestId: string): AbortController {
    const controller = new AbortController();
    if (this.earlyAborts.delete(requestId)) controller.abort();
    this.controllers.set(requestId, controller);
    return controller;
  }

  load(request: LoadRequest, events: LoadEvents): Promise<ModelInfo> {
    const existing = this.models.get(request.handle);
    if (existing) return Promise.resolve(existing.info);
    // Two loads of one handle (e.g. a replay after a worker restart racing a predict) share one.
    let pending = this.loading.get(request.handle);
    if (!pending) {
      pending = this.loadModel(request, events).finally(() => this.loading.delete(request.handle));
      this.loading.set(request.handle, pending);
    }
    return pending;
  }

  private async loadModel(request: LoadRequest, events: LoadEvents): Promise<ModelInfo> {
    const { config } = this.initialised();
    const started = performance.now();
    const controller = this.controllerFor(request.requestId);
    const progress = events.onProgress ? throttleProgress(events.onProgress) : null;
    try {
      const files = await loadModelFiles({
        spec: request.spec,
        registryUrls: config.registryUrls,
        cache: this.cache,
        downloads: this.downloads,
        // No cache because the caller said so is silent; no cache because storage failed warns.
        cacheDisabled: !config.cache,
        signal: controller.signal,
        ...(this.platform.fetch ? { fetch: this.platform.fetch } : {}),
        ...(progress ? { onProgress: progress.report } : {}),
        ...(events.onWarning ? { onWarning: events.onWarning } : {}),
        retries: config.retries,
        stallTimeoutMs: config.stallTimeoutMs,
        ...(config.allowedOrigins === undefined ? {} : { allowedOrigins: config.allowedOrigins }),
      });
      const filesReady = performance.now();
      const model = await LoadedModel.create({
        handle: request.handle,
        files,
        filesReady,
        backend: () => this.currentBackend(),
        sessions: this.platform.sessions,
        onBackendLost: (reason, moved) => {
          this.fallBackToWasm(reason, moved ? request.handle : undefined);
        },
        maxBatch: config.maxBatch,
        started,
      });
      if (controller.signal.aborted || this.disposed || this.unloadedWhileLoading.has(request.handle)) {
        await model.dispose();
        throw new InpageError('ABORTED', `Loading ${request.spec} was aborted`);
      }
      this.models.set(request.handle, model);
      return model.info;
    } catch (error) {
      throw toInpageError(error, 'INTERNAL', `Loading ${request.spec}`);
    } finally {
      progress?.finish();
      this.controllers.delete(request.requestId);
      this.unloadedWhileLoading.delete(request.handle);
    }
  }

  /** The backend sessions are built on now, with its config; WASM after a WebGPU loss. */
  private currentBackend(): { report: BackendReport; config: EngineConfig; adapter: GPUAdapter | null } {
    const { config, report } = this.initialised();
    return { report, config, adapter: this.adapter };
  }

  /**
   * WebGPU failed (a device lost, a session that would not build under auto): new sessions are
   * built on WASM from now on, and the page is told; `moved` is the model whose own session moved
   * (the others keep theirs until their own device loss, each told in turn).
   */
  private fallBackToWasm(reason: string, moved: string | undefined): void {
    if (!this.report) return;
    if (this.report.name !== 'wasm') {
      this.report = { ...this.report, name: 'wasm', fallbackFrom: 'webgpu', reason: `WASM, because ${reason}` };
      this.adapter = null;
    }
    this.events?.onBackendChange({ instance: this.report, ...(moved ? { model: { handle: moved, backend: 'wasm' as const } } : {}) });
  }

  async predict(request: PredictRequest): Promise<PredictResponse> {
    this.initialised();
    const model = this.models.get(request.handle);
    if (!model) throw new InpageError('ABORTED', 'The model was disposed before the prediction ran');
    const controller = this.controllerFor(request.requestId);
    try {
      const output = await model.predict(request.input, controller.signal, request.tensors);
      this.predictions++;
      // Read after the run: a lost WebGPU device moves the model to WASM during it.
      return { output, backend: model.info.backend };
    } finally {
      this.controllers.delete(request.requestId);
    }
  }

  async abort(requestId: string): Promise<void> {
    const controller = this.controllers.get(requestId);
    if (controller) {
      controller.abort();
      return;
    }
    // Either already finished (harmless) or not arrived yet: remember a bounded number.
    this.earlyAborts.add(requestId);
    if (this.earlyAborts.size > MAX_EARLY_ABORTS) {
      const [oldest] = this.earlyAborts;
      if (oldest !== undefined) this.earlyAborts.delete(oldest);
    }
  }

  /** In-thread there is nothing to do: a wasm memory only grows, for the life of the page. */
  trim(): void {
    // nothing to give back (see above)
  }

  async unload(handle: string): Promise<void> {
    if (this.loading.has(handle)) this.unloadedWhileLoading.add(handle);
    const model = this.models.get(handle);
    this.models.delete(handle);
    await model?.dispose();
  }

  async cacheList(): Promise<CachedModelInfo[]> {
    return this.cache ? this.cache.list() : [];
  }

  async cacheDelete(id: string, version?: string): Promise<number> {
    return this.cache ? this.cache.delete(id, version) : 0;
  }

  async cacheClear(): Promise<void> {
    await this.cache?.clear();
  }

  async cachePrune(): Promise<number> {
    return this.cache ? this.cache.prune() : 0;
  }

  async cachePersist(): Promise<boolean> {
    return this.cache ? this.cache.persist() : false;
  }

  async stats(): Promise<EngineStats> {
    let pendingRequests = 0;
    let runs = 0;
    for (const model of this.models.values()) {
      pendingRequests += model.pending;
      runs += model.runs;
    }
    return { sessions: this.models.size, pendingRequests, predictions: this.predictions, runs, heapBytes: heapBytes() };
  }

  async simulateDeviceLoss(): Promise<boolean> {
    let destroyed = false;
    for (const model of this.models.values()) destroyed = model.destroyDevice() || destroyed;
    return destroyed;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const controller of this.controllers.values()) controller.abort();
    const models = [...this.models.values()];
    this.models.clear();
    await Promise.all(models.map((model) => model.dispose()));
  }
}
