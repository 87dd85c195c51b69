// Section 10 of the benchmark: memory. Page + worker memory (performance.measureUserAgentSpecificMemory, which
// Chromium answers at once with --enable-blink-features=ForceEagerMeasureMemory on a cross-origin isolated page)
// before the sentiment model is loaded, loaded, and after its dispose (the last dispose ends the worker, so its
// wasm memory returns); then the same memory before and after a long run of predictions, which must stay flat.
// One wasm thread: onnxruntime's thread workers wait in Atomics.wait between runs, and the measurement waits for
// every worker to answer (about a minute); the memory returned is the same.
import { withPageErrors } from './pages.mjs';
import { SHORT } from './texts.mjs';

export async function measureMemory({ openBenchPage, cdn, distPath, models, N, log }) {
  const { context, page, errors } = await openBenchPage();
  try {
    const result = await page.evaluate(
      async ({ registry, dist, model, text, warm, predictions }) => {
        const { create } = await import(`${dist}index.js`);
        // The bytes, and how many of them the worker's realms hold (an attribution scope other than the page's
        // Window), so that a figure without the worker is seen for what it is.
        const measure = async () => {
          // Two passes: the first may still see the garbage of the step before.
          await performance.measureUserAgentSpecificMemory();
          const { bytes, breakdown } = await performance.measureUserAgentSpecificMemory();
          const inWorkers = breakdown.filter((b) => b.attribution.some((a) => a.scope && a.scope !== 'Window')).reduce((sum, b) => sum + b.bytes, 0);
          return { bytes, inWorkers };
        };
        const inpage = await create({ registry, numThreads: 1 });
        const before = await measure();
        const first = await inpage.load(model);
        await first.predict(text);
        const loaded = await measure();
        await first.dispose();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const afterDispose = await measure();
        // Predictions: memory after a warm-up (the wasm heap has grown to what a call needs), then after many more.
        const second = await inpage.load(model);
        for (let i = 0; i < warm; i++) await second.predict(text);
        const heapStart = await measure();
        const t0 = performance.now();
        for (let i = 0; i < predictions; i++) await second.predict(text);
        const predictionsMs = performance.now() - t0;
        const heapEnd = await measure();
        await inpage.dispose();
        return { before, loaded, afterDispose, warm, predictions, predictionsMs, heapStart, heapEnd };
      },
      { registry: `${cdn}registry.json`, dist: distPath, model: models.sentiment, text: SHORT, warm: N.memoryWarm, predictions: N.memoryPredictions },
    );
    const mb = (m) => `${(m.bytes / 1e6).toFixed(1)} MB (workers ${(m.inWorkers / 1e6).toFixed(1)})`;
    log?.(
      `memory: before ${mb(result.before)}, loaded ${mb(result.loaded)}, after dispose ${mb(result.afterDispose)}; ${result.predictions} predictions: ${mb(result.heapStart)} -> ${mb(result.heapEnd)}`,
    );
    return result;
  } catch (error) {
    throw withPageErrors(error, errors);
  } finally {
    await context.close();
  }
}
