/**
 * The object `create()` returns: loads models, reports the backend, manages the cache.
 * Dispatches `warning` events (CustomEvent<InpageWarning>) for recoverable problems.
 * Owns: the page's copy of the instance's backend report and the set of live models; both follow
 * the engine's pushed changes, nothing polls. Whether the engine is a worker is create()'s to say.
 */
import { InpageError, throwIfAborted, toInpageError } from '../errors.js';
import type { BackendReport } from '../protocol/backend-report.js';
import type { BackendChange, Engine, EngineStats } from '../protocol/engine.js';
import type { InpageWarning } from '../protocol/events.js';
import type { CachedModelInfo } from '../protocol/cached-model.js';
import { abortable } from './abort.js';
import type { TaskName } from '../protocol/task-io.js';
import { isTaskName, taskFor } from '../tasks/task-table.js';
import { Model, type BackendFollower, type DigitsModel, type TextModel } from './model.js';
import { checkCallback, checkObject, checkSignal, type LoadOptions } from './options.js';
import { nextRequestId } from './request-id.js';
import type { DownloadProgress } from '../protocol/events.js';

/**
 * Cached models: list, delete, clear, and ask the browser to keep them.
 * @example
 * ```ts
 * await inpage.cache.delete('mnist', '1.0.0');
 * await inpage.cache.persist();
 * ```
 */
export interface CacheControl {
  /** Models whose files are all in the cache. */
  list(): Promise<CachedModelInfo[]>;
  /** Deletes one version, or every version of `id`; files other models share are kept. Returns bytes freed. */
  delete(id: string, version?: string): Promise<number>;
  /** Deletes every cached model file and the offline copy of the manifest. */
  clear(): Promise<void>;
  /**
   * Deletes stored model files that no listed version uses, e.g. left by a tab closed in the middle
   * of a download. Loads already clean up after themselves; this is for what they could not. Returns bytes freed.
   */
  prune(): Promise<number>;
  /** Asks the browser not to evict the cache under storage pressure (`navigator.storage.persist()`). */
  persist(): Promise<boolean>;
}

/**
 * What a `backendchange` event carries: the instance's report (what new sessions are built on),
 * and the id of the model whose own session moved, when one did.
 *
 * @example
 * ```ts
 * inpage.addEventListener('backendchange', (e) => {
 *   const { name, reason, model } = (e as CustomEvent<BackendChangeDetail>).detail;
 *   console.info(model ? `${model} now runs on ${name}` : `new models run on ${name}`, reason);
 * });
 * ```
 */
export type BackendChangeDetail = BackendReport & { model?: string };

/**
 * Fault injection, for testing your page's recovery paths.
 * @example
 * ```ts
 * await inpage.testing.crashWorker();   // the next call rejects with WORKER_CRASHED, then a fresh worker starts
 * console.log(await inpage.testing.stats());
 * ```
 */
export interface TestingControl {
  /** Ends the worker as a crash would: pending calls reject with WORKER_CRASHED. No-op in-thread. */
  crashWorker(): void;
  /** Destroys the WebGPU device (as a driver reset would); the engine moves to WASM. */
  loseWebGpuDevice(): Promise<boolean>;
  /** Live sessions, pending requests, prediction count and the engine realm's JS heap. */
  stats(): Promise<EngineStats>;
}

/**
 * A running inpage: made by {@link create}. Loads models, says which backend runs and why,
 * manages the model cache. Events: `warning` (`CustomEvent<InpageWarning>`) for recoverable
 * problems, `backendchange` (`CustomEvent<BackendChangeDetail>`) when the backend moves: the
 * instance's report (what new sessions are built on), and `model` (its id) when one model's own
 * session moved. Each model keeps its own `info.backend`.
 *
 * @example
 * ```ts
 * const inpage = await create();
 * inpage.addEventListener('warning', (e) => console.warn((e as CustomEvent<InpageWarning>).detail.message));
 * const sentiment = await inpage.load('sentiment');
 * ```
 */
export class Inpage extends EventTarget {
  private report: BackendReport;
  /** Live models by their engine handle, so that a change the engine pushes reaches the one it concerns. */
  private readonly models = new Map<string, BackendFollower>();
  private disposed = false;
  /** The verified offline copies of model files: list, delete, clear, persist. */
  readonly cache: CacheControl;
  /** Fault injection and counters, for testing a page's recovery paths. */
  readonly testing: TestingControl;

  /** True when models run in a Web Worker; false in-thread. */
  readonly inWorker: boolean;
  private readonly onWarning: ((warning: InpageWarning) => void) | undefined;
  private readonly captureWorklet: URL;

  /** @internal Made by {@link create}. */
  constructor(
    private readonly engine: Engine,
    report: BackendReport,
    options: {
      /** True when `engine` is a worker's proxy. */
      inWorker: boolean;
      /** Ends the worker as a crash would (fault injection); absent in-thread. */
      crashWorker?: () => void;
      onWarning?: (warning: InpageWarning) => void;
      captureWorklet: URL;
      /** Registers the receiver of the engine's backend changes. */
      listenBackend: (deliver: (change: BackendChange) => void) => void;
    },
  ) {
    super();
    this.report = report;
    options.listenBackend((change) => {
      this.backendChanged(change);
    });
    this.inWorker = options.inWorker;
    this.captureWorklet = options.captureWorklet;
    this.onWarning = options.onWarning;
    this.cache = {
      list: () => this.call(() => engine.cacheList()),
      delete: (id, version) => this.call(() => engine.cacheDelete(id, version)),
      clear: () => this.call(() => engine.cacheClear()),
      prune: () => this.call(() => engine.cachePrune()),
      persist: () => this.call(() => engine.cachePersist()),
    };
    this.testing = {
      crashWorker: () => options.crashWorker?.(),
      loseWebGpuDevice: () => this.call(() => engine.simulateDeviceLoss()),
      stats: () => this.call(() => engine.stats()),
    };
  }

