/**
 * The engine's default {@link SessionFactory}: onnxruntime-web, imported lazily per backend
 * (ort-loader.ts), sessions adapted to ModelSession (ort-session.ts), a WebGPU session's device
 * watched for loss (webgpu-device.ts).
 * Owns: nothing of its own; the loaded runtimes are ort-loader.ts's.
 */
import { InpageError } from '../errors.js';
import type { BackendName } from '../protocol/backend-report.js';
import type { AssetUrls } from '../protocol/engine.js';
import type { SessionBuild, SessionFactory, SessionRequest } from './session-factory.js';
import { forgetOrt, loadOrt, wasmBinaryUrl } from './ort-loader.js';
import { createOrtSession } from './ort-session.js';
import { watchDeviceLoss } from './webgpu-device.js';

/** A 76-byte ONNX model (one Identity node on a float) whose session build starts the runtime. */
const WARM_UP_MODEL = 'CAgSBmlucGFnZTo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** Imports onnxruntime for the request's backend and builds the session on it, timing each step. */
async function buildOn({ backend, bytes, hints, assets, threads, adapter }: SessionRequest): Promise<SessionBuild> {
  const started = performance.now();
  const ort = await loadOrt(backend, assets, threads);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- onnxruntime-web still takes the adapter chosen here this way; its replacement would have us create the device
  if (backend === 'webgpu' && adapter) ort.env.webgpu.adapter = adapter;
  const imported = performance.now();
  const session = await createOrtSession(ort, backend, bytes, hints);
  const sessionMs = Math.round(performance.now() - imported);
  const device = backend === 'webgpu' ? await watchDeviceLoss(ort) : null;
  return { session, device, runtimeMs: Math.round(imported - started), sessionMs };
}

export const ortSessionFactory: SessionFactory = {
  async build(request) {
    try {
      return await buildOn(request);
    } catch (error) {
      // onnxruntime never retries a wasm that failed to start: the next build needs a fresh instance.
      if (request.backend === 'wasm' && error instanceof InpageError && error.code === 'BACKEND_UNAVAILABLE') {
        forgetOrt('wasm');
        error.details.url = wasmBinaryUrl('wasm', request.assets);
      }
      throw error;
    }
  },

  /**
   * Importing onnxruntime and compiling its wasm (14 MB) takes about a second, otherwise paid
   * after the model files arrive; started by init() (that is, create()), it overlaps the manifest
   * and model downloads instead. A runtime that fails to start is forgotten, so the first load
   * tries a fresh instance.
   */
  async startRuntime(backend: BackendName, assets: AssetUrls, threads: number): Promise<void> {
    try {
      const ort = await loadOrt(backend, assets, threads);
      const session = await ort.InferenceSession.create(decodeBase64(WARM_UP_MODEL), { executionProviders: ['wasm'] });
      await session.release();
    } catch {
      forgetOrt(backend);
    }
  },
};
