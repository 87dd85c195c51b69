// Everything the benchmark needs on disk before the browser starts: dist/ (built if missing), the
// transformers.js browser bundle (Vite, into bench/.tmp/tjs) and the models to measure.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shippedModel } from '../../scripts/shipped-models.mjs';

const DIST_FILES = [
  'index.js',
  'inpage.iife.js',
  'inpage.worker.js',
  'ort-wasm.mjs',
  'ort-webgpu.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.wasm',
];

/**
 * Builds dist/ when it is missing, then snapshots it to bench/.tmp/dist, which the pages load:
 * a build started elsewhere (npm test empties dist/ first) must not pull files from under a run.
 * Returns the snapshot's URL path.
 */
export async function ensureDist(root) {
  const complete = () => DIST_FILES.every((f) => existsSync(join(root, 'dist', f)));
  if (!complete()) {
    console.log('bench: dist/ is missing or incomplete; running npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const snapshot = join(root, 'bench/.tmp/dist');
  await rm(snapshot, { recursive: true, force: true });
  await mkdir(snapshot, { recursive: true });
  // Everything the build wrote (it also emits lazily loaded chunks), not only the named entries.
  await cp(join(root, 'dist'), snapshot, { recursive: true });
  return '/bench/.tmp/dist/';
}

/** Bundles transformers.js for the browser, as an app with Vite would. Cached by package version. */
export async function ensureTransformersBundle(root) {
  const out = join(root, 'bench/.tmp/tjs');
  const pkg = JSON.parse(await readFile(join(root, 'node_modules/@huggingface/transformers/package.json'), 'utf8'));
  const stamp = join(out, 'version.txt');
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === pkg.version && existsSync(join(out, 'transformers.bundle.js'))) {
    return { dir: out, version: pkg.version };
  }
  const { build } = await import('vite');
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    publicDir: false,
    build: {
      outDir: out,
      emptyOutDir: true,
      minify: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      // An app build, not a library build: library mode would inline the wasm as base64.
      rollupOptions: {
        input: join(root, 'bench/pages/tjs-entry.js'),
        preserveEntrySignatures: 'exports-only',
        output: { entryFileNames: 'transformers.bundle.js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
      },
    },
  });
  await writeFile(stamp, pkg.version);
  return { dir: out, version: pkg.version };
}

/** The folder of onnxruntime-web that transformers.js resolves (its own nested copy when it has one). */
export function transformersOrtDist(root) {
  const nested = join(root, 'node_modules/@huggingface/transformers/node_modules/onnxruntime-web/dist');
  return existsSync(nested) ? nested : join(root, 'node_modules/onnxruntime-web/dist');
}

/** The shipped models (public/models): the digits and sentiment ids and the sentiment folder, relative to root. */
export function chooseModels(root) {
  const sentiment = shippedModel('sentiment', join(root, 'public/models'));
  return {
    root: join(root, 'public/models'),
    digits: 'mnist',
    sentiment: 'sentiment',
    sentimentVersion: sentiment.version,
    sentimentDir: `sentiment/${sentiment.version}`,
  };
}

export async function fileSize(path) {
  return (await stat(path)).size;
}
