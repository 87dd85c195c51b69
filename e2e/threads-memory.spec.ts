/**
 * Threads and memory, as a page sees them. `numThreads: 'auto'` runs several wasm threads only on
 * a cross-origin isolated page (served here with COOP + COEP by `?isolated=1`) and says why in
 * `inpage.backend.threads`; predictions work either way, in a worker and in-thread. Disposing
 * the last model ends the worker (so the browser takes its memory back), `trim()` does it on
 * demand, and later loads and predictions work on a fresh worker. The page + worker memory is
 * measured before load, loaded and after dispose (performance.measureUserAgentSpecificMemory,
 * which needs isolation), and must come back to no more than 10 % above where it started.
 */
import { expect, test, type Page } from '@playwright/test';
import { launchWith } from './helpers/chromium.js';
import { CDN_PORT } from './helpers/registries.js';

const REGISTRY = `http://127.0.0.1:${CDN_PORT}/models/registry.json`;

// Memory is measured at once instead of at the next garbage collection (up to 20 s later).
test.use({ launchOptions: launchWith(['--enable-blink-features=ForceEagerMeasureMemory']) });

/** The ES module page; each Worker the page makes and ends is counted (onnxruntime's own threads live inside ours). */
async function open(page: Page, isolated: boolean): Promise<void> {
  await page.addInitScript(() => {
    const counts = { started: 0, ended: 0 };
    const Original = window.Worker;
    class CountedWorker extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        counts.started++;
      }
      override terminate(): void {
        counts.ended++;
        super.terminate();
      }
    }
    Object.assign(window, { Worker: CountedWorker, workerCounts: counts });
  });
  await page.goto(`/e2e/fixtures/any-model/esm.html${isolated ? '?isolated=1' : ''}`);
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
}

/** A 1 in MNIST framing: a vertical bar of ink. */
const ONE = Array.from({ length: 784 }, (_, i) => (i % 28 >= 13 && i % 28 <= 15 && i > 140 && i < 640 ? 1 : 0));

for (const isolated of [false, true]) {
  for (const worker of [true, false]) {
    test(`numThreads auto on ${isolated ? 'an isolated' : 'a non-isolated'} page (${worker ? 'worker' : 'in-thread'}): the count and its reason, and predictions work`, async ({
      page,
    }) => {
      await open(page, isolated);
      const outcome = await page.evaluate(
        async ({ registry, worker, one }) => {
          const w = window;
          const inpage = await w.sdk.create({ registry, worker, backend: 'wasm' });
          const digits = await inpage.load('mnist');
          const { label } = await digits.predict(one);
          const threads = inpage.backend.threads;
          await inpage.dispose();
          return { threads, label, cores: navigator.hardwareConcurrency };
        },
        { registry: REGISTRY, worker, one: ONE },
      );
      expect(outcome.label).toBe(1);
      if (isolated) {
        const expected = outcome.cores < 2 ? 1 : Math.min(4, Math.max(2, Math.ceil(outcome.cores / 2)));
        expect(outcome.threads.count).toBe(expected);
        expect(outcome.threads.reason).toMatch(/^auto: /);
      } else {
        expect(outcome.threads.count).toBe(1);
        expect(outcome.threads.reason).toMatch(/not cross-origin isolated/);
      }
    });
  }
}

test('a number of threads asked on a page that is not isolated runs one, saying so', async ({ page }) => {
  await open(page, false);
  const threads = await page.evaluate(async (registry) => {
    const inpage = await window.sdk.create({ registry, numThreads: 4 });
    const report = inpage.backend.threads;
    await inpage.dispose();
    return report;
  }, REGISTRY);
  expect(threads).toEqual({ count: 1, reason: expect.stringMatching(/4 asked.*not cross-origin isolated/) });
});

test('disposing the last model ends the worker; trim() ends it on demand; later loads and calls work on a fresh one', async ({ page }) => {
  await open(page, false);
  const outcome = await page.evaluate(
    async ({ registry, one }) => {
      const w = window;
      const counts = w.workerCounts;
      const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
      const inpage = await w.sdk.create({ registry });
      const first = await inpage.load('mnist');
      await first.predict(one);
      const loaded = { ...counts };
      await first.dispose();
      await settle();
      const afterDispose = { ...counts };
      // A new load starts a fresh worker and works.
      const second = await inpage.load('mnist');
      const again = (await second.predict(one)).label;
      const reloaded = { ...counts };
      // trim() with a model still held: the worker ends, the model reloads from the cache on its next call.
      inpage.trim();
      await settle();
      const afterTrim = { ...counts };
      const afterTrimLabel = (await second.predict(one)).label;
      const final = { ...counts };
      // trim() in the same turn as a load and a prediction: neither is lost, both go to a fresh worker.
      const racing = inpage.load('mnist');
      const predicting = second.predict(one);
      inpage.trim();
      const raced = await racing;
      const racedLabels = [(await raced.predict(one)).label, (await predicting).label];
      await inpage.dispose();
      return { loaded, afterDispose, again, reloaded, afterTrim, afterTrimLabel, final, racedLabels };
    },
    { registry: REGISTRY, one: ONE },
  );
  expect(outcome.loaded).toEqual({ started: 1, ended: 0 });
  expect(outcome.afterDispose).toEqual({ started: 1, ended: 1 });
  expect(outcome.again).toBe(1);
  expect(outcome.reloaded).toEqual({ started: 2, ended: 1 });
  expect(outcome.afterTrim).toEqual({ started: 2, ended: 2 });
  expect(outcome.afterTrimLabel).toBe(1);
  expect(outcome.final).toEqual({ started: 3, ended: 2 });
  expect(outcome.racedLabels).toEqual([1, 1]);
});

test('memory after the last dispose comes back to within 10 % above before the load (page + worker, isolated page)', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, true);
  const figures = await page.evaluate(async (registry) => {
    const w = window;
    const measure = async () => {
      // Two passes: the first may still see garbage of the step before.
      await (performance as any).measureUserAgentSpecificMemory();
      return ((await (performance as any).measureUserAgentSpecificMemory()) as { bytes: number }).bytes;
    };
    // One thread: onnxruntime's thread workers wait in Atomics.wait between runs, and Chromium's
    // measurement waits for every worker to answer (about a minute). What is returned is the same.
    const inpage = await w.sdk.create({ registry, numThreads: 1 });
    const before = await measure();
    const model = await inpage.load('sentiment');
    await model.predict('A warm and wonderful film.');
    const loaded = await measure();
    await model.dispose();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await measure();
    await inpage.dispose();
    return { before, loaded, after };
  }, REGISTRY);
  console.log(
    `memory (page + worker): before load ${(figures.before / 1e6).toFixed(1)} MB, loaded ${(figures.loaded / 1e6).toFixed(1)} MB, after dispose ${(figures.after / 1e6).toFixed(1)} MB`,
  );
  expect(figures.loaded).toBeGreaterThan(figures.before * 1.5);
  expect(figures.after).toBeLessThanOrEqual(figures.before * 1.1);
});
