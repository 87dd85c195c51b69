/**
 * Where the worker and onnxruntime-web's files are. They ship beside our bundle and are found
 * relative to it: `import.meta.url` for the ES module, and for the <script> build the script's
 * own URL (the bundler rewrites import.meta.url to it). The build writes these
 * `new URL('./file', import.meta.url)` expressions as literals, so a consumer's bundler (Vite,
 * webpack) sees them and copies the files into its own output.
 */
import type { AssetUrls } from '../protocol/engine.js';
import { optionalGlobals } from '../optional-globals.js';

export interface RuntimeAssets {
  /** Spawns the engine worker; absent when the caller gave no way to find it. */
  worker: URL;
  /** The AudioWorklet module that captures microphone audio for `listen()`. */
  captureWorklet: URL;
  assets: AssetUrls;
}

/** The files of dist/, by the name they have there. */
export const ASSET_FILES = {
  worker: 'inpage.worker.js',
  captureWorklet: 'inpage.capture.js',
  ortWasmModule: 'ort-wasm.mjs',
  ortWebgpuModule: 'ort-webgpu.mjs',
  ortWasmBinary: 'ort-wasm-simd-threaded.wasm',
  ortWebgpuBinary: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/** Assets under an explicit base URL (self-hosting, or a CDN of your own). */
export function assetsUnder(base: string | URL): RuntimeAssets {
  const root = new URL(base, optionalGlobals.location?.href);
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  const at = (file: string): string => new URL(file, root).href;
  return {
    worker: new URL(ASSET_FILES.worker, root),
    captureWorklet: new URL(ASSET_FILES.captureWorklet, root),
    assets: {
      ortWasmModule: at(ASSET_FILES.ortWasmModule),
      ortWebgpuModule: at(ASSET_FILES.ortWebgpuModule),
      ortWasmBinary: at(ASSET_FILES.ortWasmBinary),
      ortWebgpuBinary: at(ASSET_FILES.ortWebgpuBinary),
    },
  };
}

/**
 * The assets beside this bundle. Each URL is spelled out in full (not built in a loop) because
 * bundlers only recognise the literal `new URL('./x', import.meta.url)` form. `@vite-ignore` keeps
 * our own build from resolving them (the files exist only in dist/); the comment itself is dropped
 * from the output, so the consumer's bundler sees the plain form and copies the files.
 * scripts/vite/check-asset-urls.ts fails the build if any of them stops being literal.
 */
export function bundledAssets(): RuntimeAssets {
  return {
    worker: new URL(/* @vite-ignore */ './inpage.worker.js', import.meta.url),
    captureWorklet: new URL(/* @vite-ignore */ './inpage.capture.js', import.meta.url),
    assets: {
      ortWasmModule: new URL(/* @vite-ignore */ './ort-wasm.mjs', import.meta.url).href,
      ortWebgpuModule: new URL(/* @vite-ignore */ './ort-webgpu.mjs', import.meta.url).href,
      ortWasmBinary: new URL(/* @vite-ignore */ './ort-wasm-simd-threaded.wasm', import.meta.url).href,
      ortWebgpuBinary: new URL(/* @vite-ignore */ './ort-wasm-simd-threaded.asyncify.wasm', import.meta.url).href,
    },
  };
}
