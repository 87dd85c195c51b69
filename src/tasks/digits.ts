/**
 * The digits task: a picture (or 784 floats already in MNIST framing) in, a digit out.
 * Page side: a canvas, ImageBitmap or ImageData is read at most 112 px on its longer side.
 * Engine side: the ink is framed as MNIST was made (mnist-framing.ts), then normalised.
 */
import { InpageError } from '../errors.js';
import * as v from 'valibot';
import type { TaskInput } from '../protocol/task-io.js';
import type { ModelVersion } from '../registry/manifest-types.js';
import { MAX_PIXELS } from './input-limits.js';
import { frameDigit, inkFromRgba } from './mnist-framing.js';
import { copyImageData, describeInput, fitWithin, isImageData, readDrawable, type Drawable } from './read-pixels.js';
import { argmax, softmax } from './softmax.js';
import { ONE_ROW, type PreparedRequest, type TaskDefinition, type TaskOutputOf } from './task.js';
import { floatOutput, labelsOf, outputName, rowsOf } from './tensors.js';

/**
 * Anything the digits task accepts: a drawing surface, pixels, or 784 numbers in MNIST framing.
 * @example
 * ```ts
 * const input: DigitInput = ctx.getImageData(0, 0, 280, 280);
 * await digits.predict(input);
 * ```
 */
export type DigitInput = HTMLCanvasElement | OffscreenCanvas | ImageBitmap | ImageData | Float32Array | ArrayLike<number>;

/**
 * Result of the digits task.
 * @example
 * ```ts
 * const { label, probabilities }: DigitPrediction = await digits.predict(canvas);
 * ```
 */
export interface DigitPrediction {
  /** The most probable digit, 0-9. */
  label: number;
  /** Softmax probabilities for digits 0..9. */
  probabilities: number[];
}

declare module '../protocol/task-io.js' {
  interface TaskTypes {
    digits: {
      wire: DigitPrediction;
      result: DigitPrediction;
      predict: (input: DigitInput, options?: { signal?: AbortSignal }) => Promise<DigitPrediction>;
    };
  }
}

/** Pre-processing of the digits task: how MNIST was made, and the training normalisation. */
const digitsPreprocessSchema = v.object({
  kind: v.literal('mnist'),
  /** Side of the square model input (28). */
  size: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Side of the box the ink is scaled to fit, keeping its aspect (20). */
  fit: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mean: v.number(),
  std: v.pipe(v.number(), v.gtValue(0)),
});

/**
 * A digits model's `preprocess`: MNIST framing into `size`×`size` with the ink fitted to `fit`, then `(value - mean) / std`.
 * @example
 * ```ts
 * const preprocess: DigitsPreprocess = { kind: 'mnist', size: 28, fit: 20, mean: 0.1307, std: 0.3081 };
 * ```
 * @interface
 */
export type DigitsPreprocess = v.InferOutput<typeof digitsPreprocessSchema>;

/**
 * Pictures are read at most this many pixels on their longer side. The digit is framed into
 * 20x20 anyway, so 112 still oversamples it 5x, and reading a 280 px canvas at this size is about
 * 4x cheaper end to end than reading every pixel (measured in bench/: profile.mjs).
 */
const READ_SIZE = fitWithin(112, 112);

function isDrawable(input: unknown): input is Drawable {
  return (
    (typeof HTMLCanvasElement !== 'undefined' && input instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && input instanceof OffscreenCanvas) ||
    (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap)
  );
}

/** Arrays and typed arrays of any element type (their values are checked to be numbers next). */
function isNumberList(input: unknown): input is ArrayLike<unknown> {
  return Array.isArray(input) || (ArrayBuffer.isView(input) && !(input instanceof DataView));
}

