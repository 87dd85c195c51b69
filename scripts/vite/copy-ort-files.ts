/**
 * Copies onnxruntime-web's module and wasm files into dist/ under the names src/client/assets.ts
 * asks for. They are not imported by our code, so Vite would not emit them: the worker loads them
 * at run time by URL, and the wasm-only bundle is the default because the WebGPU one is twice its size.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { ASSET_FILES } from '../../src/client/assets.ts';

/** onnxruntime-web's file name → the name in dist/. */
export const ORT_FILES: readonly (readonly [from: string, to: string])[] = [
  ['ort.wasm.bundle.min.mjs', ASSET_FILES.ortWasmModule],
  ['ort.webgpu.bundle.min.mjs', ASSET_FILES.ortWebgpuModule],
  ['ort-wasm-simd-threaded.wasm', ASSET_FILES.ortWasmBinary],
  ['ort-wasm-simd-threaded.asyncify.wasm', ASSET_FILES.ortWebgpuBinary],
];

/**
 * Copied in writeBundle rather than emitted as assets: 40 MB of wasm through emitFile would be
 * held in memory and gzipped for Vite's size report on every build, for nothing.
 */
export function copyOrtFiles(ortDist: string): Plugin {
  return {
    name: 'inpage:copy-ort-files',
    apply: 'build',
    async writeBundle(options) {
      const outDir = options.dir;
      if (outDir === undefined) throw new Error('inpage:copy-ort-files needs an output directory');
      await Promise.all(ORT_FILES.map(([from, to]) => copyFile(join(ortDist, from), join(outDir, to))));
    },
  };
}
