// Test doubles for driving the engine in Node (not a test file itself): a registry served from
// memory through an injected fetch, a scripted SessionFactory, adapter probes and gates.
import { createHash } from 'node:crypto';
import type { BackendName, BackendPreference } from '../../src/protocol/backend-report.js';
import type { BackendChange, EngineConfig, LoadEvents } from '../../src/protocol/engine.js';
import type { AdapterProbe } from '../../src/runtime/backend.js';
import type { EnginePlatform } from '../../src/runtime/core-engine.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import type { SessionBuild, SessionFactory, SessionRequest } from '../../src/runtime/session-factory.js';
import type { TensorMap } from '../../src/tasks/tensors.js';

const REGISTRY = 'https://cdn.test/models/registry.json';

export function engineConfig(backend: BackendPreference = 'auto'): EngineConfig {
  const asset = (name: string): string => `https://cdn.test/dist/${name}`;
  return {
    backend,
    registryUrls: [REGISTRY],
    assets: {
      ortWasmModule: asset('ort-wasm.mjs'),
      ortWebgpuModule: asset('ort-webgpu.mjs'),
      ortWasmBinary: asset('a.wasm'),
      ortWebgpuBinary: asset('b.wasm'),
    },
    cache: false,
    numThreads: 1,
    stallTimeoutMs: 30_000,
    retries: 0,
    maxBatch: 4,
  };
}

/** A promise to release by hand: a download or a session build that hangs until the test says. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Runs the queued callbacks and timers that are due, so that a pending step takes its next turn. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Waits until `done()` holds (a download or a build has started), a turn of the event loop at a time. */
export async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !done(); turn++) await settle();
  if (!done()) throw new Error('what the test waited for never happened');
}

const adapter = {} as GPUAdapter;
const summary = (isFallbackAdapter: boolean) => ({ vendor: 'v', architecture: 'a', device: 'd', description: '', isFallbackAdapter });
export const PROBES: Record<'none' | 'software' | 'hardware', AdapterProbe> = {
  none: { adapter: null, problem: 'this browser has no navigator.gpu' },
  software: { adapter, summary: summary(true) },
  hardware: { adapter, summary: summary(false) },
};

const modelBytes = (name: string): Uint8Array => new TextEncoder().encode(`model:${name}`);
const nameOf = (bytes: Uint8Array): string => new TextDecoder().decode(bytes).replace(/^model:/, '');

/**
 * registry.json and one file per model (task "tensor", input x and output y of 1x2 floats),
 * served from memory. `hold(name)` makes that model's file wait until the gate opens (or its
 * request is aborted).
 */
export class FakeCdn {
  readonly requests: string[] = [];
  private readonly held = new Map<string, Gate>();

  constructor(private readonly models: readonly string[]) {}

  hold(name: string): Gate {
    const held = gate();
    this.held.set(`${name}/1.0.0/model.onnx`, held);
    return held;
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const path = url.pathname.replace(/^\/models\//, '');
    this.requests.push(path);
    if (path === 'registry.json') return Response.json(this.manifest());
    const name = this.models.find((model) => path === `${model}/1.0.0/model.onnx`);
    if (name === undefined) return new Response('missing', { status: 404 });
    const held = this.held.get(path);
    if (held) {
      await Promise.race([
        held.promise,
        new Promise((_, reject) =>
          init?.signal?.addEventListener(
            'abort',
            () => {
              reject(init.signal?.reason as Error);
            },
            { once: true },
          ),
        ),
      ]);
    }
    return new Response(modelBytes(name).slice(), { headers: { 'content-length': String(modelBytes(name).byteLength) } });
  };

  private manifest(): object {
    const models: Record<string, object> = {};
    for (const name of this.models) {
      const bytes = modelBytes(name);
      models[name] = {
        versions: {
          '1.0.0': {
            task: 'tensor',
            files: [
              { path: `${name}/1.0.0/model.onnx`, role: 'model', sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength },
            ],
            inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2] }],
            outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
            license: 'MIT',
          },
        },
      };
    }
    return { schemaVersion: 1, models };
  }
}

/** What a scripted build does: succeed, fail with this error, or wait for the gate first. */
export type BuildScript = 'ok' | Error | Gate;

