// Opening bench pages (bench/pages/bench.html, one browser context each) and timing engines on them,
// interleaved. Shared by the sections of bench/run.mjs.
import { summary } from './summary.mjs';

export const withPageErrors = (error, errors) => new Error(`${error.message}\npage errors: ${errors.join('\n')}`);

/** Calls window.B[name](arg) (or window.H's, with `on: 'H'`) in the page. */
export const call = (page, name, arg, on = 'B') => page.evaluate(([o, n, a]) => window[o][n](a), [on, name, arg]);

export function benchPages({ browser, base, N }) {
  /** A fresh context and bench page, ready (window.B and window.H defined); `errors` collects the page's uncaught errors. */
  async function openBenchPage(extra = '') {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base + extra);
    await page.waitForFunction(() => window.B !== undefined && window.H !== undefined);
    return { context, page, errors };
  }

  async function onPage(fn, extra = '') {
    const { context, page, errors } = await openBenchPage(extra);
    try {
      return await fn(page);
    } catch (error) {
      throw withPageErrors(error, errors);
    } finally {
      await context.close();
    }
  }

  /**
   * Times several engines on the same input, interleaved. `groups` lists the pages: each group of engines shares one
   * page (raw ORT and inpage in-thread then share the very onnxruntime instance: the same module URL, so the same
   * wasm, threads and tier-up; the worker has its own). Each engine is set up (and its fresh-page calls timed) in
   * turn, each warmed up, then N.rounds rounds in which every engine makes its share of the timed calls. This
   * machine's load comes and goes in bursts; interleaving puts every engine under the same bursts, so the ratios
   * between them hold even when the absolute times move. Raw ORT's page also runs the GEMM-peak graph in every round
   * (`gemm`: its times), so that a model's GFLOP/s and the peak are measured in the same page, at once.
   */
  async function interleaved(groups, setupArgs, input, n) {
    const open = [];
    try {
      const out = {};
      for (const group of groups) {
        const opened = await openBenchPage();
        open.push(opened);
        const { page } = opened;
        for (const engine of group) {
          const setup = await call(page, 'setup', { ...setupArgs, engine });
          const fresh = await call(page, 'fresh', { engine, input, n: N.fresh });
          const tokens = engine === 'ort' && setupArgs.task === 'text' ? await call(page, 'tokenCount', input) : undefined;
          out[engine] = { page, setup, fresh, tokens, times: [], gemm: [] };
        }
      }
      const engines = groups.flat();
      for (const engine of engines) out[engine].warmUp = await call(out[engine].page, 'warmUp', { engine, input, warmupMs: N.warmupMs });
      if (out.ort) await call(out.ort.page, 'gemmSample', { n: N.gemmWarmUp }, 'H');
      const share = Math.ceil(n / N.rounds);
      const gemmShare = Math.ceil(N.gemm / N.rounds);
      for (let round = 0; round < N.rounds; round++) {
        for (const engine of engines) out[engine].times.push(...(await call(out[engine].page, 'sample', { engine, input, n: share })));
        if (out.ort) out.ort.gemm.push(...(await call(out.ort.page, 'gemmSample', { n: gemmShare }, 'H')));
      }
      return Object.fromEntries(
        engines.map((engine) => {
          const { setup, fresh, tokens, times, warmUp, gemm } = out[engine];
          return [engine, { setup, fresh, warm: { ...summary(times), ...warmUp }, tokens, ...(gemm.length ? { gemm: summary(gemm) } : {}) }];
        }),
      );
    } catch (error) {
      throw withPageErrors(
        error,
        open.flatMap((o) => o.errors),
      );
    } finally {
      for (const { context } of open) await context.close();
    }
  }

  return { openBenchPage, onPage, interleaved };
}
