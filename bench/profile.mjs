// node bench/profile.mjs: where inpage's time goes (not part of npm run bench). Same servers and
// pages as bench/run.mjs; prints p50s of the pieces of one prediction, each measured on its own.
// BENCH_DIST=<folder under the repo> runs a patched copy of dist/ (e.g. bench/.tmp/dist-patched).
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startStaticServer } from './lib/static-server.mjs';
import { chooseModels, ensureDist, transformersOrtDist } from './lib/prepare.mjs';
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
  try { return await fn(page); } finally { await context.close(); }
}

if (which.includes('digits')) {
  for (const engine of ['worker', 'thread']) {
    const r = await onPage((page) => page.evaluate(async ([engine, model]) => {
      await B.setup({ engine, task: 'digits', model });
      const canvas = B.state.input;
      const p50 = async (make, n = 300) => {
        const t = [];
        const end = performance.now() + 1500;
        while (performance.now() < end) await B.state.predict(make());
        for (let i = 0; i < n; i++) { const x = make(); const s = performance.now(); await B.state.predict(x); t.push(performance.now() - s); }
        return t.sort((a, b) => a - b)[n >> 1];
      };
      const ctx = canvas.getContext('2d');
      const g = [];
      for (let i = 0; i < 200; i++) { const s = performance.now(); ctx.getImageData(0, 0, 280, 280); g.push(performance.now() - s); }
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
    }, [engine, models.digits]));
    console.log('digits', engine, JSON.stringify(r, (k, v) => (typeof v === 'number' ? +v.toFixed(3) : v)));
  }
}

if (which.includes('text')) {
  const r = await onPage((page) => page.evaluate(async ([model, short, long]) => {
    await B.setup({ engine: 'ort', task: 'text', model });
    const tok = B.state.tokenizer;
    const t = (f, n = 500) => { const a = []; for (let i = 0; i < n; i++) { const s = performance.now(); f(); a.push(performance.now() - s); } return a.sort((x, y) => x - y)[n >> 1]; };
    t(() => tok.encode(short), 2000);
    return { tokenizeShort: t(() => tok.encode(short)), tokenizeLong: t(() => tok.encode(long)) };
  }, [models.sentiment, SHORT, LONG]));
  console.log('tokenizer', JSON.stringify(r));
  for (const engine of ['worker', 'thread', 'ort']) {
    const r2 = await onPage(async (page) => {
      await page.evaluate(([engine, model]) => B.setup({ engine, task: 'text', model }), [engine, models.sentiment]);
      return page.evaluate(async ([short, long]) => ({ short: (await B.time({ input: short, warmupMs: 3000, n: 300 })).p50, long: (await B.time({ input: long, warmupMs: 1000, n: 200 })).p50 }), [SHORT, LONG]);
    });
    console.log('text', engine, JSON.stringify(r2));
  }
}
await browser.close();
await pages.close();
