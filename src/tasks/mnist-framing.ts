/**
 * Turns any picture of a digit into MNIST's framing: the ink's bounding box scaled to fit a
 * 20x20 box keeping its aspect, anti-aliased grey levels (ink = 1), centred by centre of mass
 * in a 28x28 field. This is how the MNIST images themselves were made, so a digit drawn with a
 * mouse reaches the model looking like the digits it was trained on.
 *
 * Pure functions over typed arrays: they run in the worker, in-thread, and in Node tests.
 */
import { InpageError } from '../errors.js';

/** Ink below this (0..1) counts as background when finding the digit's box. */
const INK_THRESHOLD = 0.2;
/** Fewer ink pixels than this is an empty canvas, not a digit. */
const MIN_INK_PIXELS = 3;
/** Faintest peak that still counts as a drawing (a grey pencil, a downscaled thin line). */
const MIN_PEAK_INK = 0.1;

export interface InkMap {
  width: number;
  height: number;
  /** 0 = background, 1 = full ink. */
  ink: Float32Array;
}

/** Rec. 601 luma weights, over 255 so that a byte maps straight to 0..1. */
const RED = 0.299 / 255;
const GREEN = 0.587 / 255;
const BLUE = 0.114 / 255;

function luminance(data: Uint8ClampedArray, offset: number): number {
  return RED * (data[offset] ?? 0) + GREEN * (data[offset + 1] ?? 0) + BLUE * (data[offset + 2] ?? 0);
}

function median(values: number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 1;
}

/**
 * Tells ink from background using the image itself. A mostly transparent image is strokes on
 * a transparent canvas: alpha is the ink. Otherwise the background is the border's median
 * luminance, and ink is the distance from it, so dark-on-light and light-on-dark both work.
 * Runs once per prediction over every pixel read, so each loop is one flat pass (no closures, no allocation).
 */
export function inkFromRgba(width: number, height: number, data: Uint8ClampedArray): InkMap {
  const pixels = width * height;
  const ink = new Float32Array(pixels);
  let transparent = 0;
  for (let offset = 3; offset < pixels * 4; offset += 4) if ((data[offset] ?? 0) < 128) transparent++;
  if (transparent > pixels / 2) {
    for (let i = 0, offset = 3; i < pixels; i++, offset += 4) ink[i] = (data[offset] ?? 0) / 255;
    return stretchContrast({ width, height, ink });
  }
  const border: number[] = [];
  const step = Math.max(1, Math.floor((width + height) / 200));
  for (let x = 0; x < width; x += step) {
    border.push(luminance(data, x * 4), luminance(data, ((height - 1) * width + x) * 4));
  }
  for (let y = 0; y < height; y += step) {
    border.push(luminance(data, y * width * 4), luminance(data, (y * width + width - 1) * 4));
  }
  const background = median(border);
  // Semi-transparent pixels of an opaque canvas are composited over the background, which
  // scales their distance from it by their alpha: alpha * lum + (1 - alpha) * bg - bg.
  const perAlphaStep = 1 / (255 * Math.max(background, 1 - background));
  for (let i = 0, offset = 0; i < pixels; i++, offset += 4) {
    ink[i] = Math.min(1, (data[offset + 3] ?? 255) * perAlphaStep * Math.abs(luminance(data, offset) - background));
  }
  return stretchContrast({ width, height, ink });
}

/** MNIST strokes reach full intensity; a faint pen or a thin line seen small is brought up to it. */
function stretchContrast(map: InkMap): InkMap {
  const { ink } = map;
  let peak = 0;
  for (const value of ink) peak = Math.max(peak, value);
  if (peak >= MIN_PEAK_INK && peak < 1) {
    const gain = 1 / peak;
    for (let i = 0; i < ink.length; i++) ink[i] = (ink[i] ?? 0) * gain;
  }
  return map;
}

export interface Box {
  left: number;
  top: number;
  right: number; // exclusive
  bottom: number; // exclusive
}

