/**
 * The foundation, end to end in Chromium: the plain <script> build runs a real ONNX model in a
 * worker, chooses its backend and says why, gives the same numbers on every backend and in-thread,
 * and survives its worker dying mid-request.
 */
import { expect, test, type Page } from '@playwright/test';

const REGISTRY = '/e2e/fixtures/models/registry.json';

interface DigitRun {
  backend: { name: string; reason: string; adapter?: { isFallbackAdapter: boolean; architecture: string } };
  inWorker: boolean;
  info: { id: string; version: string; task: string; backend: string };
  result: { label: number; probabilities: number[] };
}

async function openPlainPage(page: Page): Promise<void> {
  await page.goto('/e2e/fixtures/embed/plain.html');
  await expect(page.locator('#digit')).toBeVisible();
}

function runDigit(page: Page, options: Record<string, unknown>): Promise<DigitRun> {
  return page.evaluate((opts) => (window as unknown as { runDigit: (o: unknown) => Promise<DigitRun> }).runDigit(opts), {
    registry: REGISTRY,
    ...options,
  });
}

test('the <script> build runs a real model in a worker and declines the software WebGPU adapter', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await openPlainPage(page);
  const hasAdapter = await page.evaluate(async () => Boolean(await navigator.gpu?.requestAdapter()));
  expect(hasAdapter, 'Chromium was launched with --enable-unsafe-webgpu').toBe(true);

  const run = await runDigit(page, {});
  expect(run.inWorker).toBe(true);
  expect(run.backend.name).toBe('wasm');
  expect(run.backend.reason).toMatch(/software fallback adapter/);
  expect(run.backend.reason.toLowerCase()).toContain('swiftshader');
  expect(run.backend.adapter?.isFallbackAdapter).toBe(true);
  expect(run.info).toMatchObject({ id: 'tiny-digits', version: '1.0.0', task: 'digits', backend: 'wasm' });
  expect(run.result.probabilities).toHaveLength(10);
  expect(run.result.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect(run.result.label).toBe(run.result.probabilities.indexOf(Math.max(...run.result.probabilities)));
  // The wasm-only build of onnxruntime-web, found next to the script; the WebGPU build is never fetched.
  expect(fetched).toContain('/dist/inpage.worker.js');
  expect(fetched).toContain('/dist/ort-wasm.mjs');
  expect(fetched).toContain('/dist/ort-wasm-simd-threaded.wasm');
  expect(fetched.filter((path) => path.includes('webgpu') || path.includes('asyncify'))).toEqual([]);
});

test('forced WebGPU (SwiftShader) and in-thread give the same outputs as the WASM worker within 1e-4', async ({ page }) => {
  await openPlainPage(page);
  const wasm = await runDigit(page, {});
  const webgpu = await runDigit(page, { backend: 'webgpu' });
  const inThread = await runDigit(page, { worker: false });

  expect(webgpu.backend.name).toBe('webgpu');
  expect(webgpu.backend.reason).toMatch(/requested/);
  expect(webgpu.info.backend).toBe('webgpu');
  expect(inThread.inWorker).toBe(false);
  for (const other of [webgpu, inThread]) {
    other.result.probabilities.forEach((p, i) => {
      expect(Math.abs(p - (wasm.result.probabilities[i] ?? NaN))).toBeLessThan(1e-4);
    });
  }
});

test('a worker terminated mid-request rejects that request with WORKER_CRASHED; the next request succeeds', async ({ page }) => {
  await openPlainPage(page);
  const outcome = await page.evaluate(async (registry) => {
    const w = window as unknown as {
      Inpage: { create: (o: unknown) => Promise<any> };
      testCanvas: () => HTMLCanvasElement;
      errorOf: (p: Promise<unknown>) => Promise<unknown>;
    };
    const inpage = await w.Inpage.create({ registry });
    const model = await inpage.load('tiny-digits');
    const pending = model.predict(w.testCanvas());
    inpage.testing.crashWorker();
    const crashed = await w.errorOf(pending);
    const after = await model.predict(w.testCanvas());
    const stats = await inpage.testing.stats();
    await inpage.dispose();
    return { crashed, after, stats };
  }, REGISTRY);
  expect(outcome.crashed).toMatchObject({ isInpageError: true, code: 'WORKER_CRASHED' });
  expect(outcome.after.probabilities).toHaveLength(10);
  expect(outcome.stats.sessions).toBe(1);
});

test('a worker that dies by itself (self.close) is noticed: pending calls reject, the next call works', async ({ page }) => {
  await openPlainPage(page);
  await page.evaluate(async (registry) => {
    const w = window as unknown as { Inpage: { create: (o: unknown) => Promise<any> }; testCanvas: () => HTMLCanvasElement };
    const inpage = await w.Inpage.create({ registry });
    const model = await inpage.load('tiny-digits');
    await model.predict(w.testCanvas());
    Object.assign(window, { inpage, model });
  }, REGISTRY);
  const [worker] = page.workers();
  expect(worker).toBeDefined();
  // Keep the worker busy for a moment and then end it from inside, as a crash would (the page
  // gets no event); the requests sent meanwhile are still pending when it goes.
  await worker.evaluate(() => {
    setTimeout(() => {
      const until = Date.now() + 500;
      while (Date.now() < until);
      self.close();
    }, 0);
  });
  const errors = await page.evaluate(async () => {
    const w = window as unknown as { model: any; testCanvas: () => HTMLCanvasElement; errorOf: (p: Promise<unknown>) => Promise<any> };
    const pending = Array.from({ length: 20 }, () => w.model.predict(w.testCanvas()));
    return Promise.all(pending.map((p) => w.errorOf(p)));
  });
  // Requests the worker finished before closing succeed; every other one says WORKER_CRASHED.
  const failed = errors.filter((e) => e !== null);
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every((e) => e.code === 'WORKER_CRASHED')).toBe(true);
  const after = await page.evaluate(async () => {
    const w = window as unknown as { model: any; testCanvas: () => HTMLCanvasElement };
    return w.model.predict(w.testCanvas());
  });
  expect(after.probabilities).toHaveLength(10);
});

test('bad options and unknown models fail with typed errors', async ({ page }) => {
  await openPlainPage(page);
  const errors = await page.evaluate(async (registry) => {
    const w = window as unknown as { Inpage: { create: (o: unknown) => Promise<any> }; errorOf: (p: Promise<unknown>) => Promise<any> };
    const badBackend = await w.errorOf(w.Inpage.create({ backend: 'cuda' }));
    const badKey = await w.errorOf(w.Inpage.create({ registy: registry }));
    const inpage = await w.Inpage.create({ registry });
    const unknown = await w.errorOf(inpage.load('no-such-model'));
    const badInput = await w.errorOf(inpage.load('tiny-digits').then((m: any) => m.predict('a string')));
    await inpage.dispose();
    const afterDispose = await w.errorOf(inpage.load('tiny-digits'));
    return { badBackend, badKey, unknown, badInput, afterDispose };
  }, REGISTRY);
  expect(errors.badBackend).toMatchObject({ isInpageError: true, code: 'OPTIONS_INVALID' });
  expect(errors.badKey).toMatchObject({ code: 'OPTIONS_INVALID' });
  expect(errors.unknown).toMatchObject({ isInpageError: true, code: 'NOT_FOUND' });
  expect(errors.unknown.message).toContain('tiny-digits');
  expect(errors.badInput).toMatchObject({ isInpageError: true, code: 'INPUT_INVALID' });
  expect(errors.afterDispose).toMatchObject({ code: 'DISPOSED' });
});
