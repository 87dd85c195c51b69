// Section 9 of the benchmark: a heavy real model, PaddleOCR's text detector (`ppocr-detector`, published by
// `npm run models:extra`) on a 640x640 page through model.run(). Two fresh pages, one per wasm thread count
// (onnxruntime-web reads it once per realm); in each, raw onnxruntime-web on the main thread and inpage's worker
// on the same count, interleaved in rounds. The 1-thread page also runs the GEMM-peak graph in every round. Then
// native onnxruntime-node on the same input, 1 and 2 intra-op threads, interleaved, while the browser is idle:
// the thread gain wasm gets is set beside the one native code gets on this machine.
import { defaultEntry } from './default-entry.mjs';
import { join } from 'node:path';
import { summary } from './summary.mjs';
import { call, withPageErrors } from './pages.mjs';
import { detectorInput, DETECTOR_DIMS } from './detector-input.mjs';

export const DETECTOR_ID = 'ppocr-detector';

export async function measureDetector({ openBenchPage, N, log }) {
  const open = [];
  try {
    const pages = {};
    for (const threads of [1, 2]) {
      const opened = await openBenchPage();
      open.push(opened);
      const setup = await call(opened.page, 'detectorSetup', { threads }, 'H');
      pages[threads] = { page: opened.page, setup, ort: [], inpage: [], gemm: [] };
    }
    // Warm-up: the first runs of a session pay lazy compilation and Chromium's tier-up of the wasm.
    for (const p of Object.values(pages)) {
      for (const engine of ['ort', 'inpage']) await call(p.page, 'detectorSample', { engine, n: N.detectorWarmUp }, 'H');
    }
    await call(pages[1].page, 'gemmSample', { n: N.gemmWarmUp }, 'H');
    const gemmShare = Math.ceil(N.gemm / N.detectorRounds);
    for (let round = 0; round < N.detectorRounds; round++) {
      for (const p of Object.values(pages)) {
        for (const engine of ['ort', 'inpage']) p[engine].push(...(await call(p.page, 'detectorSample', { engine, n: N.detectorShare }, 'H')));
      }
      pages[1].gemm.push(...(await call(pages[1].page, 'gemmSample', { n: gemmShare }, 'H')));
    }
    const result = Object.fromEntries(
      Object.entries(pages).map(([threads, p]) => [
        threads,
        {
          setup: p.setup,
          ort: summary(p.ort),
          inpage: summary(p.inpage),
          ...(p.gemm.length ? { gemm: summary(p.gemm) } : {}),
        },
      ]),
    );
    log?.(
      `detector: 1 thread raw ORT ${result[1].ort.p50.toFixed(1)} ms, inpage ${result[1].inpage.p50.toFixed(1)} ms; 2 threads raw ORT ${result[2].ort.p50.toFixed(1)} ms, inpage ${result[2].inpage.p50.toFixed(1)} ms`,
    );
    return result;
  } catch (error) {
    throw withPageErrors(
      error,
      open.flatMap((o) => o.errors),
    );
  } finally {
    for (const { context } of open) await context.close();
  }
}

/** The detector in native onnxruntime-node on 1 and 2 intra-op threads, interleaved in rounds, p50 of each. */
export async function measureNativeDetector({ modelFile, N, log }) {
  const ort = await import('onnxruntime-node');
  const sessions = {};
  for (const threads of [1, 2]) {
    sessions[threads] = await ort.InferenceSession.create(modelFile, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  }
  const input = new ort.Tensor('float32', detectorInput(), DETECTOR_DIMS);
  const times = { 1: [], 2: [] };
  for (const threads of [1, 2]) for (let i = 0; i < N.detectorWarmUp; i++) await sessions[threads].run({ x: input });
  for (let round = 0; round < N.detectorRounds; round++) {
    for (const threads of [1, 2]) {
      for (let i = 0; i < N.detectorShare; i++) {
        const t = performance.now();
        await sessions[threads].run({ x: input });
        times[threads].push(performance.now() - t);
      }
    }
  }
  for (const s of Object.values(sessions)) await s.release();
  const result = { 1: summary(times[1]), 2: summary(times[2]), version: ort.env.versions?.common ?? null };
  log?.(`detector, native onnxruntime-node: 1 thread ${result[1].p50.toFixed(1)} ms, 2 threads ${result[2].p50.toFixed(1)} ms`);
  return result;
}

/** The detector's ONNX file in the extra models' folder (its newest version). */
export function detectorFile(extraRoot, registry) {
  const entry = defaultEntry(registry, DETECTOR_ID);
  return join(extraRoot, entry.files.find((f) => f.role === 'model').path);
}
