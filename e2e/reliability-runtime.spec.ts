/**
 * Runtime faults, in real Chromium: the worker dying mid-request or mid-load, the WebGPU device
 * lost mid-session, and dispose() while predictions run. Each ends in a recovery or a typed
 * InpageError: never a hang (every pending call is raced against a generous guard, so a hang
 * shows up as data, not as a test timeout).
 */
import { expect, test, type Page } from '@playwright/test';
import type { BackendChangeDetail, DigitsModel } from '../src/index';
import { maxDiff, models, openReliabilityPage, type EngineStats, type Settled } from './fixtures/reliability/setup';

/** Far longer than any of these calls takes; a call still pending after it is a hang. */
const GUARD_MS = 30_000;

const choice = models();

test.beforeEach(async ({ page }) => {
  await openReliabilityPage(page);
});

/** Counts outcomes: fulfilled, rejected by code, hung. */
function tally(outcomes: Settled<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome.status === 'rejected' ? `rejected:${outcome.error.code}` : outcome.status;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

test.describe('worker terminated', () => {
  test('mid-request, with many calls pending on two models: each settles (a result or WORKER_CRASHED) and the next calls work', async ({ page }) => {
    const run = await page.evaluate(
      async ({ registry, digits, text, guard }) => {
        const w = window;
        const inpage = await w.Inpage.create({ registry });
        const first = await inpage.load(digits);
        // The second model: the text model when it exists, else a second copy of the digits model.
        const second = await inpage.load(text ?? digits);
        const secondInput = text ? 'The staff were friendly and the room was clean.' : w.digitCanvas(7);
        const before: EngineStats = await inpage.testing.stats();
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < 100; i++) {
          calls.push(first.predict(w.digitCanvas(i % 10, { dx: (i % 7) / 100 })));
          calls.push(second.predict(typeof secondInput === 'string' ? `${secondInput} (${i})` : secondInput));
        }
        // Wait until the worker is demonstrably working on them, then kill it.
        await Promise.race(calls.map((call) => call.catch(() => undefined)));
        inpage.testing.crashWorker();
        const outcomes = await Promise.all(calls.map((call) => w.settleWithin(call, guard)));
        const afterFirst = await w.settleWithin(first.predict(w.digitCanvas(3)), guard);
        const afterSecond = await w.settleWithin(second.predict(secondInput), guard);
        const after: EngineStats = await inpage.testing.stats();
        await inpage.dispose();
        return { before, outcomes, afterFirst, afterSecond, after };
      },
      { ...choice, guard: GUARD_MS },
    );
    const counts = tally(run.outcomes);
    console.log(`[worker crash mid-request] outcomes of 200 pending calls: ${JSON.stringify(counts)}`);
    expect(counts.hung ?? 0, 'no call stays pending').toBe(0);
    expect(Object.keys(counts).every((key) => key === 'fulfilled' || key === 'rejected:WORKER_CRASHED')).toBe(true);
    expect(counts['rejected:WORKER_CRASHED'] ?? 0).toBeGreaterThan(0);
    for (const outcome of run.outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.error.isInpageError).toBe(true);
        expect(outcome.error.message).toMatch(/worker/i);
      }
    }
    expect(run.afterFirst.status).toBe('fulfilled');
    expect(run.afterSecond.status).toBe('fulfilled');
    expect(run.before.sessions).toBe(2);
    // The fresh worker reloaded both models, and holds nothing else.
    expect(run.after).toMatchObject({ sessions: 2, pendingRequests: 0 });
  });

  for (const when of ['as the load starts', 'during the download'] as const) {
    test(`while a model is loading (${when}): the load rejects WORKER_CRASHED, loading again works`, async ({ page }) => {
      const run = await page.evaluate(
        async ({ registry, digits, text, when, guard }) => {
          const w = window;
          // No cache, so the download really happens and reports progress.
          const inpage = await w.Inpage.create({ registry, cache: false });
          const other = await inpage.load(digits);
          let crashed = false;
          let progressEvents = 0;
          const crash = (): void => {
            if (crashed) return;
            crashed = true;
            inpage.testing.crashWorker();
          };
          const loading = inpage.load(text ?? digits, {
            onProgress: () => {
              progressEvents += 1;
              if (when === 'during the download') crash();
            },
          });
          // A prediction on a model already loaded is in flight at the same time.
          const predicting = other.predict(w.digitCanvas(2));
          if (when === 'as the load starts') crash();
          const load = await w.settleWithin(loading, guard);
          const predict = await w.settleWithin(predicting, guard);
          const again = await w.settleWithin(
            inpage.load(text ?? digits).then((model: any) => model.predict(text ? 'Lovely food' : w.digitCanvas(5))),
            guard,
          );
          const otherAfter = await w.settleWithin(other.predict(w.digitCanvas(2)), guard);
          const stats: EngineStats = await inpage.testing.stats();
          await inpage.dispose();
          return { crashed, progressEvents, load, predict, again, otherAfter, stats };
        },
        { ...choice, when, guard: GUARD_MS },
      );
      expect(run.crashed, 'the crash was injected').toBe(true);
      expect(run.load.status).toBe('rejected');
      if (run.load.status === 'rejected') {
        expect(run.load.error).toMatchObject({ isInpageError: true, code: 'WORKER_CRASHED' });
        expect(run.load.error.message).toMatch(/worker/i);
      }
      // The concurrent prediction either finished first or was cut off by the same crash.
      expect(run.predict.status).not.toBe('hung');
      if (run.predict.status === 'rejected') expect(run.predict.error.code).toBe('WORKER_CRASHED');
      expect(run.again.status).toBe('fulfilled');
      expect(run.otherAfter.status).toBe('fulfilled');
      // Two models were loaded successfully; the crashed load left nothing behind.
      expect(run.stats).toMatchObject({ sessions: 2, pendingRequests: 0 });
    });
  }
});

