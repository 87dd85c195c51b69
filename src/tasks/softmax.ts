/** Numerically stable softmax of one row of logits. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- an ArrayLike is not iterable
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  const exps: number[] = [];
  let sum = 0;
  // eslint-disable-next-line @typescript-eslint/prefer-for-of -- an ArrayLike is not iterable
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] ?? -Infinity) - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}
