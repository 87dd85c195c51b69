/**
 * Streaming voice activity in Chromium: Silero VAD v5 (from its npm package, published by
 * `npm run models:extra`) as a `voice-activity` model whose recurrent state stays in the engine.
 * Speech made by espeak-ng (several voices and speeds) is pushed in odd-sized chunks at 16 kHz
 * and at 48 kHz; every frame equals onnxruntime-node's frame-by-frame reference on the same
 * samples within 1e-4, in a worker and in-thread, and the speech segments match the spoken
 * stretches within 0.25 s. listen() runs on a MediaStream the page makes, under a strict CSP.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import type { Model } from '../src/index';
import { StreamResampler } from '../src/tasks/resample-stream.js';
import { CDN_PORT } from './helpers/registries.js';
import { referenceVad, resample, speak, VAD_RATE, type Speech } from './helpers/speech.js';

const REGISTRY = `http://127.0.0.1:${CDN_PORT}/models/extra/registry.json`;
const CHUNKS = [100, 4000, 37];

const VOICES = [
  { text: 'Please turn the lights off in the kitchen.', voice: 'en', speed: 150 },
  { text: 'Good morning, everyone.', voice: 'en-us+f3', speed: 120 },
  { text: 'The train leaves at seven thirty tonight.', voice: 'en+m3', speed: 190 },
];

let speeches: Speech[];

test.beforeAll(() => {
  if (!existsSync('public/models/extra/registry.json')) execFileSync(process.execPath, ['scripts/extra-models/publish.mjs'], { stdio: 'inherit' });
  speeches = VOICES.map((v) => speak(v.text, v));
});

async function open(page: Page): Promise<void> {
  await page.goto('/e2e/fixtures/any-model/iife.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

/** 48 kHz audio whose 16 kHz resampling (by the SDK's own resampler) is the reference's input. */
function at48k(speech: Speech): { samples48: Float32Array; samples16: Float32Array } {
  const samples48 = resample(speech.samples, VAD_RATE, 48_000);
  return { samples48, samples16: new StreamResampler(48_000, VAD_RATE).push(samples48) };
}

function expectParity(frames: { probability: number }[], reference: number[]): void {
  expect(frames.length).toBe(reference.length);
  const worst = Math.max(...frames.map((f, i) => Math.abs(f.probability - (reference[i] ?? NaN))));
  expect(worst).toBeLessThan(1e-4);
}

function expectSegments(events: { type: string; time: number }[], speech: Speech): void {
  expect(events.map((e) => e.type)).toEqual(['speechstart', 'speechend']);
  expect(Math.abs((events[0]?.time ?? NaN) - speech.speechStart)).toBeLessThan(0.25);
  expect(Math.abs((events[1]?.time ?? NaN) - speech.speechEnd)).toBeLessThan(0.25);
}

