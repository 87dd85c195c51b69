/**
 * The last gate before a result leaves the engine: no task may hand out NaN or Infinity,
 * whatever its input or model did, because a result made of them is a guess dressed as an answer.
 * Each task checks the outputs it reads (checkFinite); this catches whatever a task derives
 * afterwards (a softmax overflow, a division by a zero sum).
 */
import { InpageError } from '../errors.js';

/** Where the first NaN/Infinity in `value` is (e.g. `probabilities[3]`), or null when there is none. Walks plain data only. */
export function findNonFinite(value: unknown, path = 'result'): string | null {
  // An explicit stack: results are shallow, but a recursion on them would still be a hazard to avoid.
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [item, at] = stack.pop() ?? [undefined, ''];
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return at;
    } else if (item instanceof Float32Array || item instanceof Float64Array) {
      for (let i = 0; i < item.length; i++) if (!Number.isFinite(item[i])) return `${at}[${i}]`;
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${at}[${i}]`]));
    } else if (typeof item === 'object' && item !== null && !ArrayBuffer.isView(item)) {
      for (const [key, child] of Object.entries(item)) stack.push([child, `${at}.${key}`]);
    }
  }
  return null;
}

/** Throws MODEL_INVALID naming where a NaN/Infinity sits in a task's result. */
export function checkFiniteResult(value: unknown, model: string): void {
  const where = findNonFinite(value);
  if (where !== null) {
    throw new InpageError('MODEL_INVALID', `${model} produced a non-finite number at ${where}: no result can be made from it`, {
      details: { path: where },
    });
  }
}
