// Sections 4 and 5 of the benchmark: cold start (empty caches) and warm start (a second visit), page
// load -> first result, and the bytes fetched on the cold visit. Two kinds of browser profile:
//  - a Playwright context (`browser.newContext()`): off the record, so Chromium keeps no compiled-code cache
//    and every visit compiles the wasm again; the second visit follows the first at once;
//  - a persistent profile (`launchPersistentContext` on a fresh folder): what a returning visitor has. The
//    first visit goes on predicting for N.useMs, as someone using the page would, so Chromium has the time
//    to cache the optimised wasm code it compiled, as it does for a real visit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { call } from './pages.mjs';
import { fileSize } from './prepare.mjs';
import { SHORT } from './texts.mjs';

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

export async function measureStarts({ browser, launchOptions, base, models, modelsPath, root, distPath, N, log }) {
  async function startRun(engine, task, { profile = false } = {}) {
    const profileDir = profile ? await mkdtemp(join(tmpdir(), 'inpage-bench-profile-')) : null;
    const context = profileDir ? await chromium.launchPersistentContext(profileDir, launchOptions) : await browser.newContext();
    const bytes = [];
    context.on('requestfinished', async (request) => {
      const sizes = await request.sizes().catch(() => null);
      const response = await request.response().catch(() => null);
      bytes.push({ url: request.url(), status: response?.status(), body: sizes?.responseBodySize ?? 0, headers: sizes?.responseHeadersSize ?? 0 });
    });
    const model = task === 'digits' ? models.digits : models.sentiment;
    const extra = `&auto=${engine}&task=${task}&model=${model}&modelDir=${encodeURIComponent(models.sentimentDir)}&text=${encodeURIComponent(SHORT)}`;
    const visit = async (useMs) => {
      const page = await context.newPage();
      await page.goto(base + extra);
      await page.waitForFunction(() => window.startResult !== undefined, null, { timeout: 120_000 });
      const result = await page.evaluate(() => window.startResult);
      if (!result.error && useMs > 0) await call(page, 'keepUsing', { ms: useMs });
      await page.close();
      if (result.error) throw new Error(`${engine} start: ${result.error}`);
      return result.ms;
    };
    try {
      const cold = await visit(profile ? N.useMs : 0);
      await new Promise((r) => setTimeout(r, 300));
      const coldBytes = bytes.splice(0);
      const warm = await visit(0);
      await new Promise((r) => setTimeout(r, 300));
      return { cold, warm, coldBytes, warmBytes: bytes.splice(0) };
    } finally {
      await context.close();
      if (profileDir) await rm(profileDir, { recursive: true, force: true });
    }
  }

  // inpage as a user writes it (create() with no options) against transformers.js's pipeline() as a user writes it.
  const contenders = [
    ['inpage', 'default', 'text'],
    ['tjs', 'tjs', 'text'],
    ['inpageDigits', 'default', 'digits'],
  ];
  // Interleaved like sections 1-2: round i starts every contender once, so a burst of load hits all of them.
  const startRuns = Object.fromEntries(contenders.map(([name]) => [name, []]));
  const profileRuns = { inpage: [], tjs: [] };
  for (let i = 0; i < N.starts; i++) {
    for (const [name, engine, task] of contenders) startRuns[name].push(await startRun(engine, task));
    if (i < N.profileStarts) {
      for (const [name, engine] of [
        ['inpage', 'default'],
        ['tjs', 'tjs'],
      ])
        profileRuns[name].push(await startRun(engine, 'text', { profile: true }));
    }
  }
  const start = {};
  const bytes = {};
  const classify = (url) => {
    const path = new URL(url).pathname;
    if (path.endsWith('.wasm')) return 'wasm';
    if (path.startsWith(modelsPath)) return 'model';
    if (/\.(m?js)$/.test(path)) return 'js';
    return 'other';
  };
  const sum = (list) => {
    const by = { js: 0, wasm: 0, model: 0, other: 0 };
    for (const b of list) by[classify(b.url)] += b.body + b.headers;
    return { ...by, total: by.js + by.wasm + by.model + by.other };
  };
  for (const [name] of contenders) {
    const runs = startRuns[name];
    start[name] = {
      coldMs: median(runs.map((r) => r.cold)),
      warmMs: median(runs.map((r) => r.warm)),
      runs: runs.map((r) => ({ cold: r.cold, warm: r.warm })),
    };
    const inProfile = profileRuns[name];
    if (inProfile?.length) {
      start[name].profile = {
        coldMs: median(inProfile.map((r) => r.cold)),
        warmMs: median(inProfile.map((r) => r.warm)),
        useMs: N.useMs,
        runs: inProfile.map((r) => ({ cold: r.cold, warm: r.warm })),
      };
    }
    bytes[name] = {
      firstVisit: sum(runs[0].coldBytes),
      secondVisit: sum(runs[0].warmBytes),
      files: runs[0].coldBytes.map((b) => ({ path: new URL(b.url).pathname, status: b.status, bytes: b.body })),
    };
    log(
      `start ${name}: cold ${start[name].coldMs.toFixed(0)} ms, warm ${start[name].warmMs.toFixed(0)} ms, first visit ${(bytes[name].firstVisit.total / 1e6).toFixed(2)} MB`,
    );
  }
  // What the WebGPU build would fetch: the same visit with ort-webgpu.mjs + the asyncify wasm in place of ort-wasm.mjs + the plain wasm.
  const dist = (f) => fileSize(join(root, distPath, f));
  const swap =
    (await dist('ort-webgpu.mjs')) +
    (await dist('ort-wasm-simd-threaded.asyncify.wasm')) -
    (await dist('ort-wasm.mjs')) -
    (await dist('ort-wasm-simd-threaded.wasm'));
  for (const name of ['inpage', 'inpageDigits']) {
    const files = bytes[name].files.map((f) => f.path);
    const fetchedWasmBuild = files.includes(`${distPath}ort-wasm-simd-threaded.wasm`) && files.includes(`${distPath}ort-wasm.mjs`);
    bytes[name].webgpuBuildTotal = bytes[name].firstVisit.total + (fetchedWasmBuild ? swap : 0);
    bytes[name].sawWasmBuild = fetchedWasmBuild;
  }
  return { start, bytes };
}
