// The demo is built the way a user's app would be: `import { create } from 'inpage'` resolves to
// the SDK's shipped dist/index.js, so Vite copies the worker and wasm files it names into site/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Where the demo finds registry.json unless the page URL says `?registry=`. */
const registry = process.env.INPAGE_REGISTRY ?? 'models/registry.json';

export default defineConfig({
  root: here('.'),
  // Relative URLs everywhere: site/ works from any static host, under any sub-path.
  base: './',
  publicDir: here('public'),
  resolve: { alias: { inpage: here('../dist/index.js') } },
  define: { __INPAGE_REGISTRY__: JSON.stringify(registry) },
  build: {
    outDir: here('../site'),
    emptyOutDir: true,
    target: 'es2022',
    // Keep the worker and wasm files as files: they are fetched by URL at run time.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: 'warn',
});
