/**
 * Load and soak, in real Chromium: 200 concurrent predictions across two models each come back
 * to their own caller with their own result; thousands of predictions and tens of load/dispose
 * cycles leave the JS heap of the page and of the worker flat and no sessions or requests behind.
 *
 * Counts: a quick run under `npm test`; the full soak (10,000 predictions, 100 load/dispose
 * cycles) with INPAGE_SOAK_FULL=1. The heap figures are printed with `[heap]`.
 */
import { expect, test, type Page } from '@playwright/test';
import type { DigitsModel } from '../src/index';
import { HeapProbe, launchOptionsWith, maxDiff, models, openReliabilityPage, type EngineStats } from './fixtures/reliability/setup';

const FULL = process.env.INPAGE_SOAK_FULL === '1';
const SOAK_PREDICTIONS = FULL ? 10_000 : 1_000;
const LOAD_CYCLES = FULL ? 100 : 20;
/** Heap growth allowed after warm-up, page and worker each. */
const HEAP_BOUND_BYTES = 5 * 1024 * 1024;
const MB = 1024 * 1024;

const choice = models();

// Exact heap figures, and a GC we can ask for in the page and in the worker.
test.use({ launchOptions: launchOptionsWith(['--enable-precise-memory-info', '--js-flags=--expose-gc']) });

test.beforeEach(async ({ page }) => {
  await openReliabilityPage(page);
});

interface Heaps {
  /** Used JS heap of the page after a full GC (CDP), and performance.memory's figure. */
  page: number;
  pageMemoryInfo: number | null;
  /** The same for the engine's worker; null in-thread. */
  worker: number | null;
  /** gc() (from --js-flags=--expose-gc) was callable in the page and in the worker. */
  exposedGc: { page: boolean; worker: boolean };
}

/** Collects garbage in the page and the engine's worker, then reads both heaps. */
async function settledHeaps(page: Page, probe: HeapProbe): Promise<Heaps> {
  const exposedGc = { page: await page.evaluate(() => window.collect()), worker: false };
  for (const w of page.workers()) {
    exposedGc.worker = await w.evaluate(() => {
      const g = globalThis as any;
      if (typeof g.gc !== 'function') return false;
      g.gc();
      return true;
    });
  }
  const pageHeap = await probe.pageHeap();
  const worker = await probe.workerHeap();
  const pageMemoryInfo = await page.evaluate(() => window.heapBytes());
  return { page: pageHeap, pageMemoryInfo, worker, exposedGc };
}

