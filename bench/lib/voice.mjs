// Section 8 of the benchmark: a voice-activity stream (Silero VAD v5, published by
// `npm run models:extra`) frame by frame in the worker and in-thread, beside raw
// onnxruntime-web's session.run of one frame on the same page, interleaved in rounds; then the
// main thread's worst event-loop delay while listen() hears a fake microphone, beside the same
// page idle. Used by bench/run.mjs and on its own by bench/voice.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium } from '@playwright/test';
import { summary } from './summary.mjs';

const ms = (x) => `${x.toFixed(3)} ms`;

/** The extra models' registry, published from node_modules when it is missing. */
function extraRegistry(root) {
  const folder = join(root, 'public/models/extra');
  if (!existsSync(join(folder, 'registry.json'))) {
    execFileSync(process.execPath, [join(root, 'scripts/extra-models/publish.mjs')], { cwd: root, stdio: 'inherit' });
  }
  return folder;
}

/** A few seconds of speech from espeak-ng for the fake microphone, or null without espeak-ng. */
function speechWav(root) {
  const file = join(root, 'bench/.tmp/voice-mic.wav');
  mkdirSync(join(root, 'bench/.tmp'), { recursive: true });
  try {
    execFileSync('espeak-ng', ['-w', file, 'Turn on the radio in the living room please. [[_]] Thank you, that is much better.']);
    return file;
  } catch {
    return null;
  }
}

export async function measureVoice({ root, pagesUrl, distPath, launchOptions, quick, log }) {
  const cdn = `/${relative(root, extraRegistry(root))}/`;
  const url = `${pagesUrl}/bench/pages/voice.html?cdn=${encodeURIComponent(cdn)}&dist=${encodeURIComponent(distPath)}`;
  const n = quick ? 500 : 2000;
  const rounds = quick ? 5 : 10;
  const engines = ['worker', 'thread', 'ort'];
  const wav = speechWav(root);
  const micFlags = wav
    ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`]
    : ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
  const browser = await chromium.launch({ ...launchOptions, args: [...launchOptions.args, ...micFlags] });
  try {
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => window.V !== undefined);
    const call = (name, arg) =>
      page
        .evaluate(([f, a]) => window.V[f](a), [name, arg])
        .catch((error) => {
          throw new Error(`${error.message}\npage errors: ${errors.join('\n')}`);
        });
    await call('setup');
    // Warm-up: Chromium tiers the wasm up for a few seconds after a session is made.
    for (const engine of engines) await call('frames', { engine, n: quick ? 100 : 300 });
    const latency = Object.fromEntries(engines.map((engine) => [engine, []]));
    for (let round = 0; round < rounds; round++) {
      for (const engine of engines) latency[engine].push(...(await call('frames', { engine, n: n / rounds, from: round * 7 })));
    }
    const pipelined = {};
    for (const engine of ['worker', 'thread']) pipelined[engine] = await call('pipelined', { engine, n });
    const idle = await call('responsiveness', { ms: quick ? 3000 : 10_000, listening: false });
    const listening = await call('responsiveness', { ms: quick ? 3000 : 10_000, listening: true });
    const result = {
      frames: n,
      latency: Object.fromEntries(engines.map((engine) => [engine, summary(latency[engine])])),
      pipelined,
      idle,
      listening,
      microphone: wav ? 'espeak-ng speech (fake capture file)' : "Chromium's fake device (a beep)",
    };
    log?.(
      `voice: frame p50 worker ${ms(result.latency.worker.p50)}, thread ${ms(result.latency.thread.p50)}, raw ORT ${ms(result.latency.ort.p50)}; worst delay listening ${result.listening.worstDelayMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    await browser.close();
  }
}

/** The table rows and the targets of section 8. */
export function voiceRows(voice, row, target) {
  const { latency: l, pipelined: p } = voice;
  const section = '8 voice stream';
  row(
    section,
    `one frame (32 ms) per push, awaited, p50 over ${voice.frames}: worker / in-thread / raw ORT session.run`,
    `${ms(l.worker.p50)} / ${ms(l.thread.p50)} / ${ms(l.ort.p50)}`,
  );
  row(section, 'the same, p95', `${ms(l.worker.p95)} / ${ms(l.thread.p95)} / ${ms(l.ort.p95)}`);
  const threadOver = l.thread.p50 - l.ort.p50;
  row(section, 'in-thread stream p50 - raw ORT p50 (per frame)', ms(threadOver), '<= 0.1 ms', threadOver <= 0.1);
  target('voice: in-thread stream frame p50 - raw ORT p50', threadOver, 0.1, '<=', threadOver <= 0.1);
  // In the worker, a frame awaited alone also pays the hop to the worker and back; a stream fed as
  // a microphone feeds it (the next chunk sent while one runs) pays only the work per frame.
  const workerOver = p.worker.p50 - l.ort.p50;
  row(section, 'worker stream kept busy (2 pushes in flight): p50 / p95 between frames', `${ms(p.worker.p50)} / ${ms(p.worker.p95)}`);
  row(section, 'worker stream kept busy p50 - raw ORT p50 (per frame)', ms(workerOver), '<= 0.1 ms', workerOver <= 0.1);
  target('voice: worker stream per-frame p50 - raw ORT p50', workerOver, 0.1, '<=', workerOver <= 0.1);
  row(section, 'worker stream, one frame awaited alone: p50 - raw ORT p50 (hop included)', ms(l.worker.p50 - l.ort.p50));
  const { idle, listening } = voice;
  row(
    section,
    `main thread while listen() hears a microphone (${voice.microphone}): worst event-loop delay, long tasks / idle page`,
    `${listening.worstDelayMs.toFixed(1)} ms, ${listening.longTasks} / ${idle.worstDelayMs.toFixed(1)} ms, ${idle.longTasks} (${listening.frames} frames heard)`,
  );
}
