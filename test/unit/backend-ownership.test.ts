// Each model owns its backend, and the engine pushes changes. The case that used to report
// wrong: under `auto`, model A runs on WebGPU; model B's WebGPU session fails to build, so new
// sessions go to WASM — and the instance, polling the engine after every call, wrote "wasm" onto
// A as well, which still ran on WebGPU. Here a stand-in engine pushes exactly the changes the real
// one does; the page must keep A on WebGPU, move B, and never ask the engine for its backend.
import { describe, expect, it } from 'vitest';
import { Inpage, type BackendChangeDetail } from '../../src/client/inpage.js';
import type { BackendReport } from '../../src/protocol/backend-report.js';
import type { BackendChange, Engine, PredictRequest } from '../../src/protocol/engine.js';
import type { ModelInfo } from '../../src/protocol/model-info.js';

const WEBGPU: BackendReport = {
  name: 'webgpu',
  requested: 'auto',
  reason: 'WebGPU on hardware adapter',
  threads: { count: 1, reason: 'numThreads: 1' },
};
const WASM_AFTER_B: BackendReport = { ...WEBGPU, name: 'wasm', fallbackFrom: 'webgpu', reason: 'WASM, because the WebGPU session failed to build' };

function info(id: string, backend: 'webgpu' | 'wasm'): ModelInfo {
  return {
    id,
    version: '1.0.0',
    task: 'tensor',
    backend,
    labels: [],
    inputs: [],
    outputs: [],
    metrics: {},
    license: 'MIT',
    loadMs: 1,
    timings: { filesMs: 0, runtimeMs: 0, sessionMs: 0, warmUpMs: 0 },
    bytesDownloaded: 0,
    fromCache: true,
  } as unknown as ModelInfo;
}

/** The engine side as the page sees it: loads answer with each model's own backend; changes are pushed. */
function standInEngine() {
  const backends = new Map<string, 'webgpu' | 'wasm'>();
  const handles = new Map<string, string>();
  let push: (change: BackendChange) => void = () => undefined;
  const engine = {
    polled: 0,
    async load({ handle, spec }: { handle: string; spec: string }) {
      // A's session builds on WebGPU; B's fails there and falls back, moving the engine's plan.
      const backend = spec === 'a' ? 'webgpu' : 'wasm';
      backends.set(handle, backend);
      handles.set(spec, handle);
      if (spec === 'b') push({ instance: WASM_AFTER_B });
      return info(spec, backend);
    },
    async predict(request: PredictRequest) {
      return { output: { task: 'tensor', result: {} }, backend: backends.get(request.handle) ?? 'wasm' };
    },
    backend() {
      engine.polled++;
      return Promise.resolve(WASM_AFTER_B);
    },
    async unload() {
      // nothing loaded to free
    },
    async dispose() {
      // nothing to end
    },
    trim() {
      // nothing to give back
    },
    loseDeviceOf(spec: string) {
      const handle = handles.get(spec) ?? '';
      backends.set(handle, 'wasm');
      push({ instance: WASM_AFTER_B, model: { handle, backend: 'wasm' } });
    },
  };
  return { engine, listen: (deliver: (change: BackendChange) => void) => (push = deliver) };
}

describe('backend ownership', () => {
  it('a model keeps its own backend when another falls back; changes are pushed, never polled', async () => {
    const { engine, listen } = standInEngine();
    const inpage = new Inpage(engine as unknown as Engine, WEBGPU, {
      inWorker: false,
      captureWorklet: new URL('https://x.invalid/w.js'),
      listenBackend: listen,
    });
    const events: BackendChangeDetail[] = [];
    inpage.addEventListener('backendchange', (e) => events.push((e as CustomEvent<BackendChangeDetail>).detail));

    const a = await inpage.load('a');
    await a.run({});
    const b = await inpage.load('b');
    await a.run({});
    await b.run({});

    expect(a.info.backend).toBe('webgpu');
    expect(b.info.backend).toBe('wasm');
    expect(inpage.backend.name).toBe('wasm');
    expect(events).toEqual([expect.objectContaining({ name: 'wasm' })]);
    expect(events[0]?.model).toBeUndefined();

    // A's own device is lost later: only then does A move, and the event names it.
    engine.loseDeviceOf('a');
    expect(a.info.backend).toBe('wasm');
    expect(events.at(-1)).toMatchObject({ name: 'wasm', model: 'a' });
    expect(engine.polled).toBe(0);
  });
});