interface LossRun {
  reportBefore: { name: string };
  infoBefore: { backend: string };
  destroyed: boolean;
  baseline: number[][];
  results: Settled<{ probabilities: number[] }>[];
  backend: { name: string; reason: string; fallbackFrom?: string; requested: string };
  infoAfter: { backend: string };
  event: Settled<{ name: string; fallbackFrom?: string; reason: string }>;
  events: number;
  later: Settled<{ probabilities: number[] }>;
}

/** How long to wait for the backendchange event once the replayed requests have resolved. */
const EVENT_GUARD_MS = 5_000;

/**
 * Forces WebGPU (SwiftShader here), predicts, destroys the device before or while requests run.
 * `nudge`: the page makes one more inpage call (stats()) before looking at the report.
 */
async function loseDevice(page: Page, worker: boolean, when: 'before' | 'during', nudge: boolean): Promise<LossRun> {
  return page.evaluate(
    async ({ registry, digits, worker, when, nudge, guard, eventGuard }) => {
      const w = window;
      const inpage = await w.Inpage.create({ registry, backend: 'webgpu', worker });
      let events = 0;
      const changed = new Promise<BackendChangeDetail>((resolve) => {
        inpage.addEventListener('backendchange', (e) => {
          events += 1;
          resolve((e as CustomEvent<BackendChangeDetail>).detail);
        });
      });
      const model = (await inpage.load(digits)) as DigitsModel;
      const reportBefore = inpage.backend;
      const infoBefore = model.info;
      const inputs = [1, 4, 7, 0, 8].map((digit) => () => w.digitCanvas(digit));
      const baseline: number[][] = [];
      for (const input of inputs) baseline.push((await model.predict(input())).probabilities);
      let destroyed: boolean;
      let results;
      if (when === 'before') {
        destroyed = await inpage.testing.loseWebGpuDevice();
        results = await Promise.all(inputs.map((input) => w.settleWithin(model.predict(input()), guard)));
      } else {
        const pending = inputs.map((input) => model.predict(input()));
        destroyed = await inpage.testing.loseWebGpuDevice();
        results = await Promise.all(pending.map((call) => w.settleWithin(call, guard)));
      }
      if (nudge) await inpage.testing.stats();
      const event = await w.settleWithin(changed, eventGuard);
      const backend = inpage.backend;
      const infoAfter = model.info;
      const later = await w.settleWithin(model.predict(inputs[0]()), guard);
      await inpage.dispose();
      return { reportBefore, infoBefore, destroyed, baseline, results, backend, infoAfter, event, events, later };
    },
    { registry: choice.registry, digits: choice.digits, worker, when, nudge, guard: GUARD_MS, eventGuard: EVENT_GUARD_MS },
  );
}

