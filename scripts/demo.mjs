#!/usr/bin/env node
// npm run demo: builds the SDK (if stale) and the demo, then serves the demo on
// http://127.0.0.1:5173 ($PORT) and the model CDN on http://127.0.0.1:4174 ($INPAGE_CDN_PORT)
// until Ctrl-C. The page loads its models from that CDN, as it would from a real one.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildDemo } from './build-demo.mjs';
import { startCdnServer } from './cdn-server.mjs';
import { startPageServer } from '../e2e/servers/page-server.mjs';

const port = Number(process.env.PORT ?? 5173);
const cdnPort = Number(process.env.INPAGE_CDN_PORT ?? 4174);
const registry = process.env.INPAGE_REGISTRY ?? `http://127.0.0.1:${cdnPort}/models/registry.json`;
const models = fileURLToPath(new URL('../public/models', import.meta.url));

/** Resolves when nothing listens on the port (the page server has no error path of its own). */
function checkPortFree(p) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new Error(`Port ${p} is in use. Stop what runs there, or set PORT=…`)));
    probe.listen(p, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Starts the CDN, or reuses one already serving registry.json on that port (e.g. the tests'). */
async function startOrReuseCdn() {
  try {
    return await startCdnServer({ port: cdnPort, root: models, quiet: true });
  } catch (error) {
    const url = `http://127.0.0.1:${cdnPort}`;
    const answers = await fetch(`${url}/models/registry.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (error?.code !== 'EADDRINUSE' || !answers) throw error;
    console.log(`A model CDN already runs on port ${cdnPort}; using it.`);
    return { url, close: async () => undefined };
  }
}

await checkPortFree(port);
// The voice card's model (Silero VAD) comes from its npm package, published by the CLI.
execFileSync(process.execPath, [fileURLToPath(new URL('./extra-models/publish.mjs', import.meta.url))], { stdio: 'inherit' });
const site = await buildDemo({ registry });
const cdn = await startOrReuseCdn();
// Cross-origin isolated (COOP + COEP), so that onnxruntime may run several wasm threads.
const pages = await startPageServer({ root: site, port, isolate: true });
console.log(`
  inpage demo   ${pages.url}/
  model CDN     ${cdn.url}/models/registry.json

  Press Ctrl-C to stop.
`);

function stop() {
  pages.close();
  void cdn.close().finally(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
