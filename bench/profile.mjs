// node bench/profile.mjs [digits,text,levels,warm,fresh]: where inpage's time goes (not part of npm
// run bench). Same servers and pages as bench/run.mjs; each mode prints the figures bench/README.md's
// Findings quote:
//   digits  p50 of predict() on a 280 px canvas, ImageData, a 112 / 28 px canvas and 784 floats
//   text    tokenizer cost, and p50 short / long per engine
//   levels  onnxruntime graph optimisation levels basic vs all: session build and run p50, A/B in one page
//   warm    cold / warm start of the sentiment page split by load() timings (files, session, warm-up)
//   fresh   the first 100 calls on a fresh page: first call, p95, and the first 16 times
// BENCH_DIST=<folder under the repo> runs a patched copy of dist/ (e.g. bench/.tmp/dist-patched).
/* global B -- the bench page's helpers (bench/pages/bench.js), used inside page.evaluate() */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startStaticServer } from './lib/static-server.mjs';
import { chooseModels, ensureDist, ensureTransformersBundle, transformersOrtDist } from './lib/prepare.mjs';
import { SHORT, LONG } from './lib/texts.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const distPath = await ensureDist(root);
const models = chooseModels(root);
const pages = await startStaticServer({ root });
const browser = await chromium.launch({ executablePath: process.env.INPAGE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-first-run'] });
const dist = `&dist=${encodeURIComponent(process.env.BENCH_DIST ? `/${process.env.BENCH_DIST}/` : distPath)}`;
const base = `${pages.url}/bench/pages/bench.html?cdn=${encodeURIComponent(`/${relative(root, models.root)}/`)}&tort=${encodeURIComponent(`${pages.url}/${relative(root, transformersOrtDist(root))}/`)}${dist}`;
const which = (process.argv[2] ?? 'digits,text').split(',');

async function onPage(fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForFunction(() => window.B !== undefined);
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

if (which.includes('digits')) {
  for (const engine of ['worker', 'thread']) {
    const r = await onPage((page) =>
      page.evaluate(
        async ([engine, model]) => {
          await B.setup({ engine, task: 'digits', model });
          const canvas = B.state.input;
          const p50 = async (make, n = 300) => {
            const t = [];
            const end = performance.now() + 1500;
            while (performance.now() < end) await B.state.predict(make());
            for (let i = 0; i < n; i++) {
              const x = make();
              const s = performance.now();
              await B.state.predict(x);
              t.push(performance.now() - s);
            }
            return t.sort((a, b) => a - b)[n >> 1];
          };
          const ctx = canvas.getContext('2d');
          const g = [];
          for (let i = 0; i < 200; i++) {
            const s = performance.now();
            ctx.getImageData(0, 0, 280, 280);
            g.push(performance.now() - s);
          }
          const floats = new Float32Array(784).fill(0).map((_, i) => (i % 28 > 10 && i % 28 < 16 ? 1 : 0));
          const small = new OffscreenCanvas(28, 28);
          small.getContext('2d').drawImage(canvas, 0, 0, 28, 28);
          const c112 = new OffscreenCanvas(112, 112);
          c112.getContext('2d').drawImage(canvas, 0, 0, 112, 112);
          return {
            getImageData280: g.sort((a, b) => a - b)[100],
            canvas280: await p50(() => canvas),
            imageData280: await p50(() => ctx.getImageData(0, 0, 280, 280)),
            canvas28: await p50(() => small),
            canvas112: await p50(() => c112),
            floats784: await p50(() => floats),
          };
        },
        [engine, models.digits],
      ),
    );
    console.log(
      'digits',
      engine,
      JSON.stringify(r, (k, v) => (typeof v === 'number' ? +v.toFixed(3) : v)),
    );
  }
}

if (which.includes('text')) {
  const r = await onPage((page) =>
    page.evaluate(
      async ([model, short, long]) => {
        await B.setup({ engine: 'ort', task: 'text', model });
        const tok = B.state.tokenizer;
        const t = (f, n = 500) => {
          const a = [];
          for (let i = 0; i < n; i++) {
            const s = performance.now();
            f();
            a.push(performance.now() - s);
          }
          return a.sort((x, y) => x - y)[n >> 1];
        };
        t(() => tok.encode(short), 2000);
        return { tokenizeShort: t(() => tok.encode(short)), tokenizeLong: t(() => tok.encode(long)) };
      },
      [models.sentiment, SHORT, LONG],
    ),
  );
  console.log('tokenizer', JSON.stringify(r));
  for (const engine of ['worker', 'thread', 'ort']) {
    const r2 = await onPage(async (page) => {
      await page.evaluate(([engine, model]) => B.setup({ engine, task: 'text', model }), [engine, models.sentiment]);
      return page.evaluate(
        async ([short, long]) => ({
          short: (await B.time({ input: short, warmupMs: 3000, n: 300 })).p50,
          long: (await B.time({ input: long, warmupMs: 1000, n: 200 })).p50,
        }),
        [SHORT, LONG],
      );
    });
    console.log('text', engine, JSON.stringify(r2));
  }
}

if (which.includes('levels')) {
  // Build time: each level as the first real session of a fresh page (a second build in the same page
  // is faster whatever its level: the kernels that constant folding runs are compiled by then).
  for (const name of [models.sentiment, models.digits]) {
    const builds = { basic: [], all: [] };
    for (let round = 0; round < 3; round++) {
      for (const level of round % 2 ? ['all', 'basic'] : ['basic', 'all']) {
        builds[level].push(
          await onPage((page) =>
            page.evaluate(
              async ([name, level]) => {
                const ort = await B.rawOrt();
                const bytes = await B.modelBytes(name);
                const identity = 'CAgSBmlucGFnZTo6ChAKAXgSAXkiCElkZW50aXR5EgR3YXJtWg8KAXgSCgoICAESBAoCCAFiDwoBeRIKCggIARIECgIIAUIECgAQDQ==';
                // The runtime's own start first (as inpage's create() does), so the figure is the session alone.
                await ort.InferenceSession.create(
                  Uint8Array.from(atob(identity), (c) => c.charCodeAt(0)),
                  { executionProviders: ['wasm'] },
                );
                const t = performance.now();
                await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: level });
                return performance.now() - t;
              },
              [name, level],
            ),
          ),
        );
      }
    }
    const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
    console.log(
      'levels',
      name,
      `session build, median of 3 fresh pages: basic ${median(builds.basic).toFixed(0)} ms, all ${median(builds.all).toFixed(0)} ms`,
    );
  }
  // Run time: both sessions in one page, calls alternating, so load bursts hit both alike.
  const r = await onPage((page) =>
    page.evaluate(
      async ([names, digits]) => {
        const ort = await B.rawOrt();
        const out = {};
        for (const name of names) {
          const bytes = await B.modelBytes(name);
          const basic = await ort.InferenceSession.create(bytes.slice(0), { executionProviders: ['wasm'], graphOptimizationLevel: 'basic' });
          const all = await ort.InferenceSession.create(bytes.slice(0), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
          const feeds =
            name === digits
              ? () => ({ [all.inputNames[0]]: new ort.Tensor('float32', new Float32Array(784).fill(0.3), [1, 1, 28, 28]) })
              : (n) => ({
                  input_ids: new ort.Tensor(
                    'int64',
                    BigInt64Array.from({ length: n }, (_, i) => BigInt(i === 0 ? 101 : i === n - 1 ? 102 : 2000 + i)),
                    [1, n],
                  ),
                  attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
                });
          for (const n of name === digits ? [0] : [12, 65]) {
            const end = performance.now() + 2000;
            while (performance.now() < end) {
              await basic.run(feeds(n));
              await all.run(feeds(n));
            }
            const tb = [];
            const ta = [];
            for (let i = 0; i < 300; i++) {
              let t = performance.now();
              await basic.run(feeds(n));
              tb.push(performance.now() - t);
              t = performance.now();
              await all.run(feeds(n));
              ta.push(performance.now() - t);
            }
            const p50 = (a) => a.sort((x, y) => x - y)[a.length >> 1];
            out[`${name}${n ? ` (${n} tokens)` : ''}`] =
              `run p50 basic ${p50(tb).toFixed(3)} ms, all ${p50(ta).toFixed(3)} ms, basic / all ${(p50(tb) / p50(ta)).toFixed(3)}`;
          }
        }
        return out;
      },
      [[models.sentiment, models.digits], models.digits],
    ),
  );
  for (const [name, v] of Object.entries(r)) console.log('levels', name, v);
}

if (which.includes('warm')) {
  // A new context per round: a cold visit, then two warm ones (HTTP cache and Cache Storage filled).
  for (let round = 0; round < 3; round++) {
    const context = await browser.newContext();
    const visits = [];
    for (const visit of ['cold', 'warm', 'warm']) {
      const page = await context.newPage();
      await page.goto(
        `${base}&auto=worker&task=text&model=${models.sentiment}&modelDir=${encodeURIComponent(models.sentimentDir)}&text=${encodeURIComponent(SHORT)}`,
      );
      await page.waitForFunction(() => window.startResult !== undefined, null, { timeout: 120_000 });
      const r = await page.evaluate(() => window.startResult);
      if (r.error) throw new Error(r.error);
      visits.push(`${visit} ${r.ms.toFixed(0)} ms (load() resolved at ${r.readyMs.toFixed(0)}; ${JSON.stringify(r.timings)})`);
      await page.close();
    }
    console.log('warm', visits.join(' | '));
    await context.close();
  }
}

if (which.includes('fresh')) {
  await ensureTransformersBundle(root);
  for (const engine of ['worker', 'tjs']) {
    for (const [name, text] of [
      ['short', SHORT],
      ['long', LONG],
    ]) {
      const r = await onPage((page) =>
        page.evaluate(
          async ([engine, model, modelDir, text]) => {
            await B.setup({ engine, task: 'text', model, modelDir });
            return B.sample({ input: text, n: 100 });
          },
          [engine, models.sentiment, models.sentimentDir, text],
        ),
      );
      const p95 = [...r].sort((a, b) => a - b)[94];
      console.log(
        'fresh',
        engine,
        name,
        `first ${r[0].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, calls 1-16: ${r
          .slice(0, 16)
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
    }
  }
}
await browser.close();
await pages.close();