function checkRecovery(run: LossRun): void {
  expect(run.reportBefore.name).toBe('webgpu');
  expect(run.infoBefore.backend).toBe('webgpu');
  expect(run.destroyed, 'a GPU device was destroyed').toBe(true);
  run.results.forEach((result, i) => {
    expect(result.status, `request ${i}: ${JSON.stringify(result)}`).toBe('fulfilled');
    if (result.status === 'fulfilled') expect(maxDiff(result.value.probabilities, run.baseline[i] ?? [])).toBeLessThan(1e-4);
  });
  expect(run.event.status, 'a backendchange event fired').toBe('fulfilled');
  if (run.event.status === 'fulfilled') expect(run.event.value).toMatchObject({ name: 'wasm', fallbackFrom: 'webgpu' });
  expect(run.events).toBe(1);
  expect(run.backend).toMatchObject({ name: 'wasm', fallbackFrom: 'webgpu', requested: 'webgpu' });
  expect(run.backend.reason).toMatch(/lost/i);
  expect(run.infoAfter.backend).toBe('wasm');
  expect(run.later.status).toBe('fulfilled');
}

for (const worker of [true, false]) {
  const where = worker ? 'in a worker' : 'in-thread';
  for (const when of ['before', 'during'] as const) {
    test(`WebGPU device lost ${when === 'before' ? 'between requests' : 'while requests run'} ${where}: rebuilt on WASM, replayed, same result, reported`, async ({
      page,
    }) => {
      checkRecovery(await loseDevice(page, worker, when, true));
    });
  }

  test(`WebGPU device lost ${where}: the page hears of it (backendchange, inpage.backend, model.info) from the replayed prediction alone`, async ({
    page,
  }) => {
    checkRecovery(await loseDevice(page, worker, 'during', false));
  });
}

for (const worker of [true, false]) {
  const where = worker ? 'in a worker' : 'in-thread';

  for (const timing of ['while it runs', 'as it is called'] as const) {
    test(`model.dispose() ${timing} ${where}: every pending prediction settles (a result or ABORTED) and the session is freed`, async ({ page }) => {
      const run = await page.evaluate(
        async ({ registry, digits, worker, timing, guard }) => {
          const w = window;
          const inpage = await w.Inpage.create({ registry, worker });
          const doomed = await inpage.load(digits);
          const kept = await inpage.load(digits);
          const before: EngineStats = await inpage.testing.stats();
          const calls = Array.from({ length: 80 }, (_, i) => doomed.predict(w.digitCanvas(i % 10, { scale: 0.6 + (i % 5) / 20 })));
          const keptCall = kept.predict(w.digitCanvas(6));
          if (timing === 'while it runs') await Promise.race(calls.map((call) => call.catch(() => undefined)));
          const disposing = doomed.dispose();
          const outcomes = await Promise.all(calls.map((call) => w.settleWithin(call, guard)));
          const disposed = await w.settleWithin(disposing, guard);
          const keptOutcome = await w.settleWithin(keptCall, guard);
          const afterDispose = await w.errorOf(doomed.predict(w.digitCanvas(1)));
          const keptAfter = await w.settleWithin(kept.predict(w.digitCanvas(6)), guard);
          const after: EngineStats = await inpage.testing.stats();
          await inpage.dispose();
          return { before, outcomes, disposed, keptOutcome, afterDispose, keptAfter, after };
        },
        { registry: choice.registry, digits: choice.digits, worker, timing, guard: GUARD_MS },
      );
      const counts = tally(run.outcomes);
      console.log(`[model.dispose ${timing} ${where}] outcomes of 80 pending calls: ${JSON.stringify(counts)}`);
      expect(counts.hung ?? 0, 'no prediction stays pending').toBe(0);
      expect(Object.keys(counts).filter((key) => key !== 'fulfilled' && key !== 'rejected:ABORTED')).toEqual([]);
      for (const outcome of run.outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.error.isInpageError).toBe(true);
          expect(outcome.error.message).toMatch(/dispos|cancel|abort/i);
        }
      }
      expect(run.disposed.status).toBe('fulfilled');
      expect(run.keptOutcome.status).toBe('fulfilled');
      expect(run.afterDispose).toMatchObject({ isInpageError: true, code: 'DISPOSED' });
      expect(run.keptAfter.status).toBe('fulfilled');
      expect(run.before.sessions).toBe(2);
      expect(run.after).toMatchObject({ sessions: 1, pendingRequests: 0 });
    });
  }

  for (const timing of ['while they run', 'as they are called'] as const) {
    test(`inpage.dispose() ${timing}, predictions pending on two models ${where}: every one settles (a result or ABORTED), everything is freed`, async ({
      page,
    }) => {
      const run = await page.evaluate(
        async ({ registry, digits, text, worker, timing, guard }) => {
          const w = window;
          const inpage = await w.Inpage.create({ registry, worker });
          const a = await inpage.load(digits);
          const b = await inpage.load(text ?? digits);
          const before: EngineStats = await inpage.testing.stats();
          const calls: Promise<unknown>[] = [];
          for (let i = 0; i < 60; i++) {
            calls.push(a.predict(w.digitCanvas(i % 10)));
            calls.push(b.predict(text ? `Sentence number ${i} was rather good.` : w.digitCanvas((i + 3) % 10)));
          }
          if (timing === 'while they run') await Promise.race(calls.map((call) => call.catch(() => undefined)));
          const disposed = await w.settleWithin(inpage.dispose(), guard);
          const outcomes = await Promise.all(calls.map((call) => w.settleWithin(call, guard)));
          const predictAfter = await w.errorOf(a.predict(w.digitCanvas(1)));
          const loadAfter = await w.errorOf(inpage.load(digits));
          const statsAfter = await w.errorOf(inpage.testing.stats());
          return { before, disposed, outcomes, predictAfter, loadAfter, statsAfter };
        },
        { ...choice, worker, timing, guard: GUARD_MS },
      );
      const counts = tally(run.outcomes);
      console.log(`[inpage.dispose ${timing} ${where}] outcomes of 120 pending calls: ${JSON.stringify(counts)}`);
      expect(run.disposed.status).toBe('fulfilled');
      expect(counts.hung ?? 0, 'no prediction stays pending').toBe(0);
      expect(Object.keys(counts).filter((key) => key !== 'fulfilled' && key !== 'rejected:ABORTED')).toEqual([]);
      expect(run.before.sessions).toBe(2);
      // After dispose every call says so, rather than starting a fresh engine.
      expect(run.predictAfter).toMatchObject({ isInpageError: true });
      expect(['DISPOSED', 'ABORTED']).toContain(run.predictAfter?.code);
      expect(run.loadAfter).toMatchObject({ isInpageError: true, code: 'DISPOSED' });
      expect(run.statsAfter).toMatchObject({ isInpageError: true, code: 'DISPOSED' });
      if (worker) {
        // The worker itself is gone: nothing of the engine is left running.
        await expect.poll(() => page.workers().length).toBe(0);
      }
    });
  }
}

