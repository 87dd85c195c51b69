/**
 * Image classification for any ONNX image classifier its card describes: the picture is resized
 * to the model's input (stretched, contained with padding, or covered with a centre crop; or a
 * fixed height and a width rounded up to a multiple, as text-line models take), put in the
 * model's channel order and layout, normalised per channel, and its scores read as logits or
 * probabilities.
 * Page side: any picture is read at no more than twice the size it will be resized to.
 * Engine side: area-averaged resampling (mnist-framing's separable filter, one channel at a time).
 */
import { InpageError } from '../errors.js';
import * as v from 'valibot';
import type { ImageTaskInput, TaskInput } from '../protocol/task-io.js';
import type { ModelVersion } from '../registry/manifest-types.js';
import { MAX_PIXELS } from './input-limits.js';
import { resampleBox } from './mnist-framing.js';
import { describeInput, isPicture, readPicture, type PictureInput, type ReadSize } from './read-pixels.js';
import { softmax } from './softmax.js';
import { ONE_ROW, type PageModelFacts, type PreparedRequest, type TaskDefinition, type TaskOutputOf } from './task.js';
import { floatOutput, labelsOf, outputName, rowsOf } from './tensors.js';

/**
 * One class and its probability.
 * @example
 * ```ts
 * for (const { label, score } of (await model.predict(img)).top) console.log(label, score);
 * ```
 */
export interface ImageClassScore {
  label: string;
  score: number;
}

/**
 * Result of image classification.
 * @example
 * ```ts
 * const { label, score, top }: ImageClassification = await direction.predict(document.querySelector('img')!);
 * ```
 */
export interface ImageClassification {
  /** The most probable class. */
  label: string;
  /** Its probability. */
  score: number;
  /** The `topK` most probable classes, best first. */
  top: ImageClassScore[];
}

declare module '../protocol/task-io.js' {
  interface TaskTypes {
    'image-classification': {
      wire: ImageClassification;
      result: ImageClassification;
      predict: (input: PictureInput, options?: { signal?: AbortSignal }) => Promise<ImageClassification>;
    };
  }
}

const positiveInteger = v.pipe(v.number(), v.integer(), v.minValue(1));
/** Three numbers, one per channel in the model's channel order. */
const channelTriple = <Item extends v.GenericSchema<unknown, number>>(item: Item) =>
  v.pipe(v.array(item), v.length(3, 'must have 3 items, one per channel'));

const imagePreprocessSchema = v.object({
  kind: v.literal('image'),
  /** Input height in pixels. */
  height: positiveInteger,
  /** Input width; omitted for models of dynamic width (text lines): see `widthMultiple`. */
  width: v.optional(positiveInteger),
  /** Without `width`: the picture is scaled to `height` and its width rounded up to a multiple of this (default 1)… */
  widthMultiple: v.optional(positiveInteger),
  /** …and capped here (default 4096). */
  maxWidth: v.optional(positiveInteger),
  /** `stretch` to the input size; `contain` keeping the aspect, padding the rest; `cover` keeping the aspect, cropping the middle. */
  resize: v.picklist(['stretch', 'contain', 'cover']),
  /** Where `contain` puts the picture: `center` (default) or `start` (top left, as text-line models pad on the right). */
  align: v.optional(v.picklist(['center', 'start'])),
  /** Pixel value (0-255, every channel) of the padding, before normalisation (default 0). */
  pad: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(255))),
  channels: v.picklist(['rgb', 'bgr']),
  layout: v.picklist(['nchw', 'nhwc']),
  /** Each pixel value is multiplied by this first (default 1/255). */
  scale: v.optional(v.pipe(v.number(), v.gtValue(0))),
  /** Then `(value - mean[c]) / std[c]`, per channel in the model's channel order. */
  mean: channelTriple(v.number()),
  std: channelTriple(v.pipe(v.number(), v.gtValue(0))),
  /** Whether the model's output is raw `logits` (a softmax is applied) or `probabilities` already. */
  output: v.picklist(['logits', 'probabilities']),
  /** How many classes `top` lists (default 5). */
  topK: v.optional(positiveInteger),
});

/**
 * How a picture becomes the model's input; the card's `preprocess` (fields documented on the schema above).
 * @example
 * ```ts
 * const preprocess: ImagePreprocess = {
 *   kind: 'image', height: 224, width: 224, resize: 'cover', channels: 'rgb', layout: 'nchw',
 *   mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], output: 'logits',
 * };
 * ```
 * @interface
 */
export type ImagePreprocess = v.InferOutput<typeof imagePreprocessSchema>;

const DEFAULT_MAX_WIDTH = 4096;

function isImagePreprocess(preprocess: { kind: string } | undefined): preprocess is ImagePreprocess {
  return preprocess?.kind === 'image';
}

