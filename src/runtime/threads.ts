/**
 * How many wasm threads onnxruntime-web gets. Threads need SharedArrayBuffer, which a browser
 * gives only to a cross-origin isolated context (COOP + COEP headers): elsewhere onnxruntime
 * would quietly run one thread, so we choose 1 and say why.
 *
 * The `auto` rule, from the benchmark (bench/README.md, the stated `worker2` rows): on this
 * 2-core machine, 2 threads ran sentiment in 0.72-0.84x the time of 1 for one call and batches
 * of 64 in 0.76x, although the page's own thread shares the cores. So: half the cores, rounded up,
 * at least 2 (where there are 2) and at most 4, onnxruntime-web's own cap (its default is half the
 * cores, which is 1 on 2 cores).
 */
import { optionalGlobals } from '../optional-globals.js';

export interface ThreadChoice {
  count: number;
  reason: string;
}

export interface ThreadContext {
  isolated: boolean;
  cores: number;
}

export function threadContext(): ThreadContext {
  const cores = optionalGlobals.navigator?.hardwareConcurrency;
  return { isolated: optionalGlobals.crossOriginIsolated === true, cores: typeof cores === 'number' && cores > 0 ? cores : 1 };
}

export function chooseThreads(asked: number | 'auto', { isolated, cores }: ThreadContext): ThreadChoice {
  if (!isolated) {
    const wanted = asked === 'auto' ? '' : asked > 1 ? ` (${asked} asked)` : '';
    if (asked === 1) return { count: 1, reason: 'numThreads: 1' };
    return { count: 1, reason: `1 thread${wanted}: the page is not cross-origin isolated, so there is no SharedArrayBuffer for more` };
  }
  if (asked !== 'auto') return { count: asked, reason: `numThreads: ${asked}` };
  if (cores < 2) return { count: 1, reason: 'auto: 1 thread on a 1-core device' };
  const count = Math.min(4, Math.max(2, Math.ceil(cores / 2)));
  return { count, reason: `auto: ${count} threads on ${cores} cores (a cross-origin isolated page)` };
}
