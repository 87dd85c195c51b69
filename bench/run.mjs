// npm run bench: inpage against raw onnxruntime-web (the same wasm build, threads and model), against
// transformers.js (defaults against defaults), against native onnxruntime-node (the thread gain on a heavy model)
// and against the machine's own wasm GEMM peak, in Chromium, in one run. Prints one table (each target of
// issue #17 beside its figure, PASS/MISS, and the stated rows) and writes bench/results.json.
// Environment: INPAGE_CHROMIUM (browser binary), BENCH_QUICK=1 (fewer calls, for trying it out).
import { defaultEntry } from './lib/default-entry.mjs';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startStaticServer } from './lib/static-server.mjs';
import { chooseModels, ensureDist, ensureTransformersBundle, transformersOrtDist } from './lib/prepare.mjs';
import { SHORT, LONG, batchTexts } from './lib/texts.mjs';
import { measureVoice } from './lib/voice.mjs';
import { benchPages, call } from './lib/pages.mjs';
import { measureStarts } from './lib/starts.mjs';
import { measureDetector, measureNativeDetector, detectorFile } from './lib/heavy.mjs';
import { measureMemory } from './lib/memory.mjs';
import { buildReport } from './lib/report.mjs';
import { targetsChart } from './lib/chart.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const quick = process.env.BENCH_QUICK === '1';
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s]`, ...a);
const loadAtStart = loadavg();

const distPath = await ensureDist(root);
const tjs = await ensureTransformersBundle(root);
const models = chooseModels(root);
const extraRoot = join(root, 'public/models/extra');
if (!existsSync(join(extraRoot, 'registry.json'))) {
  execFileSync(process.execPath, [join(root, 'scripts/extra-models/publish.mjs')], { cwd: root, stdio: 'inherit' });
}
// The GEMM-peak graph, written at run time (1 MB of seeded noise as weights: never committed).
const gemmFile = join(root, 'bench/.tmp/gemm-512.onnx');
if (!existsSync(gemmFile)) execFileSync('/usr/bin/python3', [join(root, 'bench/gemm_model.py'), gemmFile, '512', '512', '512']);

const pages = await startStaticServer({ root });
// Models come from the same server as the pages, for both SDKs: transformers.js 4.3.1 only finds a
// local model's tokenizer when env.localModelPath is a path, not a URL (its file-existence check
// skips http(s) URLs), so a separate CDN origin would leave its pipeline without a tokenizer.
const modelsPath = `/${relative(root, models.root)}/`;
const extraPath = `/${relative(root, extraRoot)}/`;
const tortUrl = `${pages.url}/${relative(root, transformersOrtDist(root))}/`;
const launchOptions = {
  executablePath: process.env.INPAGE_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-unsafe-webgpu',
    '--enable-precise-memory-info',
    // performance.measureUserAgentSpecificMemory() answers at once instead of at the next natural GC (section 10).
    '--enable-blink-features=ForceEagerMeasureMemory',
  ],
};
const browser = await chromium.launch(launchOptions);
const query = { cdn: modelsPath, tort: tortUrl, dist: distPath, extra: extraPath, gemm: `/${relative(root, gemmFile)}` };
const base = `${pages.url}/bench/pages/bench.html?${Object.entries(query)
  .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
  .join('&')}`;
log(`models: public/models (mnist, sentiment ${models.sentimentVersion}), public/models/extra (ppocr-detector); browser ${browser.version()}`);

const N = {
  digits: quick ? 100 : 500,
  text: quick ? 60 : 300,
  fresh: quick ? 30 : 100, // at least 20: the first answer and calls 2-20 come from these
  warmupMs: quick ? 1000 : 3000,
  responsiveness: quick ? 200 : 1000,
  reps: quick ? 2 : 5,
  rounds: quick ? 5 : 20,
  gemm: quick ? 20 : 100, // GEMM-peak runs in each raw-ORT page, spread over its rounds
  gemmWarmUp: quick ? 10 : 30,
  starts: quick ? 1 : 5,
  // Starts in a persistent profile (each has a first visit that keeps predicting for useMs).
  profileStarts: quick ? 1 : 3,
  useMs: 5000,
  detectorWarmUp: quick ? 2 : 3,
  detectorRounds: quick ? 3 : 8,
  detectorShare: quick ? 1 : 3,
  memoryWarm: quick ? 100 : 500,
  memoryPredictions: quick ? 1000 : 10_000,
};
const { openBenchPage, onPage, interleaved } = benchPages({ browser, base, N });
const results = { digits: {}, sentiment: { short: {}, long: {} }, responsiveness: {}, throughput: {}, flops: {} };
const textSetup = { task: 'text', model: models.sentiment, modelDir: models.sentimentDir };

// The per-call overhead page: inpage in-thread, inpage's worker and raw ORT, 1 thread each, on one page; raw ORT
// last, so that the in-thread engine's fresh-page calls meet a fresh onnxruntime instance.
const overheadPage = ['thread', 'worker', 'ort'];

// 1. Digits: predict(canvas) end to end, and the raw ORT floor with the same tensor, 1 thread each.
results.digits = await interleaved([overheadPage], { task: 'digits', model: models.digits }, undefined, N.digits);
for (const engine of ['worker', 'thread', 'ort']) log(`digits ${engine}: p50 ${results.digits[engine].warm.p50.toFixed(3)} ms`);

// 2. Sentiment, short and long text: inpage on 1 thread against raw ORT on 1 thread (the overhead), and inpage's
// defaults against transformers.js's (a user's page).
const texts = { short: SHORT, long: LONG };
for (const length of ['short', 'long']) {
  // inpage's defaults and transformers.js each on a page of its own, as on a user's page.
  const groups = [overheadPage, ['default'], ['tjs']];
  results.sentiment[length] = await interleaved(groups, textSetup, texts[length], N.text);
  for (const engine of groups.flat()) log(`sentiment ${length} ${engine}: p50 ${results.sentiment[length][engine].warm.p50.toFixed(3)} ms`);
}

// 3. Main-thread responsiveness during back-to-back predictions (short text).
for (const engine of ['default', 'thread', 'ort', 'tjs']) {
  results.responsiveness[engine] = await onPage(async (page) => {
    await call(page, 'setup', { engine, ...textSetup });
    await call(page, 'time', { input: SHORT, warmupMs: 500, n: 1 });
    return call(page, 'responsiveness', { input: SHORT, n: N.responsiveness });
  });
  const r = results.responsiveness[engine];
  log(`responsiveness ${engine}: ${r.longTasks} long tasks, worst delay ${r.worstDelayMs.toFixed(1)} ms`);
}

// 4 + 5. Cold and warm start, and the bytes of a first visit.
Object.assign(results, await measureStarts({ browser, launchOptions, base, models, modelsPath, root, distPath, N, log }));

// 6. Throughput: 64 short texts one at a time, as 64 concurrent calls, and as one call on the array.
for (const engine of ['default', 'tjs', 'worker']) {
  results.throughput[engine] = await onPage(async (page) => {
    await call(page, 'setup', { engine, ...textSetup });
    await call(page, 'time', { input: SHORT, warmupMs: N.warmupMs, n: 1 });
    return call(page, 'throughput', { texts: batchTexts(64), reps: N.reps });
  });
  const t = results.throughput[engine];
  log(
    `throughput ${engine}: sequential ${t.sequentialMs.toFixed(0)} ms, concurrent ${t.concurrentMs.toFixed(0)} ms, array ${t.arrayMs.toFixed(0)} ms`,
  );
}

// 9. The heavy model in the browser (native after the browser is closed, so that the two never share the cores).
results.detector = await measureDetector({ openBenchPage, N, log });

// 10. Memory given back, and flat over many predictions.
results.memory = await measureMemory({ openBenchPage, cdn: modelsPath, distPath, models, N, log });

// 8. A voice-activity stream, frame by frame, and the main thread while listening (its own browser: a fake microphone).
results.voice = await measureVoice({ root, pagesUrl: pages.url, distPath, launchOptions, quick, log });
const chromiumVersion = browser.version();
await browser.close();
await pages.close();

const extraRegistry = JSON.parse(await readFile(join(extraRoot, 'registry.json'), 'utf8'));
results.native = await measureNativeDetector({ modelFile: detectorFile(extraRoot, extraRegistry), N, log });

// 7. FLOPs per prediction (from the ONNX graph), what raw ORT achieved on 1 thread, and the GEMM peak of its page.
const registry = JSON.parse(await readFile(join(models.root, 'registry.json'), 'utf8'));
const modelFile = (id) => {
  const v = defaultEntry(registry, id);
  return join(models.root, v.files.find((f) => f.role === 'model').path);
};
const flops = (file, sizes) =>
  JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'bench/flops.py'), file, JSON.stringify(sizes)], { encoding: 'utf8' }));
results.flops.gemm = flops(gemmFile, {});
const gflops = (flop, p50Ms) => flop / (p50Ms * 1e6);
const achieved = (counted, p50Ms, peakP50Ms) => {
  const peakGflops = gflops(results.flops.gemm.flops, peakP50Ms);
  return { ...counted, p50Ms, gflops: gflops(counted.flops, p50Ms), peakP50Ms, peakGflops, ofPeak: gflops(counted.flops, p50Ms) / peakGflops };
};
results.flops.digits = achieved(flops(modelFile(models.digits), { batch: 1 }), results.digits.ort.warm.p50, results.digits.ort.gemm.p50);
for (const length of ['short', 'long']) {
  const { ort } = results.sentiment[length];
  results.flops[length] = {
    ...achieved(flops(modelFile(models.sentiment), { batch: 1, sequence: ort.tokens }), ort.warm.p50, ort.gemm.p50),
    tokens: ort.tokens,
  };
}
const detectorDims = { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 };
results.flops.detector = achieved(
  flops(detectorFile(extraRoot, extraRegistry), detectorDims),
  results.detector[1].ort.p50,
  results.detector[1].gemm.p50,
);

const { rows, targets } = buildReport(results, N);
results.targets = targets;
results.table = rows;
const cpu = cpus();
results.machine = {
  cpu: cpu[0]?.model,
  cores: cpu.length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  chromium: chromiumVersion,
  node: process.version,
  date: new Date().toISOString(),
  commit: (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })(),
  transformersJs: tjs.version,
  onnxruntimeNode: results.native.version,
  models: `public/models: mnist, sentiment ${models.sentimentVersion}; public/models/extra: ppocr-detector`,
  loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
  quick,
  counts: N,
  texts: { short: SHORT, long: LONG },
  durationS: Math.round((Date.now() - started) / 1000),
};

const widths = ['section', 'figure', 'value', 'target', 'result'].map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
console.log(`\ninpage bench — ${results.machine.cpu}, ${results.machine.cores} cores, Chromium ${results.machine.chromium}, ${results.machine.date}`);
console.log(
  `models: ${results.machine.models}; load average ${load(loadAtStart)} at start, ${load(results.machine.loadAverage.atEnd)} at end; ${quick ? 'QUICK run' : 'full run'} in ${results.machine.durationS} s\n`,
);
console.log(line(['section', 'figure', 'value', 'target', 'result']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line([r.section, r.figure, r.value, r.target, r.result]));
const passed = targets.filter((t) => t.pass).length;
console.log(`\ntargets: ${passed}/${targets.length} PASS`);
await writeFile(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
await writeFile(join(root, 'bench/results.svg'), targetsChart(results));
console.log('wrote bench/results.svg (every target as a ratio, per section)');