for (const worker of [true, false]) {
  const where = worker ? 'in a worker' : 'in-thread';

  test(`inpage.dispose() while a model is loading ${where}: the load settles (ABORTED or DISPOSED), nothing is left running`, async ({ page }) => {
    const run = await page.evaluate(
      async ({ registry, digits, text, worker, guard }) => {
        const w = window;
        const inpage = await w.Inpage.create({ registry, worker, cache: false });
        let progress = 0;
        let loadSettled = false;
        let disposedWhilePending = false;
        let disposing: Promise<unknown> | null = null;
        const loading = inpage.load(text ?? digits, {
          onProgress: () => {
            progress += 1;
            if (disposing) return;
            // Progress reaches the page on its own channel: the load may have settled already.
            disposedWhilePending = !loadSettled;
            disposing = inpage.dispose();
          },
        });
        loading.then(
          () => (loadSettled = true),
          () => (loadSettled = true),
        );
        const load = await w.settleWithin(loading, guard);
        // With no progress event before the load ended, dispose now (the load then succeeded).
        const disposed = await w.settleWithin(disposing ?? inpage.dispose(), guard);
        const after = await w.errorOf(inpage.load(digits));
        return { progress, disposedWhilePending, load, disposed, after };
      },
      { ...choice, worker, guard: GUARD_MS },
    );
    console.log(
      `[inpage.dispose while loading ${where}] ${run.progress} progress events; disposed while the load was pending: ${run.disposedWhilePending}; ` +
        `load ${run.load.status}${run.load.status === 'rejected' ? ` ${run.load.error.code}` : ''}`,
    );
    expect(run.load.status, 'the load settles').not.toBe('hung');
    expect(run.disposed.status).toBe('fulfilled');
    if (run.disposedWhilePending) {
      // "Pending calls settle with ABORTED" (Inpage.dispose): a load still pending may not hand back a model.
      expect(run.load.status).toBe('rejected');
      if (run.load.status === 'rejected') {
        expect(run.load.error.isInpageError).toBe(true);
        expect(['ABORTED', 'DISPOSED']).toContain(run.load.error.code);
        expect(run.load.error.message).toMatch(/dispos|abort|cancel/i);
      }
    }
    expect(run.after).toMatchObject({ isInpageError: true, code: 'DISPOSED' });
    if (worker) await expect.poll(() => page.workers().length).toBe(0);
  });
}
