// The in-page half of the benchmark. bench/run.mjs loads bench.html?cdn=…&tort=… and calls
// window.B.* through page.evaluate. Every engine is driven through the same `predict(input)`:
//   worker / thread  inpage (dist/index.js), in a Web Worker or in-thread, backend WASM, 1 thread
//   worker2          inpage in a Web Worker with numThreads: 2 (a stated extra, not in any target)
//   default          inpage as a user writes it: create({ registry }) and nothing else (a worker,
//                    backend 'auto', numThreads 'auto': 2 threads on 2 cores on these isolated pages)
//   ort              onnxruntime-web's wasm build (our dist/ort-wasm.mjs) on the main thread, 1 thread,
//                    its session built with the model's registry hints, as inpage builds it
//   tjs              transformers.js pipeline('text-classification') in its default set-up (its
//                    asyncify onnxruntime-web/webgpu build, served locally), dtype fp32
// With ?auto=… the page instead times a start (page load → first result) and stores it in window.startResult.
import { defaultEntry } from '../lib/default-entry.mjs';
import { summary } from '../lib/summary.mjs';
import { rawOrt as rawOrtFrom } from './raw-ort.js';
const params = new URLSearchParams(location.search);
const CDN = params.get('cdn'); // the models folder (holding registry.json), a path on this origin ending in /
const TORT = params.get('tort'); // URL of transformers.js's onnxruntime-web dist/, with a trailing slash
const DIST = params.get('dist') ?? '/dist/'; // run.mjs serves a snapshot of dist/; profile.mjs may point at a patched copy
const rawOrt = () => rawOrtFrom(DIST);

// predict/input: the engine set up last (what throughput, responsiveness and the start mode use); engines: every
// engine set up on this page, by name, for pages that host several (raw ORT beside inpage, timed in turn).
const state = { predict: null, input: null, inputs: null, info: {}, engines: {} };

/** The predict function and prepared input of `engine` (one set up on this page), or of the last set up. */
function pick(engine) {
  return engine ? state.engines[engine] : { predict: state.predict, input: state.input };
}

/**
 * inpage's set-ups (create() options besides the registry): in a worker and in-thread on one wasm thread (the
 * per-call overhead over raw ORT on the same thread count), a worker on two (stated), and the defaults.
 */
const INPAGE_ENGINES = {
  worker: { worker: true, backend: 'wasm', numThreads: 1 },
  thread: { worker: false, backend: 'wasm', numThreads: 1 },
  worker2: { worker: true, backend: 'wasm', numThreads: 2 },
  default: {},
};

function drawDigit(canvas) {
  const c = canvas.getContext('2d', { willReadFrequently: true });
  c.fillStyle = '#fff';
  c.fillRect(0, 0, canvas.width, canvas.height);
  c.strokeStyle = '#111';
  c.lineWidth = 24;
  c.lineCap = 'round';
  c.beginPath();
  c.moveTo(100, 60);
  c.lineTo(190, 60);
  c.lineTo(120, 230);
  c.stroke();
  return canvas;
}

/** The digit as the model sees it (28x28, ink = 1, MNIST-normalised) for the raw ORT floor. */
function digitTensorData(canvas) {
  const small = new OffscreenCanvas(28, 28);
  const c = small.getContext('2d');
  c.drawImage(canvas, 4 * 10, 4 * 10, 200, 200, 4, 4, 20, 20);
  const px = c.getImageData(0, 0, 28, 28).data;
  const out = new Float32Array(784);
  for (let i = 0; i < 784; i++) out[i] = ((255 - px[i * 4]) / 255 - 0.1307) / 0.3081;
  return out;
}

async function fetchBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function registryEntry(id) {
  const registry = await (await fetch(`${CDN}registry.json`)).json();
  return defaultEntry(registry, id);
}

/** The ONNX file of a model's newest version in the registry. */
async function modelBytes(id) {
  const entry = await registryEntry(id);
  return fetchBytes(CDN + entry.files.find((f) => f.role === 'model').path);
}

