/**
 * Turns what a page has into a {@link TaskInput} on the main thread: only the pixels or the
 * strings cross to the worker, in buffers that are transferred rather than copied.
 */
import { InpageError } from '../errors.js';
import type { TaskName } from '../registry/manifest-types.js';
import type { TaskInput } from '../protocol/task-io.js';
import { checkTexts, MAX_PIXELS } from '../tasks/input-limits.js';

/** Anything the digits task accepts: a drawing surface, pixels, or 784 numbers in MNIST framing. */
export type DigitInput = HTMLCanvasElement | OffscreenCanvas | ImageBitmap | ImageData | Float32Array | ArrayLike<number>;


type Drawable = HTMLCanvasElement | OffscreenCanvas | ImageBitmap;

function isDrawable(input: unknown): input is Drawable {
  return (
    (typeof HTMLCanvasElement !== 'undefined' && input instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && input instanceof OffscreenCanvas) ||
    (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap)
  );
}

/**
 * Pictures are read at most this many pixels on their longer side. The digit is framed into
 * 20x20 anyway, so 112 still oversamples it 5x, and reading a 280 px canvas at this size is about
 * 4x cheaper end to end than reading every pixel (measured in bench/: profile.mjs).
 */
const READ_SIDE = 112;

/** Our own canvases, one per step of the reduction, kept between calls (a page reads the same size again and again). */
const scratch: OffscreenCanvas[] = [];

/** Scratch canvases above this many pixels are given back after a read: one huge picture should not pin megabytes. */
const KEPT_SCRATCH_PIXELS = 512 * 512;

function releaseLargeScratch(): void {
  for (const canvas of scratch) {
    if (canvas.width * canvas.height > KEPT_SCRATCH_PIXELS) {
      canvas.width = 1;
      canvas.height = 1;
    }
  }
}

/** The 2D context of scratch canvas `step` at `width` x `height`, CPU-backed since its pixels are read or drawn again. */
function scratchContext(step: number, width: number, height: number): OffscreenCanvasRenderingContext2D {
  const canvas = (scratch[step] ??= new OffscreenCanvas(width, height));
  // Resizing a canvas reallocates it and resets its context, so only when the size changes.
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new InpageError('INPUT_INVALID', 'This browser cannot read the image: no 2D canvas');
  context.clearRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'low';
  return context;
}

/**
 * Draws `source` down to `width` x `height`. A bilinear draw to exactly half the size averages
 * each 2x2 block, so halving while the picture is at least twice the target, then one last
 * bilinear step of less than 2x, smooths like a mipmap: thin strokes survive. Chromium's own
 * mipmapped quality ('medium') rebuilds the whole chain on every read: 0.225 ms for a 280 px
 * canvas against 0.125 ms this way (bench/README.md).
 */
function drawReduced(source: Drawable, width: number, height: number): OffscreenCanvasRenderingContext2D {
  let from: Drawable = source;
  let step = 0;
  while (from.width >= 2 * width && from.height >= 2 * height) {
    const half = scratchContext(step++, Math.max(1, Math.round(from.width / 2)), Math.max(1, Math.round(from.height / 2)));
    half.drawImage(from, 0, 0, half.canvas.width, half.canvas.height);
    from = half.canvas;
  }
  const context = scratchContext(step, width, height);
  context.drawImage(from, 0, 0, width, height);
  return context;
}

function readPixels(source: Drawable): TaskInput {
  const { width, height } = source;
  if (width < 1 || height < 1) throw new InpageError('INPUT_INVALID', `The image is ${width}x${height}: it has no pixels`);
  if (width * height > MAX_PIXELS) {
    throw new InpageError('INPUT_INVALID', `The image is ${width}x${height}; at most ${MAX_PIXELS} pixels are accepted`);
  }
  // Drawn onto our own canvases (never the caller's: asking theirs for a 2D context would change
  // it), which also reads WebGL canvases and ImageBitmaps.
  const scale = Math.min(1, READ_SIDE / Math.max(width, height));
  const readWidth = Math.max(1, Math.round(width * scale));
  const readHeight = Math.max(1, Math.round(height * scale));
  try {
    const image = drawReduced(source, readWidth, readHeight).getImageData(0, 0, readWidth, readHeight);
    return { kind: 'image', width: readWidth, height: readHeight, data: image.data };
  } finally {
    releaseLargeScratch();
  }
}

/** Arrays and typed arrays of any element type (their values are checked to be numbers next). */
function isNumberList(input: unknown): input is ArrayLike<unknown> {
  return Array.isArray(input) || (ArrayBuffer.isView(input) && !(input instanceof DataView));
}

function digitInput(input: unknown): TaskInput {
  if (isDrawable(input)) return readPixels(input);
  if (typeof ImageData !== 'undefined' && input instanceof ImageData) {
    // Copy: the caller keeps its ImageData, and ours is transferred to the worker.
    return { kind: 'image', width: input.width, height: input.height, data: new Uint8ClampedArray(input.data) };
  }
  if (isNumberList(input)) {
    const values: unknown[] = Array.from(input);
    if (!values.every((v) => typeof v === 'number')) {
      throw new InpageError('INPUT_INVALID', 'Every value of the pixel array must be a number');
    }
    return { kind: 'floats', data: Float32Array.from(values.map(Number)) };
  }
  const shown = input === null ? 'null' : typeof input === 'object' ? (input.constructor?.name ?? 'object') : typeof input;
  throw new InpageError(
    'INPUT_INVALID',
    `The digits model takes a canvas, OffscreenCanvas, ImageBitmap, ImageData or 784 numbers; got ${shown}`,
  );
}

/** Texts are checked here too, so an empty or oversized text fails before it is sent to the worker. */
function textInput(input: unknown): TaskInput {
  if (typeof input === 'string' || Array.isArray(input)) {
    const texts: unknown[] = typeof input === 'string' ? [input] : input;
    return { kind: 'texts', texts: checkTexts(texts) };
  }
  throw new InpageError('INPUT_INVALID', `The text model takes a string or an array of strings; got ${input === null ? 'null' : typeof input}`);
}

export function toTaskInput(task: TaskName, input: unknown): TaskInput {
  try {
    return task === 'digits' ? digitInput(input) : textInput(input);
  } catch (error) {
    if (error instanceof InpageError) throw error;
    // The browser refused to read it: a forged ImageData, a detached buffer, a tainted canvas.
    throw new InpageError('INPUT_INVALID', `The input could not be read; is it a real canvas, ImageData or array? (${String(error)})`, {
      cause: error,
    });
  }
}