for (const worker of [true, false]) {
  const where = worker ? 'worker' : 'in-thread';

  test(`stream (${where}): speech in odd chunks at 16 kHz and 48 kHz equals onnxruntime-node frame by frame, with segments at the spoken times`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await open(page);
    const inputs = speeches.map((speech) => ({ s16: Array.from(speech.samples), s48: Array.from(at48k(speech).samples48) }));
    const outcome = await page.evaluate(
      async ({ registry, worker, inputs, chunks }) => {
        const w = window;
        const inpage = await w.sdk.create({ registry, worker });
        const vad = await inpage.load('silero-vad-stream', { task: 'voice-activity' });
        const runs = [];
        for (const input of inputs) {
          const run: Record<string, unknown> = {};
          for (const rate of [16000, 48000]) {
            const stream = vad.stream({ sampleRate: rate });
            const events = w.recordEvents(stream);
            const frames = await w.pushInChunks(stream, Float32Array.from(rate === 16000 ? input.s16 : input.s48), chunks);
            await stream.close();
            run[rate] = { frames, events };
          }
          runs.push(run);
        }
        // predict() on a whole clip gives the same frames, and the segments.
        const clip = await vad.predict(Float32Array.from(inputs[0].s16));
        const info = vad.info;
        await inpage.dispose();
        return { runs, clip, info, inWorker: inpage.inWorker };
      },
      { registry: REGISTRY, worker, inputs, chunks: CHUNKS },
    );
    expect(outcome.inWorker).toBe(worker);
    expect(outcome.info).toMatchObject({ task: 'voice-activity', preprocess: { kind: 'vad', sampleRate: 16000 } });
    for (const [i, speech] of speeches.entries()) {
      const run = outcome.runs[i] as Record<number, { frames: { start: number; probability: number }[]; events: { type: string; time: number }[] }>;
      expectParity(run[16000].frames, await referenceVad(speech.samples));
      expectParity(run[48000].frames, await referenceVad(at48k(speech).samples16));
      expectSegments(run[16000].events, speech);
      expectSegments(run[48000].events, speech);
      run[16000].frames.forEach((frame, f) => {
        expect(frame.start).toBeCloseTo((f * 512) / 16000, 6);
      });
    }
    expectParity(outcome.clip.frames, await referenceVad(speeches[0].samples));
    expect(outcome.clip.segments).toHaveLength(1);
    expect(Math.abs(outcome.clip.segments[0].start - speeches[0].speechStart)).toBeLessThan(0.25);
  });

  test(`two concurrent streams keep separate states; reset and close (${where})`, async ({ page }) => {
    await open(page);
    const outcome = await page.evaluate(
      async ({ registry, worker, speech, chunks }) => {
        const w = window;
        const inpage = await w.sdk.create({ registry, worker });
        const vad = (await inpage.load('silero-vad-stream')) as Model<'voice-activity'>;
        const talk = vad.stream();
        const quiet = vad.stream();
        const samples = Float32Array.from(speech);
        // Interleaved pushes, not awaited in turn: both streams are in the engine's queue at once.
        const [talking, silent] = await Promise.all([
          w.pushInChunks(talk, samples, chunks),
          w.pushInChunks(quiet, new Float32Array(samples.length), chunks),
        ]);
        // reset: the clock restarts at 0 and the state is fresh (the same first frames again).
        await talk.reset();
        const again = await w.pushInChunks(talk, samples.slice(0, 4096), [4096]);
        await talk.close();
        const closed = await w.errorOf(talk.push(samples.slice(0, 512)));
        const badRate = await w.errorOf(Promise.resolve().then(() => vad.stream({ sampleRate: 100 })));
        const badSamples = await w.errorOf(quiet.push([0.1, 0.2] as never)); // not a Float32Array, on purpose
        const notAStreamModel = await w.errorOf(
          Promise.resolve().then(async () => ((await inpage.load('silero-vad')) as Model<'voice-activity'>).stream()),
        );
        await inpage.dispose();
        return { talking, silent, again, closed, badRate, badSamples, notAStreamModel };
      },
      { registry: REGISTRY, worker, speech: Array.from(speeches[0].samples), chunks: CHUNKS },
    );
    const reference = await referenceVad(speeches[0].samples);
    expectParity(outcome.talking, reference);
    expect(Math.max(...outcome.silent.map((f: { probability: number }) => f.probability))).toBeLessThan(0.2);
    expect(outcome.again[0].start).toBe(0);
    outcome.again.forEach((frame: { probability: number }, i: number) => {
      expect(Math.abs(frame.probability - (reference[i] ?? NaN))).toBeLessThan(1e-4);
    });
    expect(outcome.closed).toMatchObject({ code: 'DISPOSED' });
    expect(outcome.badRate).toMatchObject({ code: 'OPTIONS_INVALID' });
    expect(outcome.badSamples).toMatchObject({ code: 'INPUT_INVALID' });
    expect(outcome.notAStreamModel).toMatchObject({ code: 'OPTIONS_INVALID' });
  });
}

test('a worker crash mid-stream rejects the pending push with WORKER_CRASHED; the next push starts afresh and says reset', async ({ page }) => {
  await open(page);
  const outcome = await page.evaluate(
    async ({ registry, speech }) => {
      const w = window;
      const inpage = await w.sdk.create({ registry });
      const vad = (await inpage.load('silero-vad-stream')) as Model<'voice-activity'>;
      const stream = vad.stream();
      const samples = Float32Array.from(speech);
      const before = await stream.push(samples.slice(0, 16000));
      const pending = stream.push(samples.slice(16000, 32000));
      inpage.testing.crashWorker();
      const crashed = await w.errorOf(pending);
      const after = await stream.push(samples.slice(32000, 40000));
      await inpage.dispose();
      return { before: before.length, crashed, after };
    },
    { registry: REGISTRY, speech: Array.from(speeches[0].samples) },
  );
  expect(outcome.before).toBe(31);
  expect(outcome.crashed).toMatchObject({ isInpageError: true, code: 'WORKER_CRASHED' });
  expect(outcome.after[0]).toMatchObject({ reset: true });
  // The fresh state's clock goes on from the page's: 2 s were pushed before this push.
  expect(outcome.after[0].start).toBeCloseTo(2, 6);
  expect(outcome.after.slice(1).every((f: { reset?: boolean }) => f.reset === undefined)).toBe(true);
});

for (const worker of [true, false]) {
  test(`listen() on the page's own MediaStream under a strict CSP (${worker ? 'worker' : 'in-thread'}): frames flow in order, no violation, and the caller's tracks keep running after stop()`, async ({
    page,
  }) => {
    await page.goto('/e2e/fixtures/any-model/listen.html?csp=strict');
    const outcome = await page.evaluate((options) => window.listenToTone(options), { registry: REGISTRY, worker, ms: 2000 });
    // 2 s of audio is about 62 frames of 32 ms; the audio clock starts when the context does.
    expect(outcome.frames).toBeGreaterThan(20);
    expect(outcome.framesAfterStop).toBe(0);
    expect(outcome.ordered).toBe(true);
    expect(outcome.finite).toBe(true);
    expect(outcome.tracks).toEqual(['live']);
    expect(await page.evaluate(() => window.violations)).toEqual([]);
  });
}
