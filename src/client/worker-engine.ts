/**
 * The engine in a Web Worker. Each call goes to the live worker (worker-life.ts); after a death
 * the next call starts a fresh worker and reloads the models it needs (requests carry the model's
 * handle, and this class keeps the exact version each handle resolved to).
 * Owns: the live worker and the ones trim() is ending, the handle → version map, and the page's
 * event handlers, which every worker's messages reach.
 */
import { InpageError } from '../errors.js';
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
import type { TaskInput } from '../protocol/task-io.js';
import type { CachedModelInfo } from '../protocol/cached-model.js';
import { transferablesOf as tensorBuffers } from '../tasks/tensors.js';
import { WorkerLife } from './worker-life.js';

/** The input's buffers move to the worker instead of being copied (the page has no further use for them). */
function transferablesOf(input: TaskInput): Transferable[] {
  if (input.kind === 'texts') return [];
  if (input.kind === 'tensors') return tensorBuffers(input.feeds);
  const data = input.kind === 'audio' ? input.samples : input.data;
  return data.buffer instanceof ArrayBuffer ? [data.buffer] : [];
}

export class WorkerEngine implements Engine {
  private life: WorkerLife | null = null;
  private starting: Promise<WorkerLife> | null = null;
  private config: EngineConfig | null = null;
  private events: EngineEvents | null = null;
  private report: BackendReport | null = null;
  /** What each handle is, so a fresh worker can reload it on first use. */
  private readonly specs = new Map<string, string>();
  /** load() calls not yet settled: a worker with a load coming is not idle. */
  private loads = 0;
  /** Workers ended by trim() that are still finishing the calls sent to them. */
  private readonly retiring = new Set<WorkerLife>();
  private disposed = false;

  /** @param startTimeoutMs - how long a worker may take to start (script, runtime, backend check) before it is given up as TIMEOUT */
  constructor(
    private readonly workerUrl: URL,
    private readonly startTimeoutMs: number,
  ) {}

  private spawn(): WorkerLife {
    // Every worker reports to the same handlers, so a restarted one reaches the same page.
    return new WorkerLife(
      this.workerUrl,
      (change) => this.events?.onBackendChange(change),
      (dead) => {
        if (this.life === dead) this.life = null;
      },
    );
  }

  private async start(): Promise<WorkerLife> {
    const config = this.config;
    if (!config) throw new InpageError('INTERNAL', 'The engine was used before init()');
    const life = this.spawn();
    // A worker script that never arrives (a proxy holding the request open) fires no event at
    // all: only a deadline turns that silence into an answer.
    const deadline = setTimeout(() => {
      life.die(`it did not start within ${this.startTimeoutMs} ms`, 'TIMEOUT');
    }, this.startTimeoutMs);
    try {
      this.report = await life.call((remote) => remote.init(config));
    } catch (error) {
      // A worker that failed to start (e.g. BACKEND_UNAVAILABLE) must not linger holding its lock.
      life.retire('it failed to start');
      throw error;
    } finally {
      clearTimeout(deadline);
    }
    if (this.disposed) {
      life.retire('the inpage instance was disposed');
      throw new InpageError('DISPOSED', 'This inpage instance was disposed');
    }
    life.watchLock();
    return life;
  }

