// The engine's orchestration in Node, over a registry served from memory and scripted sessions
// (engine-fakes.ts): the backend plan end to end, early abort, unload and dispose while loading,
// a load and a run again after a failure, each model's own backend, and the order of events.
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import type { BackendPreference } from '../../src/protocol/backend-report.js';
import type { BackendChange, LoadEvents } from '../../src/protocol/engine.js';
import { CoreEngine } from '../../src/runtime/core-engine.js';
import type { AdapterProbe } from '../../src/runtime/backend.js';
import { engineConfig, FakeCdn, fakePlatform, feeds, gate, LOAD_ORDER, PROBES, recordLoadOrder, ScriptedSessions, until } from './engine-fakes.js';

async function started(backend: BackendPreference, probe: AdapterProbe, models = ['a', 'b', 'c']) {
  const sessions = new ScriptedSessions();
  const cdn = new FakeCdn(models);
  const changes: BackendChange[] = [];
  let probes = 0;
  const platform = fakePlatform(probe, sessions, cdn);
  const engine = new CoreEngine({ ...platform, probeAdapter: () => (probes++, platform.probeAdapter()) });
  const report = await engine.init(engineConfig(backend), { onBackendChange: (change) => changes.push(change) });
  return { engine, sessions, cdn, changes, report, probes: () => probes };
}

let ids = 0;
const load = (engine: CoreEngine, spec: string, events: LoadEvents = {}, requestId = `r${++ids}`) =>
  engine.load({ handle: `h-${spec}`, spec, requestId }, events);
const predict = (engine: CoreEngine, spec: string, x = 0) =>
  engine.predict({ handle: `h-${spec}`, requestId: `r${++ids}`, input: { kind: 'tensors', feeds: feeds(x, x) }, tensors: true });

/** y of a reply: x + 1 from a WASM session, x + 2 from a WebGPU one. */
const yOf = (reply: Awaited<ReturnType<typeof predict>>): number[] =>
  reply.output.task === 'tensor' ? [...(reply.output.result.y?.data as Float32Array)] : [];

const aborted = expect.objectContaining({ code: 'ABORTED' });

