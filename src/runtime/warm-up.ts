/**
 * Starts onnxruntime early: importing its module and compiling its wasm (14 MB) takes about a
 * second, and is otherwise paid after the model files arrive. The engine's init() (that is,
 * create()) calls this, so the compile overlaps the manifest and model downloads instead of following them.
 */
import type { BackendName } from '../protocol/backend-report.js';
import type { AssetUrls } from '../protocol/engine.js';
import { forgetOrt, loadOrt } from './ort-loader.js';

/** A 76-byte ONNX model (one Identity node on a float) whose session build starts the runtime. */
const WARM_UP_MODEL = 'CAgSBmlucGFnZTo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/**
 * Never rejects: a runtime that fails to start here fails again, with a proper error, when a
 * model loads. It is forgotten so that load tries a fresh instance.
 */
export async function warmUp(backend: BackendName, assets: AssetUrls, numThreads: number): Promise<void> {
  try {
    const ort = await loadOrt(backend, assets, numThreads);
    const session = await ort.InferenceSession.create(decodeBase64(WARM_UP_MODEL), { executionProviders: ['wasm'] });
    await session.release();
  } catch {
    forgetOrt(backend);
  }
}
