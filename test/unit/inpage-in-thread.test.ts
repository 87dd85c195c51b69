// The page's side over the real engine, in-thread, as create({ worker: false }) builds it (through
// startInpage, over scripted sessions and a registry served from memory): the events a page sees,
// each model's own backend, and a load cancelled by its signal or by dispose().
import { describe, expect, it } from 'vitest';
import { startInpage } from '../../src/client/create.js';
import type { BackendChangeDetail, Inpage } from '../../src/client/inpage.js';
import type { BackendPreference } from '../../src/protocol/backend-report.js';
import type { AdapterProbe } from '../../src/runtime/backend.js';
import { CoreEngine } from '../../src/runtime/core-engine.js';
import { engineConfig, FakeCdn, fakePlatform, feeds, gate, PROBES, ScriptedSessions, settle, until } from './engine-fakes.js';

async function inThread(backend: BackendPreference, probe: AdapterProbe) {
  const sessions = new ScriptedSessions();
  const cdn = new FakeCdn(['a', 'b']);
  const engine = new CoreEngine(fakePlatform(probe, sessions, cdn));
  const inpage = await startInpage(engine, engineConfig(backend), { inWorker: false, captureWorklet: new URL('https://cdn.test/capture.js') });
  const log: string[] = [];
  inpage.addEventListener('backendchange', (e) => {
    const { name, model } = (e as CustomEvent<BackendChangeDetail>).detail;
    log.push(`backendchange ${name}${model ? ` ${model}` : ''}`);
  });
  return { inpage, sessions, cdn, log };
}

const yOf = async (model: Awaited<ReturnType<Inpage['load']>>): Promise<number[]> => [...((await model.run(feeds(1, 1))).y?.data as Float32Array)];

describe('Inpage in-thread, over the engine', () => {
  it("B's WebGPU build fails under auto: the event says so, A keeps WebGPU, B says WASM; A's own device loss moves A, named", async () => {
    const { inpage, sessions, log } = await inThread('auto', PROBES.hardware);
    expect(inpage.inWorker).toBe(false);
    expect(inpage.backend.name).toBe('webgpu');
    sessions.on('b', 'webgpu', new Error('shader compile failed'));
    const a = await inpage.load('a', { onProgress: (p) => log.push(`a progress ${p.loaded}/${p.total}`) });
    const b = await inpage.load('b', { onProgress: (p) => log.push(`b progress ${p.loaded}/${p.total}`) });
    log.push('b loaded');

    expect([a.info.backend, b.info.backend, inpage.backend.name]).toEqual(['webgpu', 'wasm', 'wasm']);
    expect(inpage.backend.reason).toMatch(/session failed to build/);
    expect([await yOf(a), await yOf(b)]).toEqual([
      [3, 3],
      [2, 2],
    ]);
    expect(a.info.backend).toBe('webgpu');
    // Progress first, then the change, and both before the load that caused it settles.
    expect(log).toEqual(['a progress 0/7', 'a progress 7/7', 'b progress 0/7', 'b progress 7/7', 'backendchange wasm', 'b loaded']);

    expect(await inpage.testing.loseWebGpuDevice()).toBe(true);
    expect(await yOf(a)).toEqual([2, 2]);
    expect(a.info.backend).toBe('wasm');
    expect(log.at(-1)).toBe('backendchange wasm a');
    await inpage.dispose();
    expect(sessions.live()).toBe(0);
  });

  it('a load aborted by its signal while downloading: ABORTED at once, nothing built', async () => {
    const { inpage, sessions, cdn } = await inThread('auto', PROBES.none);
    const held = cdn.hold('a');
    const controller = new AbortController();
    const loading = inpage.load('a', { signal: controller.signal });
    await until(() => cdn.requests.includes('a/1.0.0/model.onnx'));
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: 'ABORTED' });
    // The engine heard the abort: the download ended there, so its file arriving now builds nothing.
    held.open();
    for (let turn = 0; turn < 50; turn++) await settle();
    expect(sessions.builds).toEqual([]);
    expect((await inpage.testing.stats()).sessions).toBe(0);
  });

  it('a load aborted by its signal while the session builds: the session is released when it is done', async () => {
    const { inpage, sessions } = await inThread('auto', PROBES.none);
    const build = gate();
    sessions.on('a', 'wasm', build);
    const controller = new AbortController();
    const loading = inpage.load('a', { signal: controller.signal });
    await until(() => sessions.builds.length === 1);
    controller.abort();
    await expect(loading).rejects.toMatchObject({ code: 'ABORTED' });
    build.open();
    await until(() => sessions.live() === 0);
    expect((await inpage.testing.stats()).sessions).toBe(0);
  });

  it('dispose() while a model loads: the load ends ABORTED and its session is released', async () => {
    const { inpage, sessions } = await inThread('auto', PROBES.none);
    const build = gate();
    sessions.on('a', 'wasm', build);
    const loading = inpage.load('a');
    await until(() => sessions.builds.length === 1);
    const disposing = inpage.dispose();
    build.open();
    await expect(loading).rejects.toMatchObject({ code: 'ABORTED' });
    await disposing;
    expect(sessions.live()).toBe(0);
    await expect(inpage.load('b')).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('inWorker is what the starter says, not guessed from the test hooks', async () => {
    const engine = new CoreEngine(fakePlatform(PROBES.none, new ScriptedSessions(), new FakeCdn([])));
    const inpage = await startInpage(engine, engineConfig('wasm'), { inWorker: true, captureWorklet: new URL('https://cdn.test/capture.js') });
    expect(inpage.inWorker).toBe(true);
  });
});