/** The model input's size for a picture of `width` x `height`. */
function inputSize(p: ImagePreprocess, width: number, height: number): { width: number; height: number } {
  if (p.width !== undefined) return { width: p.width, height: p.height };
  const multiple = p.widthMultiple ?? 1;
  const natural = Math.ceil((width * p.height) / height / multiple) * multiple;
  return { width: Math.min(Math.max(multiple, natural), p.maxWidth ?? DEFAULT_MAX_WIDTH), height: p.height };
}

/** The picture's size inside the model input: the scale it is drawn at on each axis. */
function drawScale(p: ImagePreprocess, width: number, height: number): { x: number; y: number } {
  const target = inputSize(p, width, height);
  const x = target.width / width;
  const y = target.height / height;
  if (p.resize === 'stretch') return { x, y };
  const uniform = p.resize === 'contain' ? Math.min(x, y) : Math.max(x, y);
  return { x: uniform, y: uniform };
}

/** Page side: read at twice the scale the engine will draw at (then area-averaged there), never more than the picture has. */
function readSizeFor(p: ImagePreprocess): ReadSize {
  return (width, height) => {
    const scale = drawScale(p, width, height);
    return { width: Math.min(width, Math.ceil(2 * scale.x * width)), height: Math.min(height, Math.ceil(2 * scale.y * height)) };
  };
}

async function toWire(input: unknown, model: PageModelFacts): Promise<TaskInput> {
  if (!isPicture(input)) {
    throw new InpageError(
      'INPUT_INVALID',
      `An image model takes a canvas, OffscreenCanvas, ImageBitmap, ImageData, <img> or Blob; got ${describeInput(input)}`,
    );
  }
  if (!isImagePreprocess(model.preprocess)) throw new InpageError('INTERNAL', `${model.id} has no image pre-processing`);
  return readPicture(input, readSizeFor(model.preprocess));
}

function checkImage(input: TaskInput): ImageTaskInput {
  if (input.kind !== 'image') throw new InpageError('INPUT_INVALID', 'An image model takes a picture');
  const { width, height, data } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_PIXELS) {
    throw new InpageError('INPUT_INVALID', `The image is ${width}x${height}; it must have 1 to ${MAX_PIXELS} pixels`);
  }
  if (data.length !== width * height * 4) {
    throw new InpageError('INPUT_INVALID', `Image data holds ${data.length} bytes, but ${width}x${height} RGBA needs ${width * height * 4}`);
  }
  return input;
}

interface PreparedImage extends PreparedRequest {
  /** Normalised values in the model's layout, `width` wide. */
  values: Float32Array;
  width: number;
}

/** One colour channel of RGBA pixels as values in [0, 1]. */
function plane(image: ImageTaskInput, channel: number): { width: number; height: number; ink: Float32Array } {
  const ink = new Float32Array(image.width * image.height);
  for (let i = 0; i < ink.length; i++) ink[i] = (image.data[i * 4 + channel] ?? 0) / 255;
  return { width: image.width, height: image.height, ink };
}

/** Resizes, orders channels, normalises and lays out one picture as the model takes it. */
export function prepareImage(image: ImageTaskInput, p: ImagePreprocess): { values: Float32Array; width: number; height: number } {
  const target = inputSize(p, image.width, image.height);
  const scale = drawScale(p, image.width, image.height);
  // The part of the picture that is drawn, and where it lands in the input.
  let box = { left: 0, top: 0, right: image.width, bottom: image.height };
  let drawn = { width: target.width, height: target.height };
  if (p.resize === 'cover') {
    const visibleWidth = target.width / scale.x;
    const visibleHeight = target.height / scale.y;
    const left = (image.width - visibleWidth) / 2;
    const top = (image.height - visibleHeight) / 2;
    box = { left, top, right: left + visibleWidth, bottom: top + visibleHeight };
  } else if (p.resize === 'contain' || p.width === undefined) {
    drawn = {
      width: Math.min(target.width, Math.max(1, Math.round(image.width * scale.x))),
      height: Math.min(target.height, Math.max(1, Math.round(image.height * scale.y))),
    };
  }
  const centre = p.align !== 'start';
  const offsetX = centre ? Math.floor((target.width - drawn.width) / 2) : 0;
  const offsetY = centre ? Math.floor((target.height - drawn.height) / 2) : 0;
  const pixelScale = p.scale ?? 1 / 255;
  const order = p.channels === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  const area = target.width * target.height;
  const values = new Float32Array(area * 3);
  // The filter counts samples outside the picture as 0 (right for ink on a blank page); here each
  // output is divided by the weight that fell inside, so the edges keep their colour.
  const ones = { width: image.width, height: image.height, ink: new Float32Array(image.width * image.height).fill(1) };
  const coverage = resampleBox(ones, box, drawn.width, drawn.height);
  order.forEach((source, c) => {
    const resized = resampleBox(plane(image, source), box, drawn.width, drawn.height);
    for (let i = 0; i < resized.length; i++) {
      const weight = coverage[i] ?? 0;
      resized[i] = weight > 0 ? (resized[i] ?? 0) / weight : 0;
    }
    const mean = p.mean[c] ?? 0;
    const std = p.std[c] ?? 1;
    const padded = ((p.pad ?? 0) * pixelScale - mean) / std;
    for (let y = 0; y < target.height; y++) {
      for (let x = 0; x < target.width; x++) {
        const dx = x - offsetX;
        const dy = y - offsetY;
        const inside = dx >= 0 && dy >= 0 && dx < drawn.width && dy < drawn.height;
        // resampleBox gives [0, 1]; the card's scale applies to 0-255 pixel values.
        const value = inside ? ((resized[dy * drawn.width + dx] ?? 0) * 255 * pixelScale - mean) / std : padded;
        const at = p.layout === 'nchw' ? c * area + y * target.width + x : (y * target.width + x) * 3 + c;
        values[at] = value;
      }
    }
  });
  return { values, width: target.width, height: target.height };
}

