/**
 * The happy path through a real web server: Debian's nginx serves the page, dist/ and, on another
 * origin, the registry and model files, with nginx's own ETag, Range, gzip and MIME types (config
 * in e2e/servers/nginx.conf). What nginx answered is read from its access log. The faults nginx
 * cannot make (stalls, wrong bytes, HTML pages, 503s with Retry-After) stay with
 * scripts/cdn-server.mjs in the registry and reliability specs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { defaultVersion } from '../src/registry/version-order.mjs';
import { HARNESS, createInpage, loadOk, progress } from './fixtures/faults/client';
import { nginxAvailable, startNginx, type Nginx } from './helpers/nginx';

const registry = JSON.parse(readFileSync(fileURLToPath(new URL('../public/models/registry.json', import.meta.url)), 'utf8')) as {
  models: Record<string, { versions: Record<string, { files: { path: string; bytes: number }[] }> }>;
};
// The version load('mnist') gets, by the SDK's own rule.
const mnistFiles = registry.models.mnist.versions[defaultVersion(Object.keys(registry.models.mnist.versions)) ?? ''].files;
const MODEL_PATH = mnistFiles[0].path;
const MNIST_TOTAL = mnistFiles.reduce((sum, file) => sum + file.bytes, 0);

let nginx: Nginx;

test.describe.configure({ mode: 'serial' });
test.skip(!nginxAvailable(), 'nginx is not installed (apt-get install nginx-light; .ci/run does)');

test.beforeAll(async () => {
  nginx = await startNginx();
});
test.afterAll(async () => {
  await nginx?.close();
});

async function openHarnessOnNginx(page: import('@playwright/test').Page): Promise<void> {
  const response = await page.goto(`${nginx.siteOrigin}${HARNESS}`);
  expect(response?.ok()).toBe(true);
  await page.waitForFunction(() => 'h' in window && 'Inpage' in window);
}

const since = (mark: number) => nginx.requests().slice(mark);

test('progress with the total, then a reload: registry.json revalidated with a 304 and no model file asked for', async ({ page }) => {
  await openHarnessOnNginx(page);
  await createInpage(page, { registry: nginx.registryUrl, retries: 2 });
  const first = await loadOk(page, 'mnist');
  expect(first).toMatchObject({ id: 'mnist', fromCache: false, bytesDownloaded: MNIST_TOTAL });
  const events = await progress(page);
  expect(events[0]?.total, 'the total is known at the first event').toBe(MNIST_TOTAL);
  expect(events.at(-1)?.loaded).toBe(MNIST_TOTAL);

  const firstVisit = nginx.requests();
  const manifest = firstVisit.find((r) => r.path === '/models/registry.json' && r.method === 'GET');
  expect(manifest, 'registry.json came from nginx').toMatchObject({ status: 200, contentEncoding: 'gzip' });
  expect(firstVisit.find((r) => r.path === `/models/${MODEL_PATH}`)).toMatchObject({ method: 'GET', status: 200, bytes: MNIST_TOTAL });
  // The SDK's own files came from nginx too, the wasm with the type streaming compilation needs.
  expect(firstVisit.some((r) => r.path === '/dist/inpage.worker.js' && r.status === 200)).toBe(true);

  const mark = nginx.requests().length;
  await page.reload();
  await openHarnessOnNginx(page);
  await createInpage(page, { registry: nginx.registryUrl, retries: 2 });
  const again = await loadOk(page, 'mnist');
  expect(again).toMatchObject({ fromCache: true, bytesDownloaded: 0 });
  const reload = since(mark);
  expect(
    reload.filter((r) => r.path.startsWith('/models/') && r.path !== '/models/registry.json'),
    'no model file requested',
  ).toEqual([]);
  const revalidation = reload.find((r) => r.path === '/models/registry.json' && r.method === 'GET');
  expect(revalidation, 'registry.json revalidated').toMatchObject({ status: 304, bytes: 0 });
  expect(revalidation?.ifNoneMatch, 'the browser sent the ETag nginx gave').not.toBe('-');
});

test('a download cut part-way resumes with a 206 from nginx, and the model works', async ({ browser }) => {
  // A fresh context: nothing cached, so the model file is downloaded again.
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await openHarnessOnNginx(page);
    const mark = nginx.requests().length;
    nginx.cutNext(MODEL_PATH, 64 * 1024);
    await createInpage(page, { registry: nginx.registryUrl, retries: 2 });
    const info = await loadOk(page, 'mnist');
    expect(info).toMatchObject({ fromCache: false, bytesDownloaded: MNIST_TOTAL });
    const model = since(mark).filter((r) => r.path === `/models/${MODEL_PATH}` && r.method === 'GET');
    // nginx sent all of the first answer (to the proxy, which passed on only the first 64 KiB).
    expect(model[0], JSON.stringify(model)).toMatchObject({ status: 200, range: '-' });
    // Then the rest came as 206s from where the cut left off: the SDK's `bytes=N-`, which Chromium's
    // HTTP cache sometimes turns into a 1-byte check and `bytes=N-last` of its own.
    const resumed = model.slice(1);
    expect(resumed.length, JSON.stringify(model)).toBeGreaterThan(0);
    for (const request of resumed) expect(request.status, JSON.stringify(request)).toBe(206);
    const last = resumed.at(-1)!;
    const [, start, end] = /^bytes=(\d+)-(\d*)$/.exec(last.range) ?? [];
    expect(Number(start)).toBeGreaterThan(0);
    expect(Number(start)).toBeLessThan(64 * 1024);
    expect(end === '' || Number(end) === MNIST_TOTAL - 1, last.range).toBe(true);
    expect(last.bytes).toBe(MNIST_TOTAL - Number(start));
  } finally {
    await context.close();
  }
});

test('nginx serves .wasm as application/wasm and the ES module files as JavaScript', async ({ request }) => {
  for (const [file, type] of [
    ['ort-wasm-simd-threaded.wasm', 'application/wasm'],
    ['ort-wasm.mjs', 'javascript'],
    ['index.js', 'javascript'],
  ] as const) {
    const response = await request.head(`${nginx.siteOrigin}/dist/${file}`);
    expect(response.status(), file).toBe(200);
    expect(response.headers()['content-type'], file).toContain(type);
    expect(response.headers().etag, file).toBeTruthy();
  }
});