const engines = {
  async inpage({ model, createOptions }) {
    const { create } = await import(`${DIST}index.js`);
    const inpage = await create({ registry: `${CDN}registry.json`, ...createOptions });
    const loaded = await inpage.load(model);
    state.inpage = inpage;
    state.loaded = loaded;
    state.info = {
      backend: inpage.backend.name,
      threads: inpage.backend.threads,
      inWorker: inpage.inWorker,
      model: loaded.info.id,
      version: loaded.info.version,
    };
    return (input) => loaded.predict(input);
  },

  async ort({ task, model }) {
    const ort = await rawOrt();
    const entry = await registryEntry(model);
    const file = (role) => entry.files.find((f) => f.role === role);
    // The session options inpage derives from the registry entry (sentiment 1.2.0 asks for 'basic'), so the
    // difference between the two is inpage's own per-call work, not a graph level.
    const session = await ort.InferenceSession.create(await fetchBytes(CDN + file('model').path), {
      executionProviders: ['wasm'],
      graphOptimizationLevel: entry.runtime?.graphOptimization ?? 'all',
    });
    state.info = { backend: 'wasm', model };
    if (task === 'digits') {
      const inputName = session.inputNames[0];
      return async (data) => {
        const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [1, 1, 28, 28]) });
        const logits = out[session.outputNames[0]].data;
        let best = 0;
        for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
      };
    }
    const { Tokenizer } = await import('/node_modules/@huggingface/tokenizers/dist/tokenizers.min.mjs');
    const tokenizer = new Tokenizer(
      await (await fetch(CDN + file('tokenizer').path)).json(),
      await (await fetch(CDN + file('tokenizer-config').path)).json(),
    );
    state.tokenizer = tokenizer;
    return async (text) => {
      const ids = tokenizer.encode(text).ids;
      const n = ids.length;
      const inputIds = new BigInt64Array(n);
      const mask = new BigInt64Array(n).fill(1n);
      for (let i = 0; i < n; i++) inputIds[i] = BigInt(ids[i]);
      const out = await session.run({
        input_ids: new ort.Tensor('int64', inputIds, [1, n]),
        attention_mask: new ort.Tensor('int64', mask, [1, n]),
      });
      const [a, b] = out.logits.data;
      return { label: b > a ? 'positive' : 'negative' };
    };
  },

  async tjs({ modelDir }) {
    const { pipeline, env } = await import('/bench/.tmp/tjs/transformers.bundle.js');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = CDN;
    // Its default is the same two files on jsDelivr; here they come from node_modules.
    env.backends.onnx.wasm.wasmPaths = {
      mjs: `${TORT}ort-wasm-simd-threaded.asyncify.mjs`,
      wasm: `${TORT}ort-wasm-simd-threaded.asyncify.wasm`,
    };
    const classify = await pipeline('text-classification', modelDir, { dtype: 'fp32' });
    state.info = { backend: 'wasm', model: modelDir, device: classify.model?.sessions ? 'wasm' : 'unknown' };
    return (text) => classify(text);
  },
};

async function setup(options) {
  const t0 = performance.now();
  const { engine } = options;
  if (engine in INPAGE_ENGINES) {
    // A start page may ask for another backend (profile.mjs: 'auto'); the defaults stay untouched.
    const createOptions = options.backend && engine !== 'default' ? { ...INPAGE_ENGINES[engine], backend: options.backend } : INPAGE_ENGINES[engine];
    state.predict = await engines.inpage({ ...options, createOptions });
  } else state.predict = await engines[engine](options);
  const readyMs = performance.now() - t0;
  if (options.task === 'digits') {
    const canvas = drawDigit(document.getElementById('digit'));
    state.input = engine === 'ort' ? digitTensorData(canvas) : canvas;
  }
  state.engines[engine] = { predict: state.predict, input: state.input };
  return { readyMs, info: { ...state.info, crossOriginIsolated: globalThis.crossOriginIsolated } };
}

/** Calls predict for warmupMs (at least once): Chromium keeps optimising the wasm for seconds after a session is made. */
async function warmUp({ engine, input, warmupMs = 3000 }) {
  const { predict, input: prepared } = pick(engine);
  const x = input ?? prepared;
  const first = performance.now();
  let firstCallMs = null;
  let warmupCalls = 0;
  do {
    const t = performance.now();
    await predict(x);
    if (firstCallMs === null) firstCallMs = performance.now() - t;
    warmupCalls++;
  } while (performance.now() - first < warmupMs);
  return { warmupCalls, firstCallMs };
}

