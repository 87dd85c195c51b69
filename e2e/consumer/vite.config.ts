import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Relative base: the built app is served from /e2e/consumer/dist/ by the test server.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
