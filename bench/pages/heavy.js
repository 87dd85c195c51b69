// The in-page half of the heavy-model and GEMM-peak sections (window.H, driven by bench/lib/heavy.mjs
// and by bench/run.mjs's raw-ORT pages):
//   gemmSample     a MatMul-only graph (bench/gemm_model.py, 512x512x512) through raw onnxruntime-web,
//                  in whatever page calls it, so each model's achieved GFLOP/s is set against the peak
//                  measured in its own page, under the same load;
//   detector*      PaddleOCR's text detector on a 640x640 page through raw onnxruntime-web on the main
//                  thread and through inpage's worker model.run(), both on the page's thread count.
import { defaultEntry } from '../lib/default-entry.mjs';
import { rawOrt } from './raw-ort.js';
import { detectorInput, DETECTOR_DIMS } from '../lib/detector-input.mjs';

const params = new URLSearchParams(location.search);
const DIST = params.get('dist') ?? '/dist/';
const EXTRA = params.get('extra'); // the extra models' folder (registry.json), a path ending in /
const GEMM = params.get('gemm'); // URL of the MatMul-only model

const state = { gemm: null, detector: null };

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function timeCalls(n, run) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times;
}

/** n runs of the GEMM graph on raw ORT (the page's own onnxruntime instance: whatever thread count it started with). */
async function gemmSample({ n }) {
  if (!state.gemm) {
    const ort = await rawOrt(DIST);
    const session = await ort.InferenceSession.create(await fetchBytes(GEMM), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const [rows, inner] = [512, 512];
    const a = new Float32Array(rows * inner);
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(i) * 0.5;
    state.gemm = { ort, session, a, dims: [rows, inner] };
  }
  const { ort, session, a, dims } = state.gemm;
  return timeCalls(n, () => session.run({ A: new ort.Tensor('float32', a, dims) }));
}

/** A fresh page's raw ORT and an inpage worker, both on `threads` wasm threads, each with the detector loaded. */
async function detectorSetup({ threads }) {
  const ort = await rawOrt(DIST, threads);
  const registry = await (await fetch(`${EXTRA}registry.json`)).json();
  const entry = defaultEntry(registry, 'ppocr-detector');
  let t = performance.now();
  const session = await ort.InferenceSession.create(await fetchBytes(EXTRA + entry.files.find((f) => f.role === 'model').path), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: entry.runtime?.graphOptimization ?? 'all',
  });
  const ortReadyMs = performance.now() - t;
  const { create } = await import(`${DIST}index.js`);
  t = performance.now();
  const inpage = await create({ registry: `${EXTRA}registry.json`, backend: 'wasm', numThreads: threads });
  const model = await inpage.load('ppocr-detector');
  const inpageReadyMs = performance.now() - t;
  const input = detectorInput();
  state.detector = { ort, session, inpage, model, input };
  return {
    ortReadyMs,
    inpageReadyMs,
    threads: inpage.backend.threads,
    inWorker: inpage.inWorker,
    crossOriginIsolated: globalThis.crossOriginIsolated,
  };
}

/**
 * n detector runs, timed from the call to the output map. inpage's worker takes the feeds' buffers (moved, not
 * copied), so each call gets its own copy of the image, made before the clock starts: a page hands over a new
 * image each time anyway.
 */
async function detectorSample({ engine, n }) {
  const { ort, session, model, input } = state.detector;
  const times = [];
  for (let i = 0; i < n; i++) {
    if (engine === 'ort') {
      const t = performance.now();
      await session.run({ x: new ort.Tensor('float32', input, DETECTOR_DIMS) });
      times.push(performance.now() - t);
    } else {
      const data = input.slice();
      const t = performance.now();
      await model.run({ x: { type: 'float32', data, dims: DETECTOR_DIMS } });
      times.push(performance.now() - t);
    }
  }
  return times;
}

window.H = { gemmSample, detectorSetup, detectorSample };
