// node bench/overhead.mjs [label=dir ...]: sections 1 and 2's per-call overhead alone (digits, short and long
// sentiment; inpage in-thread, inpage's worker and raw ORT on one page, 1 thread each), for one or more builds of
// dist/ in the same run, so that a change to the page↔worker path can be judged before/after under the same load.
// Each build gets its own page; every engine of every page is warmed up, then all of them take turns in
// N.rounds rounds (as bench/run.mjs interleaves its engines). Default: `dist=dist`. Example, main against a branch:
//   node bench/overhead.mjs main=bench/.tmp/dist-main branch=dist
// Each dir is snapshotted to bench/.tmp/overhead/<label>/ first. BENCH_QUICK=1: fewer calls.
import { cp, mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startStaticServer } from './lib/static-server.mjs';
import { chooseModels } from './lib/prepare.mjs';
import { SHORT, LONG } from './lib/texts.mjs';
import { benchPages, call } from './lib/pages.mjs';
import { summary } from './lib/summary.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const quick = process.env.BENCH_QUICK === '1';
const N = { digits: quick ? 100 : 500, text: quick ? 60 : 300, fresh: quick ? 30 : 100, warmupMs: quick ? 1000 : 3000, rounds: quick ? 5 : 20 };
const builds = (process.argv.length > 2 ? process.argv.slice(2) : ['dist=dist']).map((arg) => {
  const [label, dir] = arg.split('=');
  return { label, dir: join(root, dir), served: `/bench/.tmp/overhead/${label}/` };
});
for (const build of builds) {
  const snapshot = join(root, build.served);
  await rm(snapshot, { recursive: true, force: true });
  await mkdir(snapshot, { recursive: true });
  await cp(build.dir, snapshot, { recursive: true });
}

const models = chooseModels(root);
const server = await startStaticServer({ root });
const browser = await chromium.launch({
  executablePath: process.env.INPAGE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-background-networking', '--no-first-run'],
});
const base = `${server.url}/bench/pages/bench.html?cdn=${encodeURIComponent(`/${relative(root, models.root)}/`)}`;
const { openBenchPage } = benchPages({ browser, base, N });
const engines = ['thread', 'worker', 'ort'];
const sections = [
  { name: 'digits', setup: { task: 'digits', model: models.digits }, input: undefined, n: N.digits },
  { name: 'short', setup: { task: 'text', model: models.sentiment, modelDir: models.sentimentDir }, input: SHORT, n: N.text },
  { name: 'long', setup: { task: 'text', model: models.sentiment, modelDir: models.sentimentDir }, input: LONG, n: N.text },
];
const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s]`, ...a);
console.log(`load average at start: ${load(loadavg())}`);
const rows = [];
for (const { name, setup, input, n } of sections) {
  const pages = [];
  try {
    for (const build of builds) {
      const opened = await openBenchPage(`&dist=${encodeURIComponent(build.served)}`);
      pages.push({ ...opened, build });
      for (const engine of engines) {
        log(`${name}: ${build.label} ${engine} set up`);
        await call(opened.page, 'setup', { ...setup, engine });
        await call(opened.page, 'fresh', { engine, input, n: N.fresh });
      }
    }
    const times = new Map(pages.map((p) => [p, Object.fromEntries(engines.map((e) => [e, []]))]));
    log(`${name}: warm-up`);
    for (const p of pages) for (const engine of engines) await call(p.page, 'warmUp', { engine, input, warmupMs: N.warmupMs });
    const share = Math.ceil(n / N.rounds);
    for (let round = 0; round < N.rounds; round++) {
      log(`${name}: round ${round + 1}/${N.rounds}`);
      for (const p of pages) for (const engine of engines) times.get(p)[engine].push(...(await call(p.page, 'sample', { engine, input, n: share })));
    }
    for (const p of pages) {
      const p50 = Object.fromEntries(engines.map((e) => [e, summary(times.get(p)[e]).p50]));
      rows.push({ section: name, build: p.build.label, ...p50, 'thread-ort': p50.thread - p50.ort, 'worker-ort': p50.worker - p50.ort });
      log(`${name}: ${p.build.label} p50 ${engines.map((e) => `${e} ${p50[e].toFixed(3)}`).join(', ')} ms`);
    }
  } finally {
    for (const { context } of pages) await context.close();
  }
}
await browser.close();
await server.close();
console.log(`load average at end: ${load(loadavg())}`);
console.log('p50 in ms (1 thread each):');
console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(3)) : v]))));
