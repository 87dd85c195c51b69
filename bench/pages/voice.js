// The in-page half of the voice-stream benchmark (bench/lib/voice.mjs drives it): one frame of
// Silero VAD through inpage's stream (in a worker, in-thread) beside raw onnxruntime-web's
// session.run of the same frame with the state carried by hand; and the main thread's
// responsiveness while listen() captures a (fake) microphone.
import { defaultEntry } from '../lib/default-entry.mjs';
import { summary } from '../lib/summary.mjs';
import { rawOrt } from './raw-ort.js';

const params = new URLSearchParams(location.search);
const CDN = params.get('cdn'); // the folder holding the extra models' registry.json, ending in /
const DIST = params.get('dist') ?? '/dist/';
const MODEL = 'silero-vad-stream';
const RATE = 16_000;
const FRAME = 512;
const CONTEXT = 64;

/** Deterministic audio: bursts of shaped noise (speech-like energy) between quiet stretches. */
function testAudio(frames) {
  const samples = new Float32Array(frames * FRAME);
  let seed = 12345;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const noise = seed / 2 ** 32 - 0.5;
    const envelope = Math.sin((i / RATE) * Math.PI * 0.7) ** 2;
    samples[i] = 0.6 * envelope * (noise * 0.5 + 0.5 * Math.sin((2 * Math.PI * 180 * i) / RATE));
  }
  return samples;
}

const frameOf = (audio, index) => audio.subarray((index % (audio.length / FRAME)) * FRAME, ((index % (audio.length / FRAME)) + 1) * FRAME);

async function inpageStream(worker) {
  const { create } = await import(`${DIST}index.js`);
  const inpage = await create({ registry: `${CDN}registry.json`, worker, backend: 'wasm', numThreads: 1 });
  const model = await inpage.load(MODEL, { task: 'voice-activity' });
  return { inpage, model, stream: model.stream({ sampleRate: RATE }) };
}

/** Raw onnxruntime-web on this thread: the context, the state and the tensors made by hand, as inpage does. */
async function rawStream() {
  const ort = await rawOrt(DIST);
  const registry = await (await fetch(`${CDN}registry.json`)).json();
  const entry = defaultEntry(registry, MODEL);
  const bytes = new Uint8Array(await (await fetch(CDN + entry.files.find((f) => f.role === 'model').path)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  let state = new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.of(BigInt(RATE)), []);
  const window576 = new Float32Array(CONTEXT + FRAME);
  return {
    async push(frame) {
      window576.copyWithin(0, FRAME, FRAME + CONTEXT);
      window576.set(frame, CONTEXT);
      const out = await session.run({ input: new ort.Tensor('float32', window576.slice(), [1, CONTEXT + FRAME]), state, sr });
      state = out.stateN;
      return out.output.data[0];
    },
  };
}

const engines = {};

async function setup() {
  const t0 = performance.now();
  engines.worker = (await inpageStream(true)).stream;
  engines.thread = (await inpageStream(false)).stream;
  engines.ort = await rawStream();
  return { readyMs: performance.now() - t0 };
}

/** Per engine, one frame per push, awaited: the latency of a frame (call to result). */
async function frames({ engine, n, from = 0 }) {
  const audio = testAudio(64);
  const target = engines[engine];
  const times = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await target.push(frameOf(audio, from + i));
    times[i] = performance.now() - t;
  }
  return times;
}

/**
 * A stream kept busy, as a microphone that is never waited on: `depth` pushes in flight, and the
 * time between one frame's result and the next. In the worker this is what a frame costs once
 * the hop overlaps the previous frame's run.
 */
async function pipelined({ engine, n, depth = 2 }) {
  const audio = testAudio(64);
  const target = engines[engine];
  const done = [];
  let next = 0;
  const lane = async () => {
    while (next < n) {
      const index = next++;
      await target.push(frameOf(audio, index));
      done.push(performance.now());
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: depth }, lane));
  const gaps = done.slice(1).map((time, i) => time - done[i]);
  return { ...summary(gaps), perFrameMs: (performance.now() - t0) / n };
}

/** The main thread while `listen()` hears the fake microphone for `ms` (or idles, as the baseline). */
async function responsiveness({ ms, listening }) {
  let mic = null;
  let heard = 0;
  if (listening) {
    const { create } = await import(`${DIST}index.js`);
    const inpage = await create({ registry: `${CDN}registry.json`, worker: true, backend: 'wasm', numThreads: 1 });
    const model = await inpage.load(MODEL, { task: 'voice-activity' });
    mic = await model.listen();
    mic.addEventListener('frame', () => heard++);
  }
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  let worst = 0;
  let last = performance.now();
  const end = last + ms;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
      if (now < end) setTimeout(tick, 0);
      else resolve();
    };
    setTimeout(tick, 0);
  });
  observer.disconnect();
  await mic?.stop();
  return { worstDelayMs: worst, longTasks: longTasks.length, frames: heard };
}

window.V = { setup, frames, pipelined, responsiveness };
