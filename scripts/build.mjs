// Builds dist/: the ES module (+ .d.ts), the <script> IIFE (global `Inpage`), the worker, and
// onnxruntime-web's module and wasm files, all side by side so dist/ can be copied to any host.
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build, createLogger } from 'vite';

/** Vite's logger, less the notice that dist/'s own files are left to be found at run time: that is the point. */
const logger = createLogger();
const warn = logger.warn;
logger.warn = (message, options) => {
  if (!message.includes("doesn't exist at build time")) warn(message, options);
};

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const ortDist = join(root, 'node_modules/onnxruntime-web/dist');

/** Files copied as they are: the worker loads them at run time by URL. */
const ORT_FILES = [
  ['ort.wasm.bundle.min.mjs', 'ort-wasm.mjs'],
  ['ort.webgpu.bundle.min.mjs', 'ort-webgpu.mjs'],
  ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.wasm'],
  ['ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.wasm'],
];

function bundle({ entry, fileName, format, name, minify, split = false }) {
  return build({
    configFile: false,
    root,
    logLevel: 'warn',
    customLogger: logger,
    publicDir: false,
    // A classic script has no import.meta; the <script> build finds its files from its own
    // URL (src/embed.ts) and falls back to the page's.
    define: format === 'iife' ? { 'import.meta.url': 'document.baseURI' } : {},
    build: {
      outDir: dist,
      emptyOutDir: false,
      copyPublicDir: false,
      minify,
      sourcemap: true,
      target: 'es2022',
      // Our own new URL('./file', import.meta.url) references name files that exist only in
      // dist/; they must stay literal for the consumer's bundler, not be resolved here.
      assetsInlineLimit: 0,
      lib: { entry: join(root, entry), formats: [format], name, fileName: () => fileName },
      // The ES build keeps the in-thread engine in a chunk of its own, loaded only without a
      // worker; the worker and the classic script are single files.
      rollupOptions: {
        output: split ? { inlineDynamicImports: false, chunkFileNames: 'inpage-[name]-[hash].js' } : { inlineDynamicImports: true },
      },
    },
  });
}

/**
 * Vite writes `new URL('./x', '' + import.meta.url)` for files it could not find, so that it
 * does not process them again. We want the opposite: the plain form, which the consumer's
 * bundler recognises and answers by copying dist/'s worker and wasm files into its output.
 */
async function keepAssetUrlsLiteral(file) {
  const code = await readFile(file, 'utf8');
  const pattern = /new URL\(("\.\/[^"]+"), "" \+ import\.meta\.url\)/g;
  const count = code.match(pattern)?.length ?? 0;
  if (count !== 6) throw new Error(`expected 6 asset URLs in ${file}, found ${count}`);
  await writeFile(file, code.replace(pattern, 'new URL($1, import.meta.url)'));
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await bundle({ entry: 'src/index.ts', fileName: 'index.js', format: 'es', minify: false, split: true });
await keepAssetUrlsLiteral(join(dist, 'index.js'));
await bundle({ entry: 'src/worker/worker.ts', fileName: 'inpage.worker.js', format: 'es', minify: true });
await bundle({ entry: 'src/embed.ts', fileName: 'inpage.iife.js', format: 'iife', name: 'Inpage', minify: true });
await bundle({ entry: 'src/worklet/capture.ts', fileName: 'inpage.capture.js', format: 'es', minify: true });
for (const [from, to] of ORT_FILES) await cp(join(ortDist, from), join(dist, to));
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

for (const file of ['index.js', 'inpage.iife.js', 'inpage.worker.js', 'inpage.capture.js', ...ORT_FILES.map(([, to]) => to)]) {
  const { size } = await stat(join(dist, file));
  console.log(`dist/${file.padEnd(40)} ${(size / 1024).toFixed(0).padStart(7)} KiB`);
}
