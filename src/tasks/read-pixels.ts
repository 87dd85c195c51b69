/**
 * Reads a picture the page has into RGBA pixels on the main thread (the worker has no DOM), at
 * no more pixels than the task needs: only those cross to the worker, in a transferred buffer.
 */
import { InpageError } from '../errors.js';
import type { ImageTaskInput } from '../protocol/task-io.js';
import { MAX_PIXELS } from './input-limits.js';

/** A surface that can be drawn onto a canvas as it is. */
export type Drawable = HTMLCanvasElement | OffscreenCanvas | ImageBitmap | HTMLImageElement;

/**
 * Any picture a page may hold: a drawable, pixels, or an encoded image file.
 * @example
 * ```ts
 * const picture: PictureInput = await createImageBitmap(file);
 * await model.predict(picture);
 * ```
 */
export type PictureInput = Drawable | ImageData | Blob;

function isCanvasLike(input: unknown): input is HTMLCanvasElement | OffscreenCanvas | ImageBitmap {
  return (
    (typeof HTMLCanvasElement !== 'undefined' && input instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && input instanceof OffscreenCanvas) ||
    (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap)
  );
}

function isImageElement(input: unknown): input is HTMLImageElement {
  return typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement;
}

export function isImageData(input: unknown): input is ImageData {
  return typeof ImageData !== 'undefined' && input instanceof ImageData;
}

/** Whether `input` is something {@link readPicture} can read. */
export function isPicture(input: unknown): input is PictureInput {
  return isCanvasLike(input) || isImageElement(input) || isImageData(input) || (typeof Blob !== 'undefined' && input instanceof Blob);
}

/** Names what was given, for an error message. */
export function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input !== 'object') return typeof input;
  return madeBy(input.constructor);
}

/** A constructor's name; an object made with Object.create(null) has no constructor, whatever its type says. */
function madeBy(constructor: { name?: string } | undefined): string {
  return constructor?.name ?? 'object';
}

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
function drawReduced(source: Drawable, sourceWidth: number, sourceHeight: number, width: number, height: number): OffscreenCanvasRenderingContext2D {
  let from: Drawable = source;
  let fromWidth = sourceWidth;
  let fromHeight = sourceHeight;
  let step = 0;
  while (fromWidth >= 2 * width && fromHeight >= 2 * height) {
    const half = scratchContext(step++, Math.max(1, Math.round(fromWidth / 2)), Math.max(1, Math.round(fromHeight / 2)));
    half.drawImage(from, 0, 0, half.canvas.width, half.canvas.height);
    from = half.canvas;
    fromWidth = half.canvas.width;
    fromHeight = half.canvas.height;
  }
  const context = scratchContext(step, width, height);
  context.drawImage(from, 0, 0, width, height);
  return context;
}

/** A drawable's size in pixels (an <img>'s natural size, not its layout size). */
function sizeOf(source: Drawable): { width: number; height: number } {
  return isImageElement(source) ? { width: source.naturalWidth, height: source.naturalHeight } : { width: source.width, height: source.height };
}

function checkSize(width: number, height: number): void {
  if (!(width >= 1 && height >= 1)) throw new InpageError('INPUT_INVALID', `The image is ${width}x${height}: it has no pixels`);
  if (width * height > MAX_PIXELS) {
    throw new InpageError('INPUT_INVALID', `The image is ${width}x${height}; at most ${MAX_PIXELS} pixels are accepted`);
  }
}

/** The size a picture is read at, given its own size. */
export type ReadSize = (width: number, height: number) => { width: number; height: number };

/** Reads at most `maxWidth` x `maxHeight`, keeping the aspect; never enlarges. */
export function fitWithin(maxWidth: number, maxHeight: number): ReadSize {
  return (width, height) => {
    const scale = Math.min(1, maxWidth / width, maxHeight / height);
    return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  };
}

/**
 * Reads a drawable's pixels at the size `readSize` picks for it. Drawn onto our own canvases,
 * never the caller's: asking theirs for a 2D context would change it; this also reads WebGL
 * canvases, ImageBitmaps and <img>s.
 */
export function readDrawable(source: Drawable, readSize: ReadSize): ImageTaskInput {
  const { width, height } = sizeOf(source);
  checkSize(width, height);
  const read = readSize(width, height);
  const readWidth = Math.min(width, Math.max(1, Math.round(read.width)));
  const readHeight = Math.min(height, Math.max(1, Math.round(read.height)));
  try {
    const image = drawReduced(source, width, height, readWidth, readHeight).getImageData(0, 0, readWidth, readHeight);
    return { kind: 'image', width: readWidth, height: readHeight, data: image.data };
  } finally {
    releaseLargeScratch();
  }
}

/** ImageData is copied, never read in place: the caller keeps its pixels, and ours are transferred to the worker. */
export function copyImageData(image: ImageData): ImageTaskInput {
  checkSize(image.width, image.height);
  return { kind: 'image', width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
}

/**
 * Reads any picture: an <img> is decoded first (it must have loaded), a Blob or File is decoded
 * with createImageBitmap. Anything the browser refuses to read (a tainted canvas, a broken file)
 * is INPUT_INVALID.
 */
export async function readPicture(input: PictureInput, readSize: ReadSize): Promise<ImageTaskInput> {
  try {
    if (isImageData(input)) return copyImageData(input);
    if (isImageElement(input)) {
      if (!input.complete || input.naturalWidth === 0) await input.decode();
      return readDrawable(input, readSize);
    }
    if (input instanceof Blob) {
      const bitmap = await createImageBitmap(input);
      try {
        return readDrawable(bitmap, readSize);
      } finally {
        bitmap.close();
      }
    }
    return readDrawable(input, readSize);
  } catch (error) {
    if (error instanceof InpageError) throw error;
    throw new InpageError('INPUT_INVALID', `The picture could not be read (${String(error)})`, { cause: error });
  }
}
