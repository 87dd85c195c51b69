// Feeds are checked against the model's declared inputs before anything reaches a session:
// every kind of mismatch is INPUT_INVALID naming the input.
import { describe, expect, it } from 'vitest';
import { InpageError } from '../../src/errors.js';
import type { TensorSpec } from '../../src/registry/manifest-types.js';
import { checkFeeds, checkFinite, readTensor, transferablesOf } from '../../src/tasks/tensors.js';
import { ort } from './node-session.js';

const VAD_INPUTS: TensorSpec[] = [
  { name: 'input', dtype: 'float32', shape: ['batch', 'samples'] },
  { name: 'state', dtype: 'float32', shape: [2, 'batch', 128] },
  { name: 'sr', dtype: 'int64', shape: [] },
];

const good = () => ({
  input: { type: 'float32', data: new Float32Array(576), dims: [1, 576] },
  state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
  sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
});

function failure(feeds: unknown): { code: string; input: unknown; message: string } {
  try {
    checkFeeds(feeds, VAD_INPUTS);
  } catch (error) {
    if (error instanceof InpageError) return { code: error.code, input: error.details.input, message: error.message };
    throw error;
  }
  throw new Error('expected INPUT_INVALID');
}

describe('checkFeeds', () => {
  it('accepts feeds that fit, plain or as onnxruntime Tensors, scalars included', () => {
    expect(Object.keys(checkFeeds(good(), VAD_INPUTS))).toEqual(['input', 'state', 'sr']);
    const tensors = {
      input: new ort.Tensor('float32', new Float32Array(576), [1, 576]),
      state: new ort.Tensor('float32', new Float32Array(256), [2, 1, 128]),
      sr: new ort.Tensor('int64', BigInt64Array.of(16000n), []),
    };
    const checked = checkFeeds(tensors, VAD_INPUTS);
    expect(checked.sr).toMatchObject({ type: 'int64', dims: [] });
    expect(Object.getPrototypeOf(checked.input)).toBe(Object.prototype);
  });

  const cases: [string, (f: Record<string, unknown>) => void, string, RegExp][] = [
    ['a missing input', (f) => delete f.state, 'state', /missing/],
    ['an extra input', (f) => (f.extra = f.sr), 'extra', /no input "extra"/],
    ['a wrong element type', (f) => (f.sr = { type: 'int32', data: Int32Array.of(16000), dims: [] }), 'sr', /must be int64/],
    ['data of the wrong array type', (f) => (f.sr = { type: 'int64', data: [16000], dims: [] }), 'sr', /BigInt64Array/],
    [
      'a wrong fixed dimension',
      (f) => (f.state = { type: 'float32', data: new Float32Array(128), dims: [1, 1, 128] }),
      'state',
      /dimension 0 must be 2/,
    ],
    ['a wrong rank', (f) => (f.input = { type: 'float32', data: new Float32Array(576), dims: [576] }), 'input', /2 dimension/],
    ['data that does not fill the dims', (f) => (f.input = { type: 'float32', data: new Float32Array(500), dims: [1, 576] }), 'input', /500 values/],
    [
      'negative or fractional dims',
      (f) => (f.input = { type: 'float32', data: new Float32Array(0), dims: [1.5, -1] }),
      'input',
      /non-negative integers/,
    ],
    ['an unknown type name', (f) => (f.input = { type: 'float', data: new Float32Array(576), dims: [1, 576] }), 'input', /expected one of/],
    ['not a tensor at all', (f) => (f.input = 'hello'), 'input', /must be a tensor/],
    ['null', (f) => (f.state = null), 'state', /must be a tensor/],
  ];
  for (const [what, edit, input, message] of cases) {
    it(`refuses ${what}, naming the input`, () => {
      const feeds: Record<string, unknown> = good();
      edit(feeds);
      const error = failure(feeds);
      expect(error.code).toBe('INPUT_INVALID');
      expect(error.input).toBe(input);
      expect(error.message).toMatch(message);
    });
  }

  it('refuses feeds that are not an object of names', () => {
    for (const feeds of [null, 42, [good().input], 'input']) expect(failure(feeds).code).toBe('INPUT_INVALID');
  });
});

describe('outputs and transfers', () => {
  it('refuses NaN and Infinity in a float output, naming it; integers pass', () => {
    expect(() => {
      checkFinite('output', { type: 'float32', data: Float32Array.of(0.5, NaN), dims: [2] });
    }).toThrow(/output.*NaN at index 1/);
    expect(() => {
      checkFinite('logits', { type: 'float64', data: Float64Array.of(-Infinity), dims: [1] });
    }).toThrow(InpageError);
    expect(() => {
      checkFinite('ids', { type: 'int64', data: BigInt64Array.of(1n), dims: [1] });
    }).not.toThrow();
  });

  it('moves a buffer only where a tensor covers it whole, each once, and none for strings', () => {
    const whole = new Float32Array(4);
    const shared = new Float32Array(8);
    const buffers = transferablesOf({
      a: { type: 'float32', data: whole, dims: [4] },
      again: { type: 'float32', data: whole, dims: [2, 2] },
      // Views over parts of a larger buffer: moving it would empty memory the caller holds for other things.
      b: { type: 'float32', data: shared.subarray(0, 4), dims: [4] },
      c: { type: 'float32', data: shared.subarray(4), dims: [4] },
      s: readTensor({ type: 'string', data: ['x'], dims: [1] }, 's'),
    });
    expect(buffers).toEqual([whole.buffer]);
  });
});
