/**
 * Loads onnxruntime-web lazily, once per backend: the wasm-only build (14 MB of wasm) unless
 * WebGPU really runs, and the WebGPU build only then. The module and its wasm are fetched from
 * URLs the client resolved next to our bundle, never from a third-party host.
 */
import { InpageError } from '../errors.js';
import type { AssetUrls } from '../protocol/engine.js';
import type { BackendName } from '../protocol/backend-report.js';

export type Ort = typeof import('onnxruntime-web');

const loading = new Map<BackendName, Promise<Ort>>();
/** Bumped when a backend's wasm failed to start: onnxruntime never retries a failed init, so a retry needs a fresh module instance. */
const generation = new Map<BackendName, number>();

function isOrtModule(value: unknown): value is Ort {
  return typeof value === 'object' && value !== null && 'InferenceSession' in value && 'Tensor' in value && 'env' in value;
}

async function importOrt(backend: BackendName, assets: AssetUrls, numThreads: number): Promise<Ort> {
  const baseUrl = backend === 'webgpu' ? assets.ortWebgpuModule : assets.ortWasmModule;
  const attempt = generation.get(backend) ?? 0;
  const moduleUrl = attempt === 0 ? baseUrl : `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}attempt=${attempt}`;
  let loaded: unknown;
  try {
    // A URL known only at run time: the consumer's bundler must leave this import to the browser
    // (webpack would otherwise route it through its own module map and fail, in-thread).
    loaded = await import(/* webpackIgnore: true */ /* @vite-ignore */ moduleUrl);
  } catch (error) {
    throw new InpageError('BACKEND_UNAVAILABLE', `onnxruntime-web (${backend}) could not be loaded from ${moduleUrl}: ${String(error)}`, {
      cause: error,
      details: { url: moduleUrl },
    });
  }
  if (!isOrtModule(loaded)) {
    throw new InpageError('BACKEND_UNAVAILABLE', `${moduleUrl} is not onnxruntime-web`, { details: { url: moduleUrl } });
  }
  const ort = loaded;
  ort.env.wasm.wasmPaths = { wasm: wasmBinaryUrl(backend, assets) };
  ort.env.wasm.numThreads = numThreads;
  // We already run in a worker (or the caller chose in-thread); ORT's own proxy worker would add a hop.
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return ort;
}

/**
 * Forgets a backend whose wasm failed to start (e.g. the server sent an HTML page instead), so
 * the next load imports a fresh onnxruntime instance and tries again.
 */
export function forgetOrt(backend: BackendName): void {
  loading.delete(backend);
  generation.set(backend, (generation.get(backend) ?? 0) + 1);
}

/** The wasm binary's URL, for error messages. */
export function wasmBinaryUrl(backend: BackendName, assets: AssetUrls): string {
  return backend === 'webgpu' ? assets.ortWebgpuBinary : assets.ortWasmBinary;
}

/** One import per backend; a failed import is forgotten so a later call can retry. */
export function loadOrt(backend: BackendName, assets: AssetUrls, numThreads: number): Promise<Ort> {
  let pending = loading.get(backend);
  if (!pending) {
    pending = importOrt(backend, assets, numThreads);
    loading.set(backend, pending);
    pending.catch(() => loading.delete(backend));
  }
  return pending;
}