/** A GPU device watch whose loss the test (or the engine's simulateDeviceLoss) brings about. */
function fakeDevice(): NonNullable<SessionBuild['device']> {
  let lost: string | null = null;
  return {
    get lost() {
      return lost;
    },
    settle: async () => lost,
    destroy() {
      lost = 'the device was destroyed';
    },
  };
}

/**
 * A SessionFactory whose builds and runs follow a script, by model name and backend. Sessions
 * answer y = x + 1 on WASM and x + 2 on WebGPU, so a reply shows which session ran it.
 */
export class ScriptedSessions implements SessionFactory {
  readonly builds: { model: string; backend: BackendName; adapter: GPUAdapter | null }[] = [];
  readonly started: BackendName[] = [];
  readonly released: { model: string; backend: BackendName }[] = [];
  /** Builds not scripted here succeed. */
  readonly script = new Map<string, BuildScript>();
  /** Thrown by the next run of that model, once. */
  readonly failNextRun = new Map<string, Error>();

  on(model: string, backend: BackendName, what: BuildScript): this {
    this.script.set(`${model}/${backend}`, what);
    return this;
  }

  live(): number {
    return this.builds.length - this.released.length;
  }

  async build(request: SessionRequest): Promise<SessionBuild> {
    const model = nameOf(request.bytes);
    const what = this.script.get(`${model}/${request.backend}`) ?? 'ok';
    this.builds.push({ model, backend: request.backend, adapter: request.adapter });
    if (what instanceof Error) {
      this.builds.pop();
      throw what;
    }
    if (what !== 'ok') await what.promise;
    return { session: this.session(model, request.backend), device: request.backend === 'webgpu' ? fakeDevice() : null, runtimeMs: 0, sessionMs: 0 };
  }

  async startRuntime(backend: BackendName): Promise<void> {
    this.started.push(backend);
  }

  private session(model: string, backend: BackendName): ModelSession {
    const { failNextRun, released } = this;
    return {
      inputNames: ['x'],
      outputNames: ['y'],
      async run(feeds: TensorMap): Promise<TensorMap> {
        const failure = failNextRun.get(model);
        if (failure) {
          failNextRun.delete(model);
          throw failure;
        }
        const x = feeds.x;
        if (x?.type !== 'float32') throw new Error('no x');
        const step = backend === 'webgpu' ? 2 : 1;
        return { y: { type: 'float32', data: x.data.map((v) => v + step), dims: [1, 2] } };
      },
      async release() {
        released.push({ model, backend });
      },
    };
  }
}

/** An engine platform over these fakes. */
export function fakePlatform(probe: AdapterProbe, sessions: ScriptedSessions, cdn: FakeCdn): EnginePlatform {
  return { sessions, probeAdapter: async () => probe, fetch: cdn.fetch };
}

/** The feeds every fake model takes. */
export const feeds = (a = 0, b = 0): TensorMap => ({ x: { type: 'float32', data: Float32Array.of(a, b), dims: [1, 2] } });

/**
 * Loads model a, then model b whose WebGPU build fails (script it so), noting each progress
 * event, each load's end and how many backend changes had arrived by then: {@link LOAD_ORDER}
 * is what an engine, in-thread or across a port, must give.
 */
export async function recordLoadOrder(
  load: (spec: string, events: LoadEvents) => Promise<unknown>,
  changes: readonly BackendChange[],
): Promise<string[]> {
  const log: string[] = [];
  const note = (what: string): number => log.push(`${what} (${changes.length} changes)`);
  const watching = (spec: string): LoadEvents => ({ onProgress: (p) => note(`${spec} progress ${p.loaded}/${p.total}`) });
  await load('a', watching('a')).then(() => note('a loaded'));
  await load('b', watching('b')).then(() => note('b loaded'));
  await settle();
  return log;
}

export const LOAD_ORDER = [
  'a progress 0/7 (0 changes)',
  'a progress 7/7 (0 changes)',
  'a loaded (0 changes)',
  'b progress 0/7 (0 changes)',
  'b progress 7/7 (0 changes)',
  'b loaded (1 changes)',
];