/** The times of n sequential calls. */
async function sample({ engine, input, n }) {
  const { predict, input: prepared } = pick(engine);
  const x = input ?? prepared;
  const times = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await predict(x);
    times[i] = performance.now() - t;
  }
  return times;
}

/** Warm up, then time n sequential calls. */
async function time({ input, warmupMs = 3000, n = 500 }) {
  const warm = await warmUp({ input, warmupMs });
  return { ...summary(await sample({ input, n })), ...warm };
}

/** Timed calls straight after setup, no warm-up: what the first seconds of a page feel like. */
async function fresh({ engine, input, n = 100 }) {
  const { predict, input: prepared } = pick(engine);
  const x = input ?? prepared;
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await predict(x);
    times.push(performance.now() - t);
  }
  // first: the first call after load() / pipeline(); then: calls 2-20, the seconds Chromium still tiers up.
  return { ...summary(times), first: times[0], then: summary(times.slice(1, 20)) };
}

/**
 * n back-to-back predictions while a setTimeout(0) ticker measures how late the main thread
 * answers (worst gap between ticks; an idle page ticks every ~4 ms, the browser's clamp) and
 * PerformanceObserver counts long tasks (> 50 ms). A timer rather than a MessageChannel spin:
 * a spinning ticker would itself take a core from the worker on a 2-core machine.
 */
async function responsiveness({ input, n = 1000 }) {
  const x = input ?? state.input;
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let running = true;
  let last = performance.now();
  let worst = 0;
  let ticks = 0;
  const tick = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    ticks++;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await state.predict(x);
  const elapsed = performance.now() - t0;
  // Let the ticker see the end of the loop, and the observer deliver its entries.
  await new Promise((r) => setTimeout(r, 100));
  running = false;
  observer.disconnect();
  return {
    n,
    elapsedMs: elapsed,
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((a, b) => a + b, 0),
    worstLongTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
    worstDelayMs: worst,
    ticks,
  };
}

/** 64 predictions three ways: one at a time, 64 concurrent calls, one predict(string[64]). */
async function throughput({ texts, reps = 5 }) {
  const predict = state.predict;
  const runs = { sequential: [], concurrent: [], array: [] };
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    for (const text of texts) await predict(text);
    runs.sequential.push(performance.now() - t);
    t = performance.now();
    await Promise.all(texts.map((text) => predict(text)));
    runs.concurrent.push(performance.now() - t);
    t = performance.now();
    await predict(texts);
    runs.array.push(performance.now() - t);
  }
  const med = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
  return { n: texts.length, sequentialMs: med(runs.sequential), concurrentMs: med(runs.concurrent), arrayMs: med(runs.array), runs };
}

function tokenCount(text) {
  return state.tokenizer ? state.tokenizer.encode(text).ids.length : null;
}

/** Start mode: goes on predicting the start input for `ms`, as someone using the page would. */
async function keepUsing({ ms }) {
  const end = performance.now() + ms;
  while (performance.now() < end) await state.predict(state.input);
}

window.B = { setup, time, warmUp, sample, fresh, responsiveness, throughput, tokenCount, keepUsing, rawOrt, modelBytes, state };

// Start timing mode: bench.html?auto=<engine>&model=…&text=…
if (params.get('auto')) {
  const engine = params.get('auto');
  (async () => {
    try {
      const task = params.get('task') ?? 'text';
      await setup({ engine, task, model: params.get('model'), modelDir: params.get('modelDir'), backend: engine === 'default' ? undefined : 'auto' });
      const readyMs = performance.now();
      if (task !== 'digits') state.input = params.get('text');
      await state.predict(state.input);
      window.startResult = { ms: performance.now(), readyMs, info: state.info, timings: state.loaded?.info.timings };
    } catch (error) {
      window.startResult = { error: String(error?.stack ?? error) };
    }
  })();
}