function growth(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

function mb(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / MB).toFixed(3)} MB`;
}

/** A sentence of `words` words, varied by `seed`, so texts differ in content and length. */
const VOCABULARY = [
  'the',
  'room',
  'was',
  'clean',
  'and',
  'staff',
  'friendly',
  'but',
  'breakfast',
  'cold',
  'awful',
  'wonderful',
  'slow',
  'service',
  'loved',
  'hated',
  'view',
  'noisy',
  'great',
  'value',
  'never',
  'again',
  'highly',
  'recommend',
  'dirty',
];

for (const worker of [true, false]) {
  test(`64 concurrent text predictions are coalesced into a few session runs, not one each (${worker ? 'worker' : 'in-thread'})`, async ({
    page,
  }) => {
    test.skip(!choice.text, 'needs a text model, whose batch axis is dynamic');
    const r = await page.evaluate(
      async ({ registry, text, worker }) => {
        const inpage = await window.Inpage.create({ registry, worker });
        const model = await inpage.load(text);
        const before = await inpage.testing.stats();
        const texts = Array.from({ length: 64 }, (_, i) => `review ${i}: the service was ${i % 2 ? 'quick and friendly' : 'slow and rude'}`);
        const results = await Promise.all(texts.map((t) => model.predict(t)));
        const after = await inpage.testing.stats();
        const inWorker = inpage.inWorker;
        await inpage.dispose();
        return { runs: after.runs - before.runs, answered: results.length, inWorker };
      },
      { registry: choice.registry, text: choice.text ?? '', worker },
    );
    console.log(`[batching] 64 concurrent predict() calls (${worker ? 'worker' : 'in-thread'}): ${r.runs} session runs`);
    expect(r.inWorker).toBe(worker);
    expect(r.answered).toBe(64);
    // maxBatch is 32: the first call runs alone and the 63 queued behind it take two more runs. In a worker
    // they are queued messages while a run blocks its thread; without a turn between runs each ran alone (64).
    expect(r.runs).toBeLessThanOrEqual(4);
  });
}

test('200 concurrent predictions across two models: each caller gets its own result, as when called alone', async ({ page }) => {
  const r = await page.evaluate(
    async ({ registry, digits, text, vocabulary }) => {
      const w = window;
      const inpage = await w.Inpage.create({ registry });
      const digitModel = (await inpage.load(digits)) as DigitsModel;
      const secondModel = await inpage.load(text ?? digits);
      // 100 distinct drawings: ten digits, ten variants of each (writing style, size, place, stroke).
      const drawings = Array.from({ length: 100 }, (_, i) => ({
        digit: i % 10,
        variant: {
          style: Math.floor(i / 10),
          scale: 0.55 + Math.floor(i / 10) * 0.04,
          dx: ((i % 3) - 1) * 0.05,
          dy: ((i % 4) - 1.5) * 0.03,
          width: 0.06 + (i % 5) * 0.01,
        },
      }));
      // The second model's inputs: sentences of 1 to ~120 words, or distinct seeded floats.
      let seed = 12345;
      const random = (): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const secondInputs: (string | number[])[] = Array.from({ length: 100 }, (_, i) => {
        if (!text) return Array.from({ length: 784 }, () => (random() < 0.15 ? random() : 0));
        const words = 1 + ((i * 37) % 120);
        return Array.from({ length: words }, (_, k) => vocabulary[(i * 7 + k * 3 + ((k * k) % 5)) % vocabulary.length]).join(' ');
      });
      const secondInput = (i: number): unknown => {
        const value = secondInputs[i];
        return typeof value === 'string' ? value : Float32Array.from(value);
      };
      const scoresOf = (result: any): number[] => ('probabilities' in result ? result.probabilities : Object.values(result.scores));

      // Each input alone, one at a time.
      const aloneDigits: number[][] = [];
      const aloneLabels: number[] = [];
      for (const { digit, variant } of drawings) {
        const result = await digitModel.predict(w.digitCanvas(digit, variant));
        aloneDigits.push(result.probabilities);
        aloneLabels.push(result.label);
      }
      const aloneSecond: number[][] = [];
      for (let i = 0; i < 100; i++) aloneSecond.push(scoresOf(await secondModel.predict(secondInput(i))));

      // All 200 at once, interleaved, so batches mix inputs of every kind and length.
      const calls: Promise<any>[] = [];
      for (let i = 0; i < 100; i++) {
        calls.push(digitModel.predict(w.digitCanvas(drawings[i].digit, drawings[i].variant)));
        calls.push(secondModel.predict(secondInput(i)));
      }
      const settled = await Promise.all(calls.map((call) => w.settleWithin(call, 60_000)));
      const together = settled.map((s: any) => (s.status === 'fulfilled' ? scoresOf(s.value) : s));
      const stats: EngineStats = await inpage.testing.stats();
      await inpage.dispose();
      return { drawings: drawings.map((d) => d.digit), aloneDigits, aloneLabels, aloneSecond, together, stats };
    },
    { registry: choice.registry, digits: choice.digits, text: choice.text, vocabulary: VOCABULARY },
  );

  let worstDigit = 0;
  let worstSecond = 0;
  for (let i = 0; i < 100; i++) {
    const digit = r.together[2 * i];
    const second = r.together[2 * i + 1];
    expect(Array.isArray(digit), `digit call ${i} settled with a result: ${JSON.stringify(digit)}`).toBe(true);
    expect(Array.isArray(second), `second-model call ${i} settled with a result: ${JSON.stringify(second)}`).toBe(true);
    worstDigit = Math.max(worstDigit, maxDiff(digit as number[], r.aloneDigits[i]));
    worstSecond = Math.max(worstSecond, maxDiff(second as number[], r.aloneSecond[i]));
  }
  // Results differ (beyond the 1e-5 tolerance) between inputs, so a row given to the wrong caller would be seen.
  const distinct = (rows: number[][]): number => new Set(rows.map((row) => row.map((p) => p.toFixed(5)).join(','))).size;
  const correct = r.aloneLabels.filter((label, i) => label === r.drawings[i]).length;
  console.log(
    `[200 concurrent] worst |Δ| digits ${worstDigit.toExponential(2)}, ${choice.text ?? 'second digits'} ${worstSecond.toExponential(2)}; ` +
      `distinct results ${distinct(r.aloneDigits)}/100 and ${distinct(r.aloneSecond)}/100; drawn digits read right ${correct}/100`,
  );
  expect(worstDigit).toBeLessThan(1e-5);
  expect(worstSecond).toBeLessThan(1e-5);
  expect(distinct(r.aloneDigits)).toBeGreaterThanOrEqual(90);
  // A confident text model saturates some scores; half distinct still shows rows are not mixed up.
  expect(distinct(r.aloneSecond)).toBeGreaterThanOrEqual(choice.text ? 50 : 90);
  expect(r.stats).toMatchObject({ sessions: 2, pendingRequests: 0 });
  // On the real model the drawings are read as the digits they are.
  if (choice.real) expect(correct).toBeGreaterThanOrEqual(85);
});

test(`${SOAK_PREDICTIONS} predictions: the heap of page and worker stays flat, no sessions or requests pile up`, async ({ page }) => {
  test.setTimeout(FULL ? 900_000 : 180_000);
  const probe = await HeapProbe.attach(page);
  await page.evaluate(
    async ({ registry, digits, text }) => {
      const w = window;
      const inpage = await w.Inpage.create({ registry });
      w.soak = {
        inpage,
        digits: await inpage.load(digits),
        second: await inpage.load(text ?? digits),
        text,
        /** Runs `count` predictions, `parallel` at a time, alternating models; keeps no results. */
        async run(count: number, parallel: number): Promise<{ failures: number; maxPending: number; maxSessions: number }> {
          let failures = 0;
          let maxPending = 0;
          let maxSessions = 0;
          const canvases = Array.from({ length: 10 }, (_, d) => w.digitCanvas(d));
          for (let done = 0; done < count; done += parallel) {
            const calls = [];
            for (let k = 0; k < Math.min(parallel, count - done); k++) {
              const i = done + k;
              calls.push(
                i % 2 === 0
                  ? this.digits.predict(canvases[i % 10])
                  : this.second.predict(this.text ? `Review ${i}: the stay was ${i % 3 ? 'lovely' : 'dreadful'}.` : canvases[(i + 5) % 10]),
              );
            }
            // Every tenth round, look once its first call is back and the rest are in flight: only this round is pending.
            if ((done / parallel) % 10 === 0) {
              await Promise.race(calls.map((call) => call.catch(() => undefined)));
              const stats = await inpage.testing.stats();
              maxPending = Math.max(maxPending, stats.pendingRequests);
              maxSessions = Math.max(maxSessions, stats.sessions);
            }
            const outcomes = await Promise.allSettled(calls);
            failures += outcomes.filter((o) => o.status === 'rejected').length;
          }
          return { failures, maxPending, maxSessions };
        },
      };
    },
    { registry: choice.registry, digits: choice.digits, text: choice.text },
  );
  const run = (count: number) => page.evaluate((n) => window.soak.run(n, 20), count);
  const stats = () => page.evaluate(() => window.soak.inpage.testing.stats());

  const warmUp = await run(400);
  expect(warmUp.failures).toBe(0);
  const statsBefore = await stats();
  const before = await settledHeaps(page, probe);
  const soak = await run(SOAK_PREDICTIONS);
  const statsAfter = await stats();
  const after = await settledHeaps(page, probe);
  await page.evaluate(() => window.soak.inpage.dispose());

  const pageGrowth = growth(before.page, after.page);
  const workerGrowth = growth(before.worker, after.worker);
  console.log(
    `[heap] ${SOAK_PREDICTIONS} predictions (${choice.digits} + ${choice.text ?? choice.digits}, worker): ` +
      `page ${mb(before.page)} → ${mb(after.page)} (growth ${mb(pageGrowth)}); ` +
      `worker ${mb(before.worker)} → ${mb(after.worker)} (growth ${mb(workerGrowth)}); ` +
      `performance.memory (page) ${mb(before.pageMemoryInfo)} → ${mb(after.pageMemoryInfo)}; ` +
      `stats().heapBytes ${mb(statsBefore.heapBytes)} → ${mb(statsAfter.heapBytes)}; max pending seen mid-round ${soak.maxPending}`,
  );
  expect(soak.failures).toBe(0);
  expect(statsAfter.predictions - statsBefore.predictions).toBe(SOAK_PREDICTIONS);
  expect(statsAfter).toMatchObject({ sessions: 2, pendingRequests: 0 });
  expect(soak.maxSessions).toBe(2);
  // pendingRequests counts queued requests plus one per model with a run in flight.
  expect(soak.maxPending).toBeLessThanOrEqual(20 + 2);
  expect(before.exposedGc, 'gc() is exposed in the page and the worker').toEqual({ page: true, worker: true });
  expect(pageGrowth!).toBeLessThan(HEAP_BOUND_BYTES);
  expect(before.worker, "the worker's heap is readable").not.toBeNull();
  expect(workerGrowth!).toBeLessThan(HEAP_BOUND_BYTES);
});

for (const worker of [true, false]) {
  const where = worker ? 'in a worker' : 'in-thread';

  test(`loading and disposing models ${LOAD_CYCLES} times ${where}: sessions back to 0, heap flat`, async ({ page }) => {
    test.setTimeout(FULL ? 900_000 : 180_000);
    const probe = await HeapProbe.attach(page);
    await page.evaluate(
      async ({ registry, digits, text, worker }) => {
        const w = window;
        const inpage = await w.Inpage.create({ registry, worker });
        w.cycles = {
          inpage,
          async run(count: number): Promise<{ failures: string[]; sessionsAfterEach: number[] }> {
            const failures: string[] = [];
            const sessionsAfterEach: number[] = [];
            for (let i = 0; i < count; i++) {
              try {
                const model = await inpage.load(digits);
                await model.predict(w.digitCanvas(i % 10));
                if (text) {
                  const textModel = await inpage.load(text);
                  await textModel.predict('A pleasant stay.');
                  await textModel.dispose();
                }
                await model.dispose();
              } catch (error: any) {
                failures.push(`${error?.code}: ${error?.message}`);
              }
              sessionsAfterEach.push((await inpage.testing.stats()).sessions);
            }
            return { failures, sessionsAfterEach };
          },
        };
      },
      { registry: choice.registry, digits: choice.digits, text: choice.text, worker },
    );
    const run = (count: number) => page.evaluate((n) => window.cycles.run(n), count);
    const warmUp = await run(3);
    expect(warmUp.failures).toEqual([]);
    const before = await settledHeaps(page, probe);
    const cycles = await run(LOAD_CYCLES);
    const after = await settledHeaps(page, probe);
    const stats = await page.evaluate(() => window.cycles.inpage.testing.stats());
    await page.evaluate(() => window.cycles.inpage.dispose());

    const pageGrowth = growth(before.page, after.page);
    const workerGrowth = growth(before.worker, after.worker);
    console.log(
      `[heap] ${LOAD_CYCLES} load/predict/dispose cycles of ${[choice.digits, choice.text].filter(Boolean).join(' + ')} ${where}: ` +
        `page growth ${mb(pageGrowth)} (${mb(before.page)} → ${mb(after.page)}); ` +
        `worker growth ${mb(workerGrowth)} (${mb(before.worker)} → ${mb(after.worker)})`,
    );
    expect(cycles.failures).toEqual([]);
    expect(
      cycles.sessionsAfterEach.every((n) => n === 0),
      `sessions after each cycle: ${cycles.sessionsAfterEach.join(',')}`,
    ).toBe(true);
    expect(stats).toMatchObject({ sessions: 0, pendingRequests: 0 });
    expect(pageGrowth!).toBeLessThan(HEAP_BOUND_BYTES);
    if (worker) {
      expect(before.worker, "the worker's heap is readable").not.toBeNull();
      expect(workerGrowth!).toBeLessThan(HEAP_BOUND_BYTES);
    }
  });
}
