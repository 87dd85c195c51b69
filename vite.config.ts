/**
 * The SDK's build: `npm run build` runs `vite build` once per mode, each writing its part of dist/,
 * then `tsc` for the types. Every file lands side by side in dist/ so that it can be copied to any
 * host and each finds the others by a relative URL.
 *
 *   vite build --mode module    dist/index.js (+ the in-thread engine's lazy chunks) and onnxruntime-web's files
 *   vite build --mode worker    dist/inpage.worker.js, the engine's Web Worker, one file
 *   vite build --mode script    dist/inpage.iife.js, the <script> build with the global `Inpage`
 *   vite build --mode worklet   dist/inpage.capture.js, the AudioWorklet that captures the microphone
 *
 * The ES module is the only mode that empties dist/, so it runs first.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import { copyOrtFiles } from './scripts/vite/copy-ort-files.ts';
import { literalAssetUrls } from './scripts/vite/literal-asset-urls.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

type Mode = 'module' | 'worker' | 'script' | 'worklet';

interface ModeSettings {
  entry: string;
  fileName: string;
  format: 'es' | 'iife';
  minify: boolean;
  /** Only the ES module splits: the in-thread engine is a chunk loaded only without a worker. */
  split: boolean;
}

const MODES: Record<Mode, ModeSettings> = {
  module: { entry: 'src/index.ts', fileName: 'index.js', format: 'es', minify: false, split: true },
  worker: { entry: 'src/worker/worker.ts', fileName: 'inpage.worker.js', format: 'es', minify: true, split: false },
  script: { entry: 'src/embed.ts', fileName: 'inpage.iife.js', format: 'iife', minify: true, split: false },
  worklet: { entry: 'src/worklet/capture.ts', fileName: 'inpage.capture.js', format: 'es', minify: true, split: false },
};

function isMode(mode: string): mode is Mode {
  return Object.hasOwn(MODES, mode);
}

export default defineConfig(({ mode }): UserConfig => {
  if (!isMode(mode)) throw new Error(`vite.config.ts: --mode must be one of ${Object.keys(MODES).join(', ')}, got "${mode}"`);
  const settings = MODES[mode];
  return {
    root,
    logLevel: 'warn',
    publicDir: false,
    // A classic script has no import.meta; the <script> build finds its files from its own URL
    // (src/embed.ts) and falls back to the page's.
    define: settings.format === 'iife' ? { 'import.meta.url': 'document.baseURI' } : {},
    plugins: [
      literalAssetUrls({ requireAll: mode === 'module' }),
      ...(mode === 'module' ? [copyOrtFiles(at('node_modules/onnxruntime-web/dist'))] : []),
    ],
    build: {
      outDir: 'dist',
      emptyOutDir: mode === 'module',
      copyPublicDir: false,
      minify: settings.minify,
      sourcemap: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      lib: { entry: at(settings.entry), formats: [settings.format], name: 'Inpage', fileName: () => settings.fileName },
      rolldownOptions: {
        output: settings.split ? { chunkFileNames: 'inpage-[name]-[hash].js' } : { codeSplitting: false },
      },
    },
  };
});