  /** The live worker, starting one when the last one died. */
  private ensure(): Promise<WorkerLife> {
    if (this.disposed) return Promise.reject(new InpageError('DISPOSED', 'This inpage instance was disposed'));
    if (this.life && !this.life.dead) return Promise.resolve(this.life);
    this.starting ??= this.start().then(
      (life) => {
        this.life = life;
        this.starting = null;
        return life;
      },
      (error: unknown) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  /**
   * Runs `work` on the live worker. A worker that trim() retired while this call waited for it
   * (e.g. `load(); trim();` in one turn) is passed over for a fresh one, so the call is not lost.
   */
  private async onWorker<T>(work: (life: WorkerLife) => Promise<T>): Promise<T> {
    let life = await this.ensure();
    while (life.retiring) life = await this.ensure();
    return work(life);
  }

  async init(config: EngineConfig, events: EngineEvents): Promise<BackendReport> {
    this.config = config;
    this.events = events;
    await this.ensure();
    if (!this.report) throw new InpageError('INTERNAL', 'The worker reported no backend');
    return this.report;
  }

  async load(request: LoadRequest, events: LoadEvents): Promise<ModelInfo> {
    this.loads += 1;
    try {
      return await this.onWorker(async (life) => {
        const stopListening = life.channel.listen(request.requestId, events);
        const info = await life.call((remote) => remote.load(request)).finally(stopListening);
        // The exact version, not the spec: a reload in a fresh worker must not pick up a newer one.
        this.specs.set(request.handle, `${info.id}@${info.version}`);
        life.loaded.add(request.handle);
        return info;
      });
    } finally {
      this.loads -= 1;
    }
  }

  /** The worker that has this model, reloading it (from the cache) into a fresh worker after a restart. */
  private withModelLoaded(handle: string): Promise<WorkerLife> {
    return this.onWorker(async (life) => {
      if (!life.loaded.has(handle)) {
        const spec = this.specs.get(handle);
        // The handle is gone only if dispose() ran after this prediction was asked for.
        if (spec === undefined) throw new InpageError('ABORTED', 'The model was disposed before the prediction ran');
        await life.call((remote) => remote.load({ handle, spec, requestId: `reload-${handle}` }));
        life.loaded.add(handle);
      }
      return life;
    });
  }

  predict(request: PredictRequest): Promise<PredictResponse> {
    const send = (life: WorkerLife): Promise<PredictResponse> => life.call((_, channel) => channel.predict(request, transferablesOf(request.input)));
    // The common case, a live worker that has the model, goes straight to the message.
    const life = this.life;
    if (life && !life.dead && life.loaded.has(request.handle)) return send(life);
    return this.withModelLoaded(request.handle).then(send);
  }

  /** Told to every worker that may hold the request: the live one, and any that trim() is ending. */
  async abort(requestId: string): Promise<void> {
    const lives = [this.life, ...this.retiring].filter((life): life is WorkerLife => life !== null && !life.dead);
    await Promise.all(lives.map((life) => life.call((remote) => remote.abort(requestId)).catch(() => undefined)));
  }

  async unload(handle: string): Promise<void> {
    this.specs.delete(handle);
    const life = this.life;
    if (!life || life.dead) return;
    life.loaded.delete(handle);
    // Always told: the worker may be loading this handle right now (a reload after a restart).
    await life.call((remote) => remote.unload(handle));
    if (this.specs.size === 0 && this.loads === 0) this.trim('its last model was disposed');
  }

  /**
   * Ends the worker, so that the browser takes back its memory: onnxruntime's wasm memory only
   * grows, and a worker is the one thing whose end returns it. Calls already sent settle first;
   * the next call starts a fresh worker, which reloads the models still in use from the cache.
   */
  trim(reason = 'inpage.trim() was called'): void {
    const life = this.life;
    if (!life || life.dead) return;
    this.life = null;
    this.retiring.add(life);
    life.retireWhenIdle(reason, () => this.retiring.delete(life));
  }

  cacheList(): Promise<CachedModelInfo[]> {
    return this.onWorker((life) => life.call((remote) => remote.cacheList()));
  }

  cacheDelete(id: string, version?: string): Promise<number> {
    return this.onWorker((life) => life.call((remote) => remote.cacheDelete(id, version)));
  }

  cacheClear(): Promise<void> {
    return this.onWorker((life) => life.call((remote) => remote.cacheClear()));
  }

  cachePrune(): Promise<number> {
    return this.onWorker((life) => life.call((remote) => remote.cachePrune()));
  }

  cachePersist(): Promise<boolean> {
    return this.onWorker((life) => life.call((remote) => remote.cachePersist()));
  }

  stats(): Promise<EngineStats> {
    return this.onWorker((life) => life.call((remote) => remote.stats()));
  }

  simulateDeviceLoss(): Promise<boolean> {
    return this.onWorker((life) => life.call((remote) => remote.simulateDeviceLoss()));
  }

  /** Kills the worker as a crash would: pending calls reject with WORKER_CRASHED. */
  terminateWorker(): void {
    this.life?.die('it was terminated');
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // A worker still starting retires itself when it sees `disposed` (start()).
    await this.starting?.catch(() => undefined);
    // Workers trim() is ending are ended now: their pending calls settle with ABORTED.
    for (const retiring of [...this.retiring]) retiring.retire('the inpage instance was disposed');
    const life = this.life;
    this.life = null;
    if (!life || life.dead) return;
    // Let the worker free its sessions, but never wait long on a worker that may be stuck.
    await Promise.race([life.call((remote) => remote.dispose()).catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    life.retire('the inpage instance was disposed');
  }
}
