// Cross-tab download coordination (issue 19): one holder at a time, a bounded wait, and an abort
// that ends the wait. A small in-memory LockManager stands in for navigator.locks (Node has none).
import { describe, expect, it } from 'vitest';
import { withDownloadLock } from '../../src/registry/download-lock.js';

/** Exclusive locks by name, honouring `signal` while waiting; `stuck` names are never granted. */
function fakeLocks(stuck = new Set<string>()): LockManager {
  const tails = new Map<string, Promise<unknown>>();
  const request = (name: string, options: LockOptions, callback: () => Promise<unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const signal = options.signal;
      const onAbort = (): void => {
        const reason: unknown = signal?.reason;
        reject(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (stuck.has(name)) return;
      const previous = tails.get(name) ?? Promise.resolve();
      const mine = previous.then(async () => {
        if (signal?.aborted) return;
        signal?.removeEventListener('abort', onAbort);
        try {
          resolve(await callback());
        } catch (error) {
          reject(error);
        }
      });
      tails.set(
        name,
        mine.catch(() => undefined),
      );
    });
  return { request, query: async () => ({}) } as unknown as LockManager; // test double: only request() is used
}

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('withDownloadLock', () => {
  it('runs one holder at a time per file; other files are not held up', async () => {
    const locks = fakeLocks();
    const order: string[] = [];
    const job = (name: string, ms: number) => async (): Promise<string> => {
      order.push(`start ${name}`);
      await tick(ms);
      order.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      withDownloadLock('a', undefined, 5_000, job('a1', 30), locks),
      withDownloadLock('a', undefined, 5_000, job('a2', 5), locks),
      withDownloadLock('b', undefined, 5_000, job('b1', 5), locks),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(order.indexOf('end a1')).toBeLessThan(order.indexOf('start a2'));
    expect(order.indexOf('start b1')).toBeLessThan(order.indexOf('end a1'));
  });

  it('a holder that never lets go (a frozen tab): the waitMs deadline gives up the wait, then the work runs anyway', async () => {
    const stuck = fakeLocks(new Set(['inpage-download:x']));
    // Why the wait ended: the deadline is the only thing that aborts it with this reason.
    const endedBy: unknown[] = [];
    const locks = {
      request: (name: string, options: LockOptions, callback: () => Promise<unknown>) => {
        options.signal?.addEventListener('abort', () => endedBy.push(options.signal?.reason), { once: true });
        return stuck.request(name, options, callback);
      },
    } as unknown as LockManager; // test double: only request() is used
    expect(await withDownloadLock('x', undefined, 50, async () => 'ran', locks)).toBe('ran');
    expect(endedBy).toEqual([new Error('waited too long for another tab')]);
  });

  it('an abort while waiting is ABORTED and the work never runs', async () => {
    const locks = fakeLocks(new Set(['inpage-download:x']));
    const controller = new AbortController();
    let ran = false;
    const waiting = withDownloadLock(
      'x',
      controller.signal,
      10_000,
      async () => {
        ran = true;
      },
      locks,
    );
    setTimeout(() => {
      controller.abort();
    }, 10);
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(ran).toBe(false);
  });

  it("the work's own failure comes out as it is, not as a second attempt", async () => {
    let runs = 0;
    const failing = withDownloadLock(
      'y',
      undefined,
      1_000,
      async () => {
        runs += 1;
        throw new Error('integrity');
      },
      fakeLocks(),
    );
    await expect(failing).rejects.toThrow('integrity');
    expect(runs).toBe(1);
  });

  it('without Web Locks it simply runs', async () => {
    expect(await withDownloadLock('z', undefined, 1, async () => 42, null)).toBe(42);
  });
});
