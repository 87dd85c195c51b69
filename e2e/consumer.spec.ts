/**
 * The npm consumers: apps that depend on the *packed* package (the npm pack tarball) and are built
 * and run in Chromium: a Vite app that imports `create` from 'inpage' with its types, a webpack 5
 * app, and a page that imports dist/index.js as a plain <script type="module"> with no bundler.
 * This is what catches broken `exports`, missing files and wasm paths that only fail after publishing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import webpack, { type Configuration, type Stats } from 'webpack';
import { ASSET_FILES } from '../src/client/assets';
import { registryUrl, realModelsAvailable } from './helpers/registries';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = join(root, 'e2e/consumer');
const webpackApp = join(root, 'e2e/consumer-webpack');
const artifacts = join(root, 'e2e/.artifacts');

function run(command: string, args: string[], cwd = root): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ort-wasm.mjs` as a bundler names its copy: `ort-wasm-1a2B3c.mjs`. */
function hashedFrom(file: string): RegExp {
  const dot = file.lastIndexOf('.');
  const escape = (text: string): string => text.replaceAll('.', '\\.');
  return new RegExp(`^${escape(file.slice(0, dot))}-[\\w-]+${escape(file.slice(dot))}$`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(existsSync(join(root, 'dist/index.js')), 'run `npm run build` first').toBe(true);
  mkdirSync(artifacts, { recursive: true });
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', artifacts])) as { filename: string; files: { path: string }[] }[];
  const tarball = join(artifacts, packed[0].filename);
  for (const consumer of [app, webpackApp]) {
    const installed = join(consumer, 'node_modules/inpage');
    rmSync(installed, { recursive: true, force: true });
    mkdirSync(installed, { recursive: true });
    run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  }
  // The app type-checks against the package's published .d.ts, as a user's editor would.
  run(join(root, 'node_modules/.bin/tsc'), ['-p', join(app, 'tsconfig.json')]);
  run(join(root, 'node_modules/.bin/vite'), ['build', '--config', join(app, 'vite.config.ts')]);
  await buildWithWebpack();
});

async function buildWithWebpack(): Promise<void> {
  const { default: config } = (await import(pathToFileURL(join(webpackApp, 'webpack.config.mjs')).href)) as { default: Configuration };
  const stats = await new Promise<Stats | undefined>((resolve, reject) =>
    webpack(config, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    }),
  );
  if (!stats || stats.hasErrors()) throw new Error(`webpack failed: ${stats?.toString({ all: false, errors: true })}`);
}

/** Each consumer's page, as the page server serves it. */
const APPS = {
  Vite: '/e2e/consumer/dist/index.html',
  'webpack 5': '/e2e/consumer-webpack/index.html',
  'no bundler (dist/index.js as a <script type="module">)': '/e2e/consumer-plain/index.html',
} as const;

test('the packed package has what a user needs, and nothing it should not', () => {
  const files = readdirSync(join(app, 'node_modules/inpage/dist'));
  for (const file of ['index.js', 'inpage.iife.js', 'types', ...Object.values(ASSET_FILES)]) {
    expect(files).toContain(file);
  }
  // Of the sources, only the plain-JS modules the registry CLI shares with the SDK ship.
  expect(readdirSync(join(app, 'node_modules/inpage/src'))).toEqual(['registry']);
  expect(readdirSync(join(app, 'node_modules/inpage/src/registry')).sort()).toEqual([
    'duplicate-files.d.mts',
    'duplicate-files.mjs',
    'manifest-rules.d.mts',
    'manifest-rules.mjs',
    'manifest-validator.generated.d.mts',
    'manifest-validator.generated.mjs',
    'onnx-signature.d.mts',
    'onnx-signature.mjs',
    'semver-pattern.d.mts',
    'semver-pattern.mjs',
    'task-rules.generated.d.mts',
    'task-rules.generated.mjs',
    'version-order.d.mts',
    'version-order.mjs',
  ]);
  expect(existsSync(join(app, 'node_modules/inpage/training'))).toBe(false);
  // The registry CLI works from the installed package (it needs the shared rules it imports).
  const cli = join(app, 'node_modules/inpage/bin/inpage-registry.mjs');
  expect(run(process.execPath, [cli, 'verify', '--registry', join(root, 'e2e/fixtures/models/registry.json')])).toContain('all match');
  // The consumer's build copied every file the SDK finds at run time (worker, worklet,
  // onnxruntime-web's modules and wasm) next to its own assets, under hashed names: this is what
  // breaks if dist/index.js stops naming them as literal new URL('./file', import.meta.url).
  // Vite inlines files under its 4 KiB assetsInlineLimit as data: URLs instead: the 1 KiB worklet.
  const assets = readdirSync(join(app, 'dist/assets'));
  const bundled = assets
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8'))
    .join('\n');
  const copied = (file: string): boolean => assets.some((f) => hashedFrom(file).test(f));
  const inlined = (file: string): boolean => file === ASSET_FILES.captureWorklet && bundled.includes('data:text/javascript;base64,');
  expect(Object.values(ASSET_FILES).filter((file) => !copied(file) && !inlined(file))).toEqual([]);
});

test('the webpack app copied the worker, the worklet and the wasm into its own build, with no configuration', () => {
  // webpack names URL assets by content hash, and minifies the JavaScript ones: find the wasm by
  // size, the worker, the worklet and onnxruntime's two modules by their number beside its chunks.
  const emitted = readdirSync(join(webpackApp, 'dist'));
  const sizes = new Set(emitted.map((file) => statSync(join(webpackApp, 'dist', file)).size));
  for (const wasm of [ASSET_FILES.ortWasmBinary, ASSET_FILES.ortWebgpuBinary]) {
    expect(sizes.has(statSync(join(root, 'dist', wasm)).size), wasm).toBe(true);
  }
  expect(
    emitted.filter((file) => /^[0-9a-f]{20}\.mjs$/.test(file)),
    'ort-wasm.mjs and ort-webgpu.mjs',
  ).toHaveLength(2);
  expect(
    emitted.filter((file) => /^[0-9a-f]{20}\.js$/.test(file)),
    'inpage.worker.js and inpage.capture.js',
  ).toHaveLength(2);
});

for (const [name, url] of Object.entries(APPS)) {
  for (const worker of [true, false]) {
    test(`${name}: built against the tarball, runs the models in Chromium ${worker ? 'in a worker' : 'in-thread'}`, async ({ page }) => {
      const outside: string[] = [];
      page.on('request', (request) => {
        const host = new URL(request.url()).hostname;
        if (host !== '127.0.0.1' && !request.url().startsWith('data:')) outside.push(request.url());
      });
      await page.goto(url);
      const real = realModelsAvailable();
      const result = await page.evaluate(
        ([registry, digitsId, textId, inWorker]) =>
          (window as unknown as { consumer: { run: (r: string, d: string, t: string | null, w: boolean) => Promise<any> } }).consumer.run(
            registry,
            digitsId,
            textId ?? null,
            inWorker,
          ),
        [real ? registryUrl('cdn') : registryUrl('fixtures'), real ? 'mnist' : 'tiny-digits', real ? 'sentiment' : null, worker] as const,
      );
      expect(result.inWorker).toBe(worker);
      expect(result.backend).toBe('wasm');
      expect(result.typedError).toBe('NOT_FOUND');
      expect(result.digit.probabilities).toHaveLength(10);
      if (real) {
        expect(result.digit.label).toBe(1);
        expect(result.texts.map((t: { label: string }) => t.label)).toEqual(['positive', 'negative']);
      }
      expect(outside).toEqual([]);
    });
  }
}
