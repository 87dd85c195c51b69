/**
 * create(): validates options, finds the runtime files, starts the engine (a Web Worker by
 * default, in-thread where Workers are unavailable or fail to start) and reports the backend.
 * Owns: only the choice of engine, made once; the backend report it starts with is the engine's,
 * handed to the instance, which follows the engine's changes from then on.
 */
import { InpageError } from '../errors.js';
import type { BackendChange, Engine, EngineConfig, EngineEvents } from '../protocol/engine.js';
import type { InpageWarning } from '../protocol/events.js';
import { assetsUnder, bundledAssets, type RuntimeAssets } from './assets.js';
import { Inpage } from './inpage.js';
import { resolveCreateOptions, type CreateOptions } from './options.js';
import { WorkerEngine } from './worker-engine.js';

let defaultAssetBase: string | undefined;

/** @internal The <script> build sets this to its own folder, captured while the script runs. */
export function setDefaultAssetBase(base: string): void {
  defaultAssetBase = base;
}

function runtimeAssets(assetBase: string | URL | undefined): RuntimeAssets {
  if (assetBase !== undefined) return assetsUnder(assetBase);
  if (defaultAssetBase !== undefined) return assetsUnder(defaultAssetBase);
  return bundledAssets();
}

/**
 * Starts inpage.
 *
 * @example
 * ```ts
 * import { create } from 'inpage';
 * const inpage = await create();                 // registry: models/registry.json next to the page
 * console.log(inpage.backend.name, inpage.backend.reason);
 * const digits = await inpage.load('mnist');
 * const { label } = await digits.predict(canvas);
 * ```
 */
export async function create(options?: CreateOptions): Promise<Inpage> {
  const resolved = resolveCreateOptions(options);
  const runtime = runtimeAssets(resolved.assetBase);
  const config: EngineConfig = {
    backend: resolved.backend,
    registryUrls: resolved.registryUrls,
    assets: runtime.assets,
    cache: resolved.cache,
    numThreads: resolved.numThreads,
    maxBatch: resolved.maxBatch,
    allowedOrigins: resolved.allowedOrigins,
    stallTimeoutMs: resolved.stallTimeoutMs,
    retries: resolved.retries,
  };
  const warn = (warning: InpageWarning): void => resolved.onWarning?.(warning);
  const page = { onWarning: warn, captureWorklet: runtime.captureWorklet };

  if (resolved.worker && typeof Worker !== 'undefined') {
    const engine = new WorkerEngine(runtime.worker, resolved.workerTimeoutMs);
    try {
      return await startInpage(engine, config, {
        ...page,
        inWorker: true,
        crashWorker: () => {
          engine.terminateWorker();
        },
      });
    } catch (error) {
      await engine.dispose();
      // A worker that cannot start (blocked by CSP, file missing) should not stop the page: run in-thread.
      if (!(error instanceof InpageError) || (error.code !== 'WORKER_CRASHED' && error.code !== 'TIMEOUT')) throw error;
      warn({ code: 'WORKER_UNAVAILABLE', message: `The worker did not start (${error.message}); running in-thread` });
    }
  }
  // Loaded only here: a page whose models run in the worker never downloads the engine itself.
  const { CoreEngine } = await import('../runtime/core-engine.js');
  return startInpage(new CoreEngine(), config, { ...page, inWorker: false });
}

/**
 * @internal Starts an engine and the instance over it, the engine's backend changes relayed to
 * the instance. create() runs it on a WorkerEngine or a CoreEngine; the unit tests on a
 * CoreEngine over scripted sessions.
 */
export async function startInpage(
  engine: Engine,
  config: EngineConfig,
  options: Omit<ConstructorParameters<typeof Inpage>[2], 'listenBackend'>,
): Promise<Inpage> {
  const relay = backendRelay();
  const report = await engine.init(config, relay.events);
  return new Inpage(engine, report, { ...options, listenBackend: relay.connect });
}

/** The engine's backend changes, handed on to the instance once it exists (none can come before init() returns). */
function backendRelay(): { events: EngineEvents; connect: (deliver: (change: BackendChange) => void) => void } {
  let deliver: ((change: BackendChange) => void) | null = null;
  return {
    events: { onBackendChange: (change) => deliver?.(change) },
    connect: (to) => {
      deliver = to;
    },
  };
}