function inkBox(map: InkMap): Box | null {
  let left = map.width;
  let top = map.height;
  let right = -1;
  let bottom = -1;
  let count = 0;
  for (let y = 0; y < map.height; y++) {
    for (let x = 0; x < map.width; x++) {
      if ((map.ink[y * map.width + x] ?? 0) >= INK_THRESHOLD) {
        count++;
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (count < MIN_INK_PIXELS) return null;
  return { left, top, right: right + 1, bottom: bottom + 1 };
}

/** Zero outside the map: the field around a digit is background. */
function inkAt(map: InkMap, x: number, y: number): number {
  return x < 0 || y < 0 || x >= map.width || y >= map.height ? 0 : (map.ink[y * map.width + x] ?? 0);
}

function sampleBilinear(map: InkMap, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const top = inkAt(map, x0, y0) * (1 - fx) + inkAt(map, x0 + 1, y0) * fx;
  const bottom = inkAt(map, x0, y0 + 1) * (1 - fx) + inkAt(map, x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * One axis of the supersampled bilinear filter: for each output index, the weight of every
 * source index its `samples` samples touch (summed over the samples). Positions outside
 * `[0, limit)` weigh nothing, as ink outside the map is background.
 */
interface AxisTaps {
  /** First source index of each output's window. */
  first: Int32Array;
  /** `span` weights per output, for source indices first .. first + span - 1. */
  weights: Float32Array;
  span: number;
}

function axisTaps(start: number, scale: number, outSize: number, samples: number, limit: number): AxisTaps {
  const span = Math.ceil(scale) + 2;
  const first = new Int32Array(outSize);
  const weights = new Float32Array(outSize * span);
  for (let o = 0; o < outSize; o++) {
    const base = Math.floor(start + (o + 0.5 / samples) * scale - 0.5);
    first[o] = base;
    for (let s = 0; s < samples; s++) {
      const position = start + (o + (s + 0.5) / samples) * scale - 0.5;
      const index = Math.floor(position);
      const fraction = position - index;
      const at = o * span + index - base;
      if (index >= 0 && index < limit) weights[at] = (weights[at] ?? 0) + 1 - fraction;
      if (index + 1 >= 0 && index + 1 < limit) weights[at + 1] = (weights[at + 1] ?? 0) + fraction;
    }
  }
  return { first, weights, span };
}

/**
 * Resamples the box to `outW` x `outH` with area averaging (a grid of bilinear samples per
 * output pixel when shrinking), which gives the anti-aliased grey edges MNIST has. The grid is
 * separable, so it runs as a horizontal pass over the rows the box needs and a vertical one:
 * the same sums as sampling every point, in a tenth of the work.
 */
export function resampleBox(map: InkMap, box: Box, outW: number, outH: number): Float32Array {
  const scaleX = (box.right - box.left) / outW;
  const scaleY = (box.bottom - box.top) / outH;
  const samples = Math.min(16, Math.max(2, Math.ceil(Math.max(scaleX, scaleY))));
  const columns = axisTaps(box.left, scaleX, outW, samples, map.width);
  const rows = axisTaps(box.top, scaleY, outH, samples, map.height);
  // Horizontal pass: for each source row the vertical taps reach, the weighted sums per output column.
  const rowFrom = Math.max(0, rows.first[0] ?? 0);
  const rowTo = Math.min(map.height, (rows.first[outH - 1] ?? 0) + rows.span);
  const across = new Float32Array(Math.max(0, rowTo - rowFrom) * outW);
  for (let y = rowFrom; y < rowTo; y++) {
    const row = y * map.width;
    for (let ox = 0; ox < outW; ox++) {
      const from = columns.first[ox] ?? 0;
      let sum = 0;
      for (let t = 0; t < columns.span; t++) {
        const weight = columns.weights[ox * columns.span + t] ?? 0;
        if (weight !== 0) sum += weight * (map.ink[row + from + t] ?? 0);
      }
      across[(y - rowFrom) * outW + ox] = sum;
    }
  }
  const out = new Float32Array(outW * outH);
  const norm = 1 / (samples * samples);
  for (let oy = 0; oy < outH; oy++) {
    const from = rows.first[oy] ?? 0;
    for (let t = 0; t < rows.span; t++) {
      const weight = rows.weights[oy * rows.span + t] ?? 0;
      if (weight === 0) continue;
      const line = (from + t - rowFrom) * outW;
      for (let ox = 0; ox < outW; ox++) out[oy * outW + ox] = (out[oy * outW + ox] ?? 0) + weight * (across[line + ox] ?? 0);
    }
    for (let ox = 0; ox < outW; ox++) out[oy * outW + ox] = Math.min(1, (out[oy * outW + ox] ?? 0) * norm);
  }
  return out;
}

/**
 * MNIST framing of an ink map: returns `size * size` values in [0, 1] (ink = 1).
 * Throws INPUT_INVALID when there is no ink to frame.
 */
export function frameDigit(map: InkMap, size: number, fit: number): Float32Array {
  const box = inkBox(map);
  if (!box) {
    throw new InpageError('INPUT_INVALID', 'The image has no digit in it: it is empty or a single flat colour', {
      details: { width: map.width, height: map.height },
    });
  }
  const boxW = box.right - box.left;
  const boxH = box.bottom - box.top;
  const scale = fit / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale));
  const outH = Math.max(1, Math.round(boxH * scale));
  const patch = resampleBox(map, box, outW, outH);

  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = patch[y * outW + x] ?? 0;
      mass += v;
      sumX += v * x;
      sumY += v * y;
    }
  }
  const centreX = mass > 0 ? sumX / mass : (outW - 1) / 2;
  const centreY = mass > 0 ? sumY / mass : (outH - 1) / 2;
  // MNIST puts the centre of mass at pixel index 14 of 28 (measured on its training set:
  // mean 13.996, 14.007; see training/README.md), not at the geometric middle 13.5. The model
  // was trained on digits re-framed to exactly that point, so the shift is sub-pixel too.
  const offsetX = size / 2 - centreX;
  const offsetY = size / 2 - centreY;
  const placed: InkMap = { width: outW, height: outH, ink: patch };
  const framed = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) framed[y * size + x] = sampleBilinear(placed, x - offsetX, y - offsetY);
  }
  return framed;
}
