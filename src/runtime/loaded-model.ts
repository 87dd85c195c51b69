/**
 * One loaded model in the engine: its files, its session on the current backend, its task
 * runner and its run queue. Owns the WebGPU-to-WASM recovery: when the GPU device is lost,
 * the session is rebuilt on WASM and the batch that failed is replayed.
 * Owns: the model's session and so its backend (`info.backend`, the one record of it; the engine
 * pushes each change to the page); the session is built through the engine's SessionFactory.
 */
import { InpageError } from '../errors.js';
import type { BackendName, BackendReport } from '../protocol/backend-report.js';
import type { EngineConfig } from '../protocol/engine.js';
import type { ModelInfo } from '../protocol/model-info.js';
import type { TaskInput, TaskOutput } from '../protocol/task-io.js';
import type { LoadedModelFiles } from '../registry/load-model-files.js';
import type { PreparedRequest, TaskRunner } from '../tasks/task.js';
import { isTaskName, taskFor } from '../tasks/task-table.js';
import { checkFiniteResult } from '../tasks/finite-result.js';
import { createTensorRunner } from '../tasks/tensor.js';
import type { ModelSession } from './model-session.js';
import type { SessionBuild, SessionFactory } from './session-factory.js';
import { RunQueue } from './run-queue.js';

export interface LoadedModelOptions {
  handle: string;
  files: LoadedModelFiles;
  backend: () => { report: BackendReport; config: EngineConfig; adapter: GPUAdapter | null };
  /** Builds the model's sessions (onnxruntime-web's factory, or a test's). */
  sessions: SessionFactory;
  /**
   * Tells the engine that WebGPU failed, so later loads go straight to WASM. `moved`: this
   * model's own running session moved to WASM (not a build that fell back while loading).
   */
  onBackendLost: (reason: string, moved: boolean) => void;
  maxBatch: number;
  started: number;
  /** When the files were in hand (the rest of the load is runtime and session). */
  filesReady: number;
}

interface BuiltSession extends SessionBuild {
  backend: BackendName;
}

/**
 * Runs the model once on the runner's example input. The first run of a model in a page pays
 * one-time costs: the browser compiles each wasm function the first time it is called, and
 * onnxruntime makes its first allocations. With sentiment 1.2.0 that run takes 40-150 ms against
 * 3 ms later (bench/README.md); paid here, while the page waits for load() anyway, the user's
 * first call does not. One run only: the slower calls that follow on a fresh page (the browser
 * optimising hot code in the background over 1-3 s) were not shortened by 600 ms of extra runs.
 * Never throws: a model that cannot run says so, with a proper error, on its first real call.
 */
async function warmUp(runner: Runner, session: ModelSession): Promise<number> {
  const started = performance.now();
  try {
    await runner.run(session, [runner.prepare(runner.warmUpInput())]);
  } catch {
    // Reported by the first predict() instead.
  }
  return Math.round(performance.now() - started);
}

type Runner = TaskRunner<PreparedRequest, TaskOutput>;

/** A request in the run queue, with the runner that prepared it (only its own requests are batched together). */
interface QueuedRequest {
  runner: Runner;
  prepared: PreparedRequest;
}

function hasDynamicBatch(files: LoadedModelFiles): boolean {
  const first = files.entry.inputs[0]?.shape[0];
  return typeof first === 'string';
}

export class LoadedModel {
  private readonly queue: RunQueue<QueuedRequest, TaskOutput>;
  /** The model's tensors as they are, for run(), whatever its task. */
  private readonly tensorRunner: Runner;
  /** Rows one run may take: maxBatch, or 1 for a model without a dynamic batch axis. */
  private readonly maxRows: number;
  private built: BuiltSession;
  info: ModelInfo;

  private constructor(
    private readonly options: LoadedModelOptions,
    private readonly runner: Runner,
    built: BuiltSession,
    warmUpMs: number,
  ) {
    this.built = built;
    const { files } = options;
    this.info = {
      id: files.id,
      version: files.version,
      task: files.entry.task,
      backend: built.backend,
      labels: files.entry.labels ?? [],
      inputs: files.entry.inputs,
      outputs: files.entry.outputs,
      ...(files.entry.preprocess ? { preprocess: files.entry.preprocess } : {}),
      bytesDownloaded: files.bytesDownloaded,
      fromCache: files.fromCache,
      loadMs: Math.round(performance.now() - options.started),
      timings: { filesMs: Math.round(options.filesReady - options.started), runtimeMs: built.runtimeMs, sessionMs: built.sessionMs, warmUpMs },
      metrics: files.entry.metrics ?? {},
      license: files.entry.license ?? 'unspecified',
    };
    this.maxRows = hasDynamicBatch(files) ? options.maxBatch : 1;
    this.tensorRunner = createTensorRunner(files.entry.inputs);
    this.queue = new RunQueue(
      (batch) => this.runBatch(batch),
      this.maxRows,
      (first, next) => first.runner === next.runner && !first.runner.runsAlone,
    );
  }

