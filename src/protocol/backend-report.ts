/**
 * The runtime a model runs on: onnxruntime-web's WASM (CPU) or WebGPU backend.
 * @example
 * ```ts
 * const name: BackendName = inpage.backend.name;   // 'wasm' or 'webgpu'
 * ```
 */
export type BackendName = 'wasm' | 'webgpu';

/**
 * `auto` picks WebGPU only on a real (non-fallback) adapter whose session builds; otherwise WASM.
 * @example
 * ```ts
 * const inpage = await create({ backend: 'webgpu' satisfies BackendPreference });
 * ```
 */
export type BackendPreference = 'auto' | BackendName;

/**
 * What the browser told us about its WebGPU adapter (`GPUAdapter.info`).
 * @example
 * ```ts
 * const adapter: AdapterSummary | undefined = inpage.backend.adapter;
 * if (adapter?.isFallbackAdapter) console.log('software WebGPU: inpage chose WASM');
 * ```
 */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

/**
 * Which backend runs, and why: reported, never silent.
 * @example
 * ```ts
 * const { name, reason, fallbackFrom } = inpage.backend;
 * console.log(`${name} because ${reason}`, fallbackFrom ?? '');
 * ```
 */
export interface BackendReport {
  name: BackendName;
  reason: string;
  requested: BackendPreference;
  adapter?: AdapterSummary;
  /** Set when the backend changed after start-up (e.g. WebGPU device lost, then WASM). */
  fallbackFrom?: BackendName;
  /** onnxruntime-web's wasm threads (WASM runs, and WebGPU's CPU kernels), and why that many. */
  threads: { count: number; reason: string };
}