function toWire(input: unknown): TaskInput {
  try {
    if (isDrawable(input)) return readDrawable(input, READ_SIZE);
    if (isImageData(input)) return copyImageData(input);
    if (isNumberList(input)) {
      const values: unknown[] = Array.from(input);
      if (!values.every((v) => typeof v === 'number')) {
        throw new InpageError('INPUT_INVALID', 'Every value of the pixel array must be a number');
      }
      return { kind: 'floats', data: Float32Array.from(values.map(Number)) };
    }
  } catch (error) {
    if (error instanceof InpageError) throw error;
    // The browser refused to read it: a forged ImageData, a detached buffer, a tainted canvas.
    throw new InpageError('INPUT_INVALID', `The input could not be read; is it a real canvas, ImageData or array? (${String(error)})`, {
      cause: error,
    });
  }
  throw new InpageError(
    'INPUT_INVALID',
    `The digits model takes a canvas, OffscreenCanvas, ImageBitmap, ImageData or 784 numbers; got ${describeInput(input)}`,
  );
}

function checkImage(width: number, height: number, data: Uint8ClampedArray): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InpageError('INPUT_INVALID', `Image size must be positive integers, got ${width}x${height}`);
  }
  if (width * height > MAX_PIXELS) {
    throw new InpageError('INPUT_INVALID', `Image of ${width}x${height} pixels is larger than the ${MAX_PIXELS} pixels allowed`);
  }
  if (data.length !== width * height * 4) {
    throw new InpageError('INPUT_INVALID', `Image data holds ${data.length} bytes, but ${width}x${height} RGBA needs ${width * height * 4}`);
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
      // The README documents [0, 1] (ink = 1); anything else gives the model inputs it was never trained on.
      if (!(v >= 0 && v <= 1)) {
        throw new InpageError('INPUT_INVALID', `Pixel ${i} is ${v}: every value must be a finite number in [0, 1]`, { details: { index: i } });
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

interface PreparedDigit extends PreparedRequest {
  digit: Float32Array;
}

/** The manifest schema has checked every field of a "mnist" preprocess: its kind says the rest. */
function isDigitsPreprocess(preprocess: { kind: string } | undefined): preprocess is DigitsPreprocess {
  return preprocess?.kind === 'mnist';
}

function digitsPreprocess(entry: ModelVersion): DigitsPreprocess {
  if (!isDigitsPreprocess(entry.preprocess)) throw new InpageError('MANIFEST_INVALID', 'The digits task needs preprocess.kind "mnist"');
  return entry.preprocess;
}

export const digits: TaskDefinition<'digits'> = {
  name: 'digits',
  manifest: {
    summary: {
      input: 'a canvas, OffscreenCanvas, ImageBitmap, ImageData, or 784 numbers in [0, 1] (ink = 1) in MNIST framing',
      result: '`{ label: 0..9, probabilities: number[10] }`',
    },
    preprocess: digitsPreprocessSchema,
    roles: [],
    labels: true,
  },
  page: {
    toWire,
    fromWire(output) {
      if (output.task !== 'digits') throw new InpageError('INTERNAL', `A digits model answered as ${output.task}`);
      return output.result;
    },
  },
  async createRunner(entry) {
    const preprocess = digitsPreprocess(entry);
    const inputName = entry.inputs[0]?.name ?? 'input';
    const cells = preprocess.size * preprocess.size;
    return {
      prepare: (input): PreparedDigit => ({ rows: 1, digit: prepareDigit(input, preprocess) }),
      warmUpInput: () => ({ kind: 'floats', data: new Float32Array(cells) }),
      // One picture (or set of feeds) is one row: never more than a run takes.
      ...ONE_ROW,
      async run(session, batch: PreparedDigit[]) {
        const data = new Float32Array(batch.length * cells);
        batch.forEach((request, i) => {
          data.set(request.digit, i * cells);
        });
        const outputs = await session.run({
          [inputName]: { type: 'float32', data, dims: [batch.length, 1, preprocess.size, preprocess.size] },
        });
        const logits = floatOutput(outputs, outputName(session));
        return rowsOf(logits, batch.length, labelsOf(entry).length).map((row): TaskOutputOf<'digits'> => ({
          task: 'digits',
          result: digitFromLogits(row),
        }));
      },
    };
  },
};