/** Pads a prepared picture on the right to `width` (a batch of text lines shares the widest one's width). */
function padWidth(
  request: PreparedImage,
  width: number,
  height: number,
  layout: ImagePreprocess['layout'],
  padValue: (c: number) => number,
): Float32Array {
  if (request.width === width) return request.values;
  const out = new Float32Array(width * height * 3);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inside = x < request.width;
        const from = layout === 'nchw' ? c * request.width * height + y * request.width + x : (y * request.width + x) * 3 + c;
        const at = layout === 'nchw' ? c * width * height + y * width + x : (y * width + x) * 3 + c;
        out[at] = inside ? (request.values[from] ?? 0) : padValue(c);
      }
    }
  }
  return out;
}

export function classifyScores(scores: ArrayLike<number>, labels: string[], p: Pick<ImagePreprocess, 'output' | 'topK'>): ImageClassification {
  const probabilities = p.output === 'logits' ? softmax(scores) : Array.from(scores);
  const ranked = probabilities.map((score, i) => ({ label: labels[i] ?? String(i), score })).sort((a, b) => b.score - a.score);
  const top = ranked.slice(0, Math.max(1, Math.min(p.topK ?? 5, ranked.length)));
  const best = top[0];
  if (!best) throw new InpageError('MODEL_INVALID', 'The model gave no scores');
  return { label: best.label, score: best.score, top };
}

function imagePreprocess(entry: ModelVersion): ImagePreprocess {
  // The manifest schema has checked every field of an "image" preprocess.
  if (!isImagePreprocess(entry.preprocess)) throw new InpageError('MANIFEST_INVALID', 'The image-classification task needs preprocess.kind "image"');
  return entry.preprocess;
}

export const imageClassification: TaskDefinition<'image-classification'> = {
  name: 'image-classification',
  manifest: {
    summary: {
      input: 'a canvas, OffscreenCanvas, ImageBitmap, ImageData, decoded `<img>`, or a `Blob`/`File` of an image',
      result: '`{ label, score, top: [{ label, score }…] }`',
    },
    preprocess: imagePreprocessSchema,
    roles: [],
    labels: true,
  },
  page: {
    toWire,
    fromWire(output) {
      if (output.task !== 'image-classification') throw new InpageError('INTERNAL', `An image model answered as ${output.task}`);
      return output.result;
    },
  },
  async createRunner(entry) {
    const p = imagePreprocess(entry);
    const labels = labelsOf(entry);
    const inputName = entry.inputs[0]?.name ?? 'input';
    const scale = p.scale ?? 1 / 255;
    const padValue = (c: number): number => ((p.pad ?? 0) * scale - (p.mean[c] ?? 0)) / (p.std[c] ?? 1);
    return {
      prepare(input): PreparedImage {
        const { values, width } = prepareImage(checkImage(input), p);
        return { rows: 1, values, width };
      },
      warmUpInput: () => {
        const width = p.width ?? p.height * 4;
        return { kind: 'image', width, height: p.height, data: new Uint8ClampedArray(width * p.height * 4).fill(128) };
      },
      // One picture (or set of feeds) is one row: never more than a run takes.
      ...ONE_ROW,
      async run(session, batch: PreparedImage[]) {
        const width = Math.max(...batch.map((request) => request.width));
        const size = width * p.height * 3;
        const data = new Float32Array(batch.length * size);
        batch.forEach((request, i) => {
          data.set(padWidth(request, width, p.height, p.layout, padValue), i * size);
        });
        const dims = p.layout === 'nchw' ? [batch.length, 3, p.height, width] : [batch.length, p.height, width, 3];
        const outputs = await session.run({ [inputName]: { type: 'float32', data, dims } });
        const scores = floatOutput(outputs, outputName(session));
        return rowsOf(scores, batch.length, labels.length).map((row): TaskOutputOf<'image-classification'> => ({
          task: 'image-classification',
          result: classifyScores(row, labels, p),
        }));
      },
    };
  },
};
