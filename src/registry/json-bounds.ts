/**
 * Size and nesting bounds for untrusted JSON, checked before anything walks it: the validator,
 * JSON.stringify and the engine's own code are then safe from a manifest built to exhaust them
 * (1 MB of `[[[…]]]` once took seconds to reject). Both checks are one linear pass.
 */

/** Deeper than any real manifest (about 9 levels) by a wide margin. */
export const MAX_JSON_DEPTH = 32;

/** Where the text first nests deeper than `maxDepth`, or -1. Brackets inside strings do not count. */
export function textDepthExceeded(text: string, maxDepth = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Whether a parsed value nests deeper than `maxDepth` (iterative: a deep value must not overflow the stack here either). */
export function valueDepthExceeded(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() ?? [null, 0];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