describe('CoreEngine: the backend plan, end to end', () => {
  it.each([
    ['auto', 'none', 'wasm'],
    ['auto', 'software', 'wasm'],
    ['auto', 'hardware', 'webgpu'],
    ['wasm', 'hardware', 'wasm'],
    ['webgpu', 'software', 'webgpu'],
    ['webgpu', 'hardware', 'webgpu'],
  ] as const)('%s with %s adapter: the session is built and runs on %s', async (preference, probe, backend) => {
    const { engine, sessions, report } = await started(preference, PROBES[probe]);
    expect(report).toMatchObject({ name: backend, requested: preference });
    // The WASM runtime is started at init only when the plan is WASM (WebGPU's needs the adapter, at the first load).
    expect(sessions.started).toEqual(backend === 'wasm' ? ['wasm'] : []);
    const info = await load(engine, 'a');
    expect(info.backend).toBe(backend);
    expect(sessions.builds).toEqual([{ model: 'a', backend, adapter: backend === 'webgpu' ? PROBES[probe].adapter : null }]);
    const reply = await predict(engine, 'a', 1);
    expect(reply.backend).toBe(backend);
    expect(yOf(reply)).toEqual(backend === 'webgpu' ? [3, 3] : [2, 2]);
  });

  it('webgpu with no adapter: init fails with BACKEND_UNAVAILABLE', async () => {
    await expect(started('webgpu', PROBES.none)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });

  it('wasm asked for: the adapter is never probed', async () => {
    const { probes } = await started('wasm', PROBES.hardware);
    expect(probes()).toBe(0);
  });
});

describe('CoreEngine: abort', () => {
  it('an abort that arrives before its load: ABORTED, nothing fetched or built', async () => {
    const { engine, sessions, cdn } = await started('auto', PROBES.none);
    await engine.abort('early');
    await expect(load(engine, 'a', {}, 'early')).rejects.toEqual(aborted);
    expect(cdn.requests).toEqual([]);
    expect(sessions.builds).toEqual([]);
  });

  it('an abort while the file downloads: ABORTED, no session built', async () => {
    const { engine, sessions, cdn } = await started('auto', PROBES.none);
    cdn.hold('a');
    const loading = load(engine, 'a', {}, 'during-download');
    await until(() => cdn.requests.includes('a/1.0.0/model.onnx'));
    await engine.abort('during-download');
    await expect(loading).rejects.toEqual(aborted);
    expect(sessions.builds).toEqual([]);
    expect((await engine.stats()).sessions).toBe(0);
  });

  it('an abort while the session builds: ABORTED, and the session built meanwhile is released', async () => {
    const { engine, sessions } = await started('auto', PROBES.none);
    const build = gate();
    sessions.on('a', 'wasm', build);
    const loading = load(engine, 'a', {}, 'during-build');
    await until(() => sessions.builds.length === 1);
    await engine.abort('during-build');
    build.open();
    await expect(loading).rejects.toEqual(aborted);
    expect(sessions.released).toEqual([{ model: 'a', backend: 'wasm' }]);
    expect((await engine.stats()).sessions).toBe(0);
  });
});

describe('CoreEngine: unload and dispose while loading', () => {
  it('unload during the build: the load ends ABORTED, the session is released, and the handle loads again', async () => {
    const { engine, sessions } = await started('auto', PROBES.none);
    const build = gate();
    sessions.on('a', 'wasm', build);
    const loading = load(engine, 'a');
    await until(() => sessions.builds.length === 1);
    await engine.unload('h-a');
    build.open();
    await expect(loading).rejects.toEqual(aborted);
    expect(sessions.live()).toBe(0);
    await expect(predict(engine, 'a')).rejects.toEqual(aborted);

    sessions.script.clear();
    await load(engine, 'a');
    expect(yOf(await predict(engine, 'a', 1))).toEqual([2, 2]);
  });

  it('dispose during the download: the load ends ABORTED, nothing is built, later calls are DISPOSED', async () => {
    const { engine, sessions, cdn } = await started('auto', PROBES.none);
    cdn.hold('a');
    const loading = load(engine, 'a');
    await until(() => cdn.requests.includes('a/1.0.0/model.onnx'));
    await engine.dispose();
    await expect(loading).rejects.toEqual(aborted);
    expect(sessions.builds).toEqual([]);
    await expect(load(engine, 'b')).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('dispose during the build: the session is released once built', async () => {
    const { engine, sessions } = await started('auto', PROBES.none);
    const build = gate();
    sessions.on('a', 'wasm', build);
    const loading = load(engine, 'a');
    await until(() => sessions.builds.length === 1);
    await engine.dispose();
    build.open();
    await expect(loading).rejects.toEqual(aborted);
    expect(sessions.live()).toBe(0);
  });
});

describe('CoreEngine: after a failure', () => {
  it('a runtime that failed to start fails that load; the next load of the handle builds afresh', async () => {
    const { engine, sessions } = await started('auto', PROBES.none);
    sessions.on('a', 'wasm', new InpageError('BACKEND_UNAVAILABLE', 'the wasm did not compile'));
    await expect(load(engine, 'a')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect((await engine.stats()).sessions).toBe(0);

    sessions.script.clear();
    expect((await load(engine, 'a')).backend).toBe('wasm');
    expect(yOf(await predict(engine, 'a', 1))).toEqual([2, 2]);
  });

  it('a run that crashes fails that call alone; the model answers the next one', async () => {
    const { engine, sessions } = await started('auto', PROBES.none);
    await load(engine, 'a');
    sessions.failNextRun.set('a', new InpageError('MODEL_INVALID', 'The model failed to run: RuntimeError: memory access out of bounds'));
    await expect(predict(engine, 'a')).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    expect(yOf(await predict(engine, 'a', 4))).toEqual([5, 5]);
    expect(await engine.stats()).toMatchObject({ sessions: 1, pendingRequests: 0, predictions: 1 });
  });
});

describe('CoreEngine: each model owns its backend', () => {
  it("under auto, B's WebGPU build fails: B runs on WASM, A stays on WebGPU, new loads go to WASM, one change pushed", async () => {
    const { engine, sessions, changes } = await started('auto', PROBES.hardware);
    sessions.on('b', 'webgpu', new Error('shader compile failed'));
    expect((await load(engine, 'a')).backend).toBe('webgpu');
    expect((await load(engine, 'b')).backend).toBe('wasm');
    expect(changes).toEqual([
      {
        instance: expect.objectContaining({
          name: 'wasm',
          fallbackFrom: 'webgpu',
          reason: expect.stringMatching(/session failed to build \(Error: shader compile failed\)/),
        }),
      },
    ]);

    const [a, b] = [await predict(engine, 'a', 1), await predict(engine, 'b', 1)];
    expect([a.backend, yOf(a)]).toEqual(['webgpu', [3, 3]]);
    expect([b.backend, yOf(b)]).toEqual(['wasm', [2, 2]]);

    expect((await load(engine, 'c')).backend).toBe('wasm');
    expect(sessions.builds.filter((build) => build.model === 'c')).toEqual([{ model: 'c', backend: 'wasm', adapter: null }]);
    expect(changes).toHaveLength(1);
  });

  it('WebGPU asked for: a build that fails is BACKEND_UNAVAILABLE, nothing falls back, nothing is pushed', async () => {
    const { engine, sessions, changes } = await started('webgpu', PROBES.hardware);
    sessions.on('b', 'webgpu', new Error('shader compile failed'));
    await load(engine, 'a');
    await expect(load(engine, 'b')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/WebGPU could not run b/) });
    expect(sessions.builds.map((build) => build.backend)).toEqual(['webgpu']);
    expect(changes).toEqual([]);
    expect((await predict(engine, 'a')).backend).toBe('webgpu');
  });

  it('a lost device moves each model on its next run, replaying the run on WASM; each change names its model', async () => {
    const { engine, sessions, changes } = await started('auto', PROBES.hardware);
    await load(engine, 'a');
    await load(engine, 'b');
    expect(await engine.simulateDeviceLoss()).toBe(true);

    const a = await predict(engine, 'a', 1);
    expect([a.backend, yOf(a)]).toEqual(['wasm', [2, 2]]);
    expect(changes).toEqual([
      { instance: expect.objectContaining({ name: 'wasm', fallbackFrom: 'webgpu' }), model: { handle: 'h-a', backend: 'wasm' } },
    ]);
    expect(sessions.released).toEqual([{ model: 'a', backend: 'webgpu' }]);

    expect((await predict(engine, 'b')).backend).toBe('wasm');
    expect(changes.map((change) => change.model?.handle)).toEqual(['h-a', 'h-b']);
    // Nothing runs on WebGPU any more.
    expect(await engine.simulateDeviceLoss()).toBe(false);
  });
});

describe('CoreEngine: the order of events', () => {
  it("a load's progress, then its backend change, all before the load settles", async () => {
    const { engine, sessions, changes } = await started('auto', PROBES.hardware);
    sessions.on('b', 'webgpu', new Error('no adapter limits'));
    expect(await recordLoadOrder((spec, events) => load(engine, spec, events), changes)).toEqual(LOAD_ORDER);
  });
});