  static async create(options: LoadedModelOptions): Promise<LoadedModel> {
    const { files } = options;
    if (!isTaskName(files.entry.task)) throw new InpageError('MANIFEST_INVALID', `Unknown task "${String(files.entry.task)}"`);
    const runner: Runner = await taskFor(files.entry.task).createRunner(files.entry, files.files);
    const built = await LoadedModel.build(options);
    // onnxruntime holds its own copy of the model; ours is only needed to rebuild after a GPU loss.
    if (built.backend === 'wasm') files.files.delete('model');
    const warmUpMs = await warmUp(runner, built.session);
    return new LoadedModel(options, runner, built, warmUpMs);
  }

  /** Builds the session on the engine's backend, or on WASM where `wasmOnly` (a rebuild after a device loss). */
  private static async build(options: LoadedModelOptions, wasmOnly = false): Promise<BuiltSession> {
    const bytes = options.files.files.get('model');
    if (!bytes) throw new InpageError('MANIFEST_INVALID', `${options.files.id} has no file with role "model"`);
    const { report, config, adapter } = options.backend();
    const request = { bytes, hints: options.files.entry.runtime, assets: config.assets, threads: report.threads.count };
    if (report.name === 'webgpu' && !wasmOnly) {
      try {
        return { ...(await options.sessions.build({ ...request, backend: 'webgpu', adapter })), backend: 'webgpu' };
      } catch (error) {
        // A forced WebGPU fails loudly; `auto` falls back to WASM and says why.
        if (report.requested === 'webgpu') {
          throw new InpageError('BACKEND_UNAVAILABLE', `WebGPU could not run ${options.files.id}: ${String(error)}`, { cause: error });
        }
        options.onBackendLost(`the WebGPU session failed to build (${String(error)})`, false);
      }
    }
    return { ...(await options.sessions.build({ ...request, backend: 'wasm', adapter: null })), backend: 'wasm' };
  }

  get pending(): number {
    return this.queue.pending;
  }

  /** Session runs made for requests (each coalesced batch is one; the load's warm-up run is not counted). */
  get runs(): number {
    return this.queue.runs;
  }

  /**
   * Runs the task on one request, or (`tensors`) the model on named tensors as `run()` does.
   * Both share one queue, so the session never runs twice at once.
   */
  async predict(input: TaskInput, signal: AbortSignal, tensors = false): Promise<TaskOutput> {
    const output = await this.runRequest(input, signal, tensors);
    checkFiniteResult(output.result, this.info.id);
    return output;
  }

  private async runRequest(input: TaskInput, signal: AbortSignal, tensors: boolean): Promise<TaskOutput> {
    const runner = tensors ? this.tensorRunner : this.runner;
    // Validation and pre-processing happen at submit time, so bad input fails fast and alone.
    const prepared = runner.prepare(input);
    if (prepared.rows <= this.maxRows) return this.queue.submit({ runner, prepared }, prepared.rows, signal);
    // predict(string[]) of more texts than one run takes (or any array on a fixed-batch model).
    const parts = runner.split(prepared, this.maxRows);
    return runner.join(await Promise.all(parts.map((part) => this.queue.submit({ runner, prepared: part }, part.rows, signal))));
  }

  private async runBatch(batch: QueuedRequest[]): Promise<TaskOutput[]> {
    const first = batch[0];
    if (!first) return [];
    const requests = batch.map((queued) => queued.prepared);
    const built = this.built;
    try {
      if (built.device?.lost) throw new InpageError('BACKEND_UNAVAILABLE', built.device.lost);
      return await first.runner.run(built.session, requests);
    } catch (error) {
      const lost = built.device ? await built.device.settle() : null;
      if (!lost) throw error;
      await this.rebuildOnWasm(lost);
      return first.runner.run(this.built.session, requests);
    }
  }

  private async rebuildOnWasm(reason: string): Promise<void> {
    const old = this.built;
    this.built = await LoadedModel.build(this.options, true);
    this.info = { ...this.info, backend: this.built.backend };
    this.options.onBackendLost(`the WebGPU device was lost (${reason}); the session was rebuilt on WASM`, true);
    await old.session.release().catch(() => undefined);
  }

  /** Destroys the GPU device this model's session uses (fault injection); false on WASM. */
  destroyDevice(): boolean {
    if (!this.built.device) return false;
    this.built.device.destroy();
    return true;
  }

  async dispose(): Promise<void> {
    await this.queue.close(new InpageError('ABORTED', `${this.info.id} was disposed`));
    await this.built.session.release().catch(() => undefined);
  }
}
