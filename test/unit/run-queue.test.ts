import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import { RunQueue } from '../../src/runtime/run-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('RunQueue', () => {
  it('runs one batch at a time and coalesces what arrives meanwhile, in order', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const queue = new RunQueue<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.promise;
      return items.map((x) => x * 10);
    }, 8);
    const first = queue.submit(1, 1);
    const rest = [2, 3, 4, 5].map((x) => queue.submit(x, 1));
    gate.resolve();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('never puts more rows than maxRows in one batch (a request larger than it runs alone)', async () => {
    const sizes: number[] = [];
    const gate = deferred();
    const queue = new RunQueue<number, number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await gate.promise;
      return items;
    }, 3);
    const all = [queue.submit(0, 1), ...Array.from({ length: 7 }, (_, i) => queue.submit(i + 1, 1)), queue.submit(99, 5)];
    gate.resolve();
    await Promise.all(all);
    expect(sizes).toEqual([1, 3, 3, 1, 1]);
  });

  it('rejects an aborted waiting request with ABORTED and leaves it out of the batch', async () => {
    const seen: number[][] = [];
    const gate = deferred();
    const queue = new RunQueue<number, number>(async (items) => {
      seen.push(items);
      if (seen.length === 1) await gate.promise;
      return items;
    }, 8);
    const running = queue.submit(1, 1);
    const controller = new AbortController();
    const doomed = queue.submit(2, 1, controller.signal);
    const kept = queue.submit(3, 1);
    controller.abort();
    await expect(doomed).rejects.toMatchObject({ code: 'ABORTED' });
    gate.resolve();
    await Promise.all([running, kept]);
    expect(seen).toEqual([[1], [3]]);
  });

  it('a failing batch rejects its own requests only; the next batch still runs', async () => {
    let calls = 0;
    const queue = new RunQueue<number, number>(async (items) => {
      calls += 1;
      if (items.includes(13)) throw new InpageError('MODEL_INVALID', 'unlucky');
      return items;
    }, 1);
    const bad = queue.submit(13, 1);
    const good = queue.submit(7, 1);
    await expect(bad).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    expect(await good).toBe(7);
    expect(calls).toBe(2);
  });

  it('close() rejects the waiting requests and lets the running batch settle', async () => {
    const gate = deferred();
    const queue = new RunQueue<number, number>(async (items) => {
      await gate.promise;
      return items;
    }, 1);
    const running = queue.submit(1, 1);
    const waiting = queue.submit(2, 1);
    const closed = queue.close(new InpageError('ABORTED', 'disposed'));
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    gate.resolve();
    expect(await running).toBe(1);
    await closed;
    await expect(queue.submit(3, 1)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
