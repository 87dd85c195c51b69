/**
 * The digits task: a picture (or 784 floats already in MNIST framing) in, a digit out.
 */
import { InpageError } from '../errors.js';
import type { DigitsPreprocess } from '../registry/manifest-types.js';
import type { DigitPrediction, TaskInput } from '../protocol/task-io.js';
import { MAX_PIXELS } from './input-limits.js';
import { frameDigit, inkFromRgba } from './mnist-framing.js';
import { argmax, softmax } from './softmax.js';


function checkImage(width: number, height: number, data: Uint8ClampedArray): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InpageError('INPUT_INVALID', `Image size must be positive integers, got ${width}x${height}`);
  }
  if (width * height > MAX_PIXELS) {
    throw new InpageError('INPUT_INVALID', `Image of ${width}x${height} pixels is larger than the ${MAX_PIXELS} pixels allowed`);
  }
  if (data.length !== width * height * 4) {
    throw new InpageError(
      'INPUT_INVALID',
      `Image data holds ${data.length} bytes, but ${width}x${height} RGBA needs ${width * height * 4}`,
    );
  }
}

/** Returns the model's input for one picture: MNIST-framed and normalised. */
export function prepareDigit(input: TaskInput, preprocess: DigitsPreprocess): Float32Array {
  const cells = preprocess.size * preprocess.size;
  let framed: Float32Array;
  if (input.kind === 'image') {
    checkImage(input.width, input.height, input.data);
    framed = frameDigit(inkFromRgba(input.width, input.height, input.data), preprocess.size, preprocess.fit);
  } else if (input.kind === 'floats') {
    if (input.data.length !== cells) {
      throw new InpageError('INPUT_INVALID', `Expected ${cells} floats (${preprocess.size}x${preprocess.size}), got ${input.data.length}`);
    }
    for (let i = 0; i < input.data.length; i++) {
      const v = input.data[i] ?? NaN;
      if (!Number.isFinite(v)) {
        throw new InpageError('INPUT_INVALID', `Pixel ${i} is ${v}: every value must be a finite number in [0, 1]`);
      }
    }
    framed = input.data;
  } else {
    throw new InpageError('INPUT_INVALID', 'The digits model takes a canvas, an image or 784 numbers, not text');
  }
  const normalised = new Float32Array(cells);
  for (let i = 0; i < cells; i++) normalised[i] = ((framed[i] ?? 0) - preprocess.mean) / preprocess.std;
  return normalised;
}

export function digitFromLogits(logits: ArrayLike<number>): DigitPrediction {
  const probabilities = softmax(logits);
  return { label: argmax(probabilities), probabilities };
}