  /** Which backend runs, and why. Updated when it changes (e.g. WebGPU device lost → WASM). */
  get backend(): BackendReport {
    return this.report;
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) throw new InpageError('DISPOSED', 'This inpage instance was disposed');
    try {
      return await work();
    } catch (error) {
      throw toInpageError(error);
    }
  }

  /** A change the engine pushed: the instance's report, and the one model it moved, if any. */
  private backendChanged(change: BackendChange): void {
    if (this.disposed) return;
    this.report = change.instance;
    const moved = change.model ? this.models.get(change.model.handle) : undefined;
    moved?.refresh({ backend: change.model?.backend });
    const detail: BackendChangeDetail = { ...change.instance, ...(moved ? { model: moved.info.id } : {}) };
    this.dispatchEvent(new CustomEvent('backendchange', { detail }));
  }

  private warn(warning: InpageWarning): void {
    this.onWarning?.(warning);
    this.dispatchEvent(new CustomEvent('warning', { detail: warning }));
  }

  /**
   * Loads a model by registry id: `'mnist'`, `'sentiment'`, an exact `'sentiment@1.0.0'` or a
   * range `'sentiment@^1'`. Downloads (with progress), verifies sha256, caches for offline use,
   * and builds a session on the chosen backend. The model is typed by its task: give `task` to
   * have it typed (and checked: an entry of another task is OPTIONS_INVALID).
   *
   * @example
   * ```ts
   * const digits = await inpage.load('mnist', { onProgress: (p) => bar.value = p.loaded / p.total });
   * const direction = await inpage.load('text-direction', { task: 'image-classification' });
   * const vad = await inpage.load('silero-vad', { task: 'tensor' });
   * ```
   */
  load(spec: 'mnist' | `mnist@${string}`, options?: LoadOptions): Promise<DigitsModel>;
  load(spec: 'sentiment' | `sentiment@${string}`, options?: LoadOptions): Promise<TextModel>;
  load<T extends TaskName>(spec: string, options: LoadOptions & { task: T }): Promise<Model<T>>;
  load(spec: string, options?: LoadOptions): Promise<Model>;
  async load(spec: string, options?: LoadOptions & { task?: TaskName }): Promise<unknown> {
    if (typeof spec !== 'string' || spec.trim() === '') {
      throw new InpageError('OPTIONS_INVALID', `load() needs a model id such as "mnist", got ${typeof spec}`);
    }
    const given = checkObject(options, 'load()', ['signal', 'onProgress', 'task']);
    const signal = checkSignal(given.signal, 'load()');
    const onProgress = checkCallback<DownloadProgress>(given.onProgress, 'onProgress');
    const expected = given.task;
    if (expected !== undefined && !isTaskName(expected)) {
      throw new InpageError('OPTIONS_INVALID', `load()'s task must be one of the task names, got ${JSON.stringify(expected)}`);
    }
    throwIfAborted(signal, `Loading ${spec}`);
    const handle = nextRequestId('m');
    const requestId = nextRequestId();
    const work = this.call(() =>
      this.engine.load(
        { handle, spec, requestId },
        {
          onWarning: (w) => {
            this.warn(w);
          },
          ...(onProgress ? { onProgress } : {}),
        },
      ),
    );
    const info = await abortable(
      work,
      signal,
      () => {
        void this.engine.abort(requestId);
        // If the load wins the race anyway, free what it built: the caller will never get it.
        work
          .then(
            () => this.engine.unload(handle),
            () => undefined,
          )
          .catch(() => undefined);
      },
      `Loading ${spec}`,
    );
    if (this.disposed) {
      // dispose() ran while the load was finishing: the model must not outlive its instance.
      void this.engine.unload(handle).catch(() => undefined);
      throw new InpageError('ABORTED', `Loading ${spec} was cancelled: the inpage instance was disposed`);
    }
    if (expected !== undefined && info.task !== expected) {
      void this.engine.unload(handle).catch(() => undefined);
      throw new InpageError('OPTIONS_INVALID', `${info.id}@${info.version} is a "${info.task}" model, not "${expected}"`, {
        details: { task: info.task, expected },
      });
    }
    const model = new Model(this.engine, handle, info, taskFor(info.task), () => this.models.delete(handle), this.captureWorklet);
    this.models.set(handle, model);
    return model;
  }

  /**
   * Ends the worker now, so that the browser takes back the memory onnxruntime grew for models
   * (it never shrinks while the worker lives); the models you still hold reload from the cache on
   * their next call, and a stream's next push starts on a fresh state. Disposing the last model
   * does this by itself. In-thread, nothing can be given back.
   */
  trim(): void {
    if (!this.disposed) this.engine.trim();
  }

  /** Frees every model and ends the worker. Pending calls settle with ABORTED. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const models = [...this.models.values()];
    this.models.clear();
    await Promise.all(models.map((model) => model.stopListening()));
    await this.engine.dispose();
  }
}
