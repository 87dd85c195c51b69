// The thread rule: more than one wasm thread only where the context is cross-origin isolated
// (SharedArrayBuffer), `auto` as half the cores within [2, 4], and a reason that says which.
import { describe, expect, it } from 'vitest';
import { chooseThreads } from '../../src/runtime/threads.js';

describe('chooseThreads', () => {
  it('auto on an isolated page: half the cores, at least 2 where there are 2, at most 4', () => {
    const auto = (cores: number) => chooseThreads('auto', { isolated: true, cores }).count;
    expect([1, 2, 3, 4, 6, 8, 16, 64].map(auto)).toEqual([1, 2, 2, 2, 3, 4, 4, 4]);
    expect(chooseThreads('auto', { isolated: true, cores: 2 }).reason).toMatch(/auto: 2 threads on 2 cores/);
  });

  it('one thread on a page that is not isolated, whatever was asked, saying why', () => {
    for (const asked of ['auto', 2, 8] as const) {
      const choice = chooseThreads(asked, { isolated: false, cores: 8 });
      expect(choice.count).toBe(1);
      expect(choice.reason).toMatch(/not cross-origin isolated/);
    }
    expect(chooseThreads(8, { isolated: false, cores: 8 }).reason).toMatch(/8 asked/);
    expect(chooseThreads(1, { isolated: false, cores: 8 })).toEqual({ count: 1, reason: 'numThreads: 1' });
  });

  it('a number asked on an isolated page is taken as it is', () => {
    expect(chooseThreads(3, { isolated: true, cores: 2 })).toEqual({ count: 3, reason: 'numThreads: 3' });
  });
});
