#!/usr/bin/env node
// Builds the demo site into site/: a static folder that works from any host, under any sub-path.
//   node scripts/build-demo.mjs                     models copied into site/models, registry models/registry.json
//   INPAGE_REGISTRY=https://cdn.example/models/registry.json node scripts/build-demo.mjs
//                                                   models served by that CDN (nothing copied)
//   node scripts/build-demo.mjs --no-sdk-build      use dist/ as it is
// The SDK is built first when dist/ is missing or older than src/. The demo imports it as a user
// would (`import { create } from 'inpage'` → dist/index.js), so site/ holds the shipped worker/wasm.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SITE = join(root, 'site');

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

async function newestMtime(dir) {
  let newest = 0;
  for await (const file of walk(dir)) newest = Math.max(newest, (await stat(file)).mtimeMs);
  return newest;
}

/** Builds dist/ unless it is newer than every file of src/ (or `force`). */
export async function ensureSdkBuilt({ force = false } = {}) {
  const built = await stat(join(root, 'dist/index.js')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (!force && built > 0 && built >= (await newestMtime(join(root, 'src')))) return false;
  console.log('Building the SDK (dist/)…');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
  return true;
}

/** Files the service worker stores at install. WebGPU-only runtime files are fetched (and kept) only when used. */
function precached(path) {
  if (path.startsWith('models/') || path.startsWith('api/') || path.endsWith('.map') || path === 'sw.js' || path === '_headers') return false;
  return !/asyncify|ort-webgpu/.test(path);
}

async function writeServiceWorkerManifest() {
  const files = [];
  for await (const file of walk(SITE)) files.push(relative(SITE, file).split(sep).join('/'));
  const list = ['./', ...files.filter(precached).sort()];
  const hash = createHash('sha256');
  for (const path of list) if (path !== './') hash.update(path).update(await readFile(join(SITE, path)));
  const swPath = join(SITE, 'sw.js');
  const sw = await readFile(swPath, 'utf8');
  const out = sw
    .replace(/^const VERSION = 'dev';$/m, `const VERSION = '${hash.digest('hex').slice(0, 12)}';`)
    .replace(/^const PRECACHE = \[\];$/m, `const PRECACHE = ${JSON.stringify(list)};`);
  if (out === sw) throw new Error('site/sw.js: VERSION/PRECACHE placeholders not found');
  await writeFile(swPath, out);
  return list.length;
}

/**
 * Builds site/. `registry`: the registry.json URL the page uses by default; a relative one
 * (the default) means the models are copied into the site next to it.
 */
export async function buildDemo({
  registry = process.env.INPAGE_REGISTRY ?? 'models/registry.json',
  models = join(root, 'public/models'),
  sdk = true,
} = {}) {
  if (sdk) await ensureSdkBuilt();
  else
    await stat(join(root, 'dist/index.js')).catch(() => {
      throw new Error('dist/index.js is missing: run `npm run build` first');
    });
  process.env.INPAGE_REGISTRY = registry;
  const { build } = await import('vite');
  console.log(`Building the demo (site/), registry ${registry}…`);
  await build({ configFile: join(root, 'demo/vite.config.ts'), mode: 'production' });
  const relativeRegistry = !/^[a-z][a-z0-9+.-]*:/i.test(registry) && !registry.startsWith('/');
  if (relativeRegistry) {
    const target = join(SITE, registry.split('/').slice(0, -1).join('/') || '.');
    await cp(models, target, { recursive: true });
    console.log(`Copied ${relative(root, models)} into ${relative(root, target)}`);
  }
  // The API reference (TypeDoc, typedoc.json) goes in site/api/; it is not precached for offline use.
  execFileSync('npm', ['run', 'docs'], { stdio: 'inherit', cwd: root });
  const count = await writeServiceWorkerManifest();
  console.log(`site/ ready (${count} files kept for offline use by sw.js)`);
  return SITE;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --no-sdk-build: use dist/ as it is (the tests do, so that they never rebuild it under other specs).
  await buildDemo({ sdk: !process.argv.includes('--no-sdk-build') });
}
