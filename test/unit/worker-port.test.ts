// The page↔worker protocol in Node: worker/serve-engine.ts serves a CoreEngine (over engine-fakes.ts)
// on one end of a MessageChannel, the page's WorkerChannel speaks on the other, as in the browser
// where the port is the worker's own. What crosses: comlink's calls, predictions and events on one
// ordered port, and InpageErrors with their code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InpageError } from '../../src/errors.js';
import type { BackendChange, LoadEvents, PredictRequest } from '../../src/protocol/engine.js';
import { errorFromWorker } from '../../src/protocol/error-transfer.js';
import { CoreEngine } from '../../src/runtime/core-engine.js';
import { WorkerChannel } from '../../src/client/worker-channel.js';
import { serveEngine } from '../../src/worker/serve-engine.js';
import { engineConfig, FakeCdn, fakePlatform, feeds, LOAD_ORDER, PROBES, recordLoadOrder, ScriptedSessions } from './engine-fakes.js';

const opened: MessageChannel[] = [];
afterEach(() => {
  for (const channel of opened.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function connected(probe = PROBES.hardware) {
  const sessions = new ScriptedSessions();
  const engine = new CoreEngine(fakePlatform(probe, sessions, new FakeCdn(['a', 'b'])));
  const ports = new MessageChannel();
  opened.push(ports);
  serveEngine(engine, ports.port2);
  const changes: BackendChange[] = [];
  const page = new WorkerChannel(ports.port1, (change) => changes.push(change));
  /** A comlink call as WorkerLife makes it: a rejection becomes an InpageError. */
  const call = <T>(run: (remote: WorkerChannel['remote']) => Promise<T>): Promise<T> =>
    run(page.remote).catch((error: unknown) => {
      throw errorFromWorker(error);
    });
  const load = (spec: string, events: LoadEvents = {}) => {
    const stop = page.listen(`load-${spec}`, events);
    return call((remote) => remote.load({ handle: `h-${spec}`, spec, requestId: `load-${spec}` })).finally(stop);
  };
  return { page, sessions, changes, call, load, port: ports.port1 };
}

const predictRequest = (spec: string, x: number): PredictRequest => ({
  handle: `h-${spec}`,
  requestId: `p-${spec}-${x}`,
  input: { kind: 'tensors', feeds: feeds(x, x) },
  tensors: true,
});

describe('one port between page and worker', () => {
  it('init and load through comlink; a prediction as a plain message, its output tensors moved', async () => {
    const { page, call, load } = connected(PROBES.none);
    expect(await call((remote) => remote.init(engineConfig()))).toMatchObject({ name: 'wasm' });
    expect(await load('a')).toMatchObject({ id: 'a', version: '1.0.0', backend: 'wasm' });
    const reply = await page.predict(predictRequest('a', 1), []);
    expect(reply.backend).toBe('wasm');
    expect(reply.output.task === 'tensor' && [...(reply.output.result.y?.data as Float32Array)]).toEqual([2, 2]);
  });

  it("every progress event of a load, and the backend change it caused, arrive before the load's reply", async () => {
    const { sessions, changes, call, load } = connected(PROBES.hardware);
    sessions.on('b', 'webgpu', new Error('no adapter limits'));
    await call((remote) => remote.init(engineConfig()));
    expect(await recordLoadOrder(load, changes)).toEqual(LOAD_ORDER);
    expect(changes[0]?.instance).toMatchObject({ name: 'wasm', fallbackFrom: 'webgpu' });
  });

  it('an InpageError keeps its class and code both ways: through comlink and on a prediction', async () => {
    const { page, call, load } = connected(PROBES.none);
    await call((remote) => remote.init(engineConfig()));
    const missing = await load('nope').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(InpageError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const unloaded = await page.predict(predictRequest('a', 1), []).catch((error: unknown) => error);
    expect(unloaded).toBeInstanceOf(InpageError);
    expect(unloaded).toMatchObject({ code: 'ABORTED' });
  });

  it('the predictions asked for in one task cross in one message, so the worker can batch them', async () => {
    const { page, call, load, port } = connected(PROBES.none);
    await call((remote) => remote.init(engineConfig()));
    await load('a');
    const posted = vi.spyOn(port, 'postMessage');
    const sent = (): unknown[] => posted.mock.calls.map((call) => call[0] as unknown);
    const replies = await Promise.all([1, 2, 3, 4].map((x) => page.predict(predictRequest('a', x), [])));
    expect(replies).toHaveLength(4);
    expect(sent()).toEqual([{ inpage: 'predict', requests: [1, 2, 3, 4].map((x, i) => ({ seq: i + 1, request: predictRequest('a', x) })) }]);
    // A call made later, in another task, goes on its own.
    await page.predict(predictRequest('a', 5), []);
    expect(sent()).toHaveLength(2);
  });

  it('an input the browser cannot send fails alone, as INPUT_INVALID; the others of its task run', async () => {
    const { page, call, load } = connected(PROBES.none);
    await call((remote) => remote.init(engineConfig()));
    await load('a');
    const bad = predictRequest('a', 9);
    (bad as unknown as { extra: unknown }).extra = () => 'a function cannot be cloned';
    const [good, refused] = await Promise.allSettled([page.predict(predictRequest('a', 1), []), page.predict(bad, [])]);
    expect(good.status).toBe('fulfilled');
    expect(refused.status === 'rejected' && refused.reason).toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('predictions answer by their own sequence number, in any order of completion', async () => {
    const { page, call, load } = connected(PROBES.none);
    await call((remote) => remote.init(engineConfig()));
    await load('a');
    await load('b');
    const replies = await Promise.all([1, 2, 3].map((x) => page.predict(predictRequest(x === 2 ? 'b' : 'a', x), [])));
    expect(replies.map((reply) => reply.output.task === 'tensor' && reply.output.result.y?.data[0])).toEqual([2, 3, 4]);
  });
});
