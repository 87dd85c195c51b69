// The backend plan, as a table: what each preference gives with no adapter, a software fallback
// adapter (SwiftShader) and a hardware one; and the progress throttle on a fake clock (one report
// per 50 ms, the held one sent when its interval ends, the last one on finish, nothing after).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { planBackend, type AdapterProbe } from '../../src/runtime/backend.js';
import { throttleProgress } from '../../src/runtime/progress-throttle.js';
import type { DownloadProgress } from '../../src/protocol/events.js';

const adapter = {} as GPUAdapter;
const summary = (isFallbackAdapter: boolean) => ({ vendor: 'v', architecture: 'a', device: 'd', description: '', isFallbackAdapter });
const PROBES: Record<string, AdapterProbe> = {
  none: { adapter: null, problem: 'this browser has no navigator.gpu' },
  software: { adapter, summary: summary(true) },
  hardware: { adapter, summary: summary(false) },
};

describe('planBackend', () => {
  it.each([
    ['auto', 'none', 'wasm', /WASM, because this browser has no navigator.gpu/],
    ['auto', 'software', 'wasm', /software fallback adapter .*slower than WASM/],
    ['auto', 'hardware', 'webgpu', /WebGPU on hardware adapter v a d/],
    ['wasm', 'none', 'wasm', /WASM was requested/],
    ['wasm', 'hardware', 'wasm', /WASM was requested/],
    ['webgpu', 'software', 'webgpu', /requested; running on software fallback adapter/],
    ['webgpu', 'hardware', 'webgpu', /requested; running on adapter/],
  ] as const)('%s with %s adapter: %s', (requested, probe, name, reason) => {
    const plan = planBackend(requested, PROBES[probe]);
    expect(plan.report).toMatchObject({ name, requested });
    expect(plan.report.reason).toMatch(reason);
    // Only a plan that runs WebGPU keeps the adapter.
    expect(plan.adapter).toBe(name === 'webgpu' ? adapter : null);
  });

  it('webgpu with no adapter is BACKEND_UNAVAILABLE, saying why', () => {
    expect(() => planBackend('webgpu', PROBES.none)).toThrow(
      expect.objectContaining({ code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/no navigator.gpu/) }),
    );
  });
});

describe('throttleProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const at = (fileLoaded: number, fileTotal = 100): DownloadProgress =>
    ({ loaded: fileLoaded, total: fileTotal, file: 'model.onnx', fileLoaded, fileTotal, fromCache: false }) as DownloadProgress;

  it('sends the first report, holds the next ones for 50 ms, then sends the latest held', () => {
    const sent: number[] = [];
    const throttle = throttleProgress((p) => sent.push(p.fileLoaded));
    throttle.report(at(1));
    throttle.report(at(2));
    throttle.report(at(3));
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(50);
    // A download that pauses here still shows every byte received.
    expect(sent).toEqual([1, 3]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1, 3]);
  });

  it("sends a file's last report at once, and after finish() nothing", () => {
    const sent: number[] = [];
    const throttle = throttleProgress((p) => sent.push(p.fileLoaded));
    throttle.report(at(10));
    throttle.report(at(100));
    expect(sent).toEqual([10, 100]);
    throttle.report(at(20, 200));
    throttle.finish();
    expect(sent).toEqual([10, 100, 20]);
    throttle.report(at(30, 200));
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([10, 100, 20]);
  });

  it('a throwing callback does not break the reports after it', () => {
    const sent: number[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const throttle = throttleProgress((p) => {
      sent.push(p.fileLoaded);
      throw new Error('page bug');
    });
    throttle.report(at(100));
    throttle.report(at(50, 50));
    expect(sent).toEqual([100, 50]);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });
});
