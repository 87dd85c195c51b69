import { describe, expect, it } from 'vitest';
import { frameDigit, inkFromRgba, resampleBox, type Box, type InkMap } from '../../src/tasks/mnist-framing.js';
import { prepareDigit } from '../../src/tasks/digits.js';

type Colour = [number, number, number, number];

/** An RGBA image of `background` with a filled rectangle of `ink`. */
function image(width: number, height: number, background: Colour, ink: Colour, rect: [number, number, number, number]): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= rect[0] && x < rect[0] + rect[2] && y >= rect[1] && y < rect[1] + rect[3];
      data.set(inside ? ink : background, (y * width + x) * 4);
    }
  }
  return data;
}

const WHITE: Colour = [255, 255, 255, 255];
const BLACK: Colour = [0, 0, 0, 255];
const CLEAR: Colour = [0, 0, 0, 0];
const PRE = { kind: 'mnist' as const, size: 28, fit: 20, mean: 0.1307, std: 0.3081 };

function bounds(framed: Float32Array, size = 28): { left: number; right: number; top: number; bottom: number; cx: number; cy: number } {
  let left = size,
    right = -1,
    top = size,
    bottom = -1,
    mass = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = framed[y * size + x] ?? 0;
      mass += v;
      sx += v * x;
      sy += v * y;
      if (v > 0.2) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { left, right, top, bottom, cx: sx / mass, cy: sy / mass };
}

describe('MNIST framing', () => {
  it('scales a tall stroke to 20 px high, keeps its aspect, and centres its mass', () => {
    // A 10x100 bar in the top-left corner of a 300x300 white canvas.
    const map = inkFromRgba(300, 300, image(300, 300, WHITE, BLACK, [5, 5, 10, 100]));
    const framed = frameDigit(map, 28, 20);
    const b = bounds(framed);
    expect(b.bottom - b.top + 1).toBeGreaterThanOrEqual(19);
    expect(b.bottom - b.top + 1).toBeLessThanOrEqual(21);
    expect(b.right - b.left + 1).toBeLessThanOrEqual(3);
    // MNIST's convention: centre of mass at pixel index 14.
    expect(Math.abs(b.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(b.cy - 14)).toBeLessThanOrEqual(0.5);
  });

  it('gives the same framing for dark-on-light, light-on-dark and strokes on a transparent canvas', () => {
    const rect: [number, number, number, number] = [40, 20, 30, 80];
    const dark = frameDigit(inkFromRgba(120, 120, image(120, 120, WHITE, BLACK, rect)), 28, 20);
    const light = frameDigit(inkFromRgba(120, 120, image(120, 120, BLACK, WHITE, rect)), 28, 20);
    const transparent = frameDigit(inkFromRgba(120, 120, image(120, 120, CLEAR, BLACK, rect)), 28, 20);
    for (let i = 0; i < dark.length; i++) {
      expect(light[i]).toBeCloseTo(dark[i] ?? 0, 5);
      expect(transparent[i]).toBeCloseTo(dark[i] ?? 0, 5);
    }
  });

  it('has anti-aliased grey edges when shrinking, like MNIST', () => {
    // A thick diagonal stroke: its edges cross output pixels part-way, so they come out grey.
    const data = image(280, 280, WHITE, WHITE, [0, 0, 1, 1]);
    for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) if (Math.abs(x - y) < 12) data.set(BLACK, (y * 280 + x) * 4);
    const framed = frameDigit(inkFromRgba(280, 280, data), 28, 20);
    const greys = Array.from(framed).filter((v) => v > 0.05 && v < 0.95);
    expect(greys.length).toBeGreaterThan(0);
  });

  it('refuses an empty, an all-white, and a 1x1 image with INPUT_INVALID', () => {
    for (const [w, h, data] of [
      [200, 200, image(200, 200, WHITE, WHITE, [0, 0, 1, 1])],
      [200, 200, image(200, 200, CLEAR, CLEAR, [0, 0, 1, 1])],
      [1, 1, image(1, 1, WHITE, BLACK, [0, 0, 1, 1])],
    ] as const) {
      expect(() => prepareDigit({ kind: 'image', width: w, height: h, data }, PRE)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    }
  });

  it('checks sizes, lengths and finiteness of raw input', () => {
    expect(() => prepareDigit({ kind: 'image', width: 10, height: 10, data: new Uint8ClampedArray(12) }, PRE)).toThrow(/RGBA needs 400/);
    expect(() => prepareDigit({ kind: 'floats', data: new Float32Array(783) }, PRE)).toThrow(/784/);
    const nan = new Float32Array(784);
    nan[5] = Number.NaN;
    expect(() => prepareDigit({ kind: 'floats', data: nan }, PRE)).toThrow(/Pixel 5 is NaN/);
    const infinite = new Float32Array(784).fill(Infinity);
    expect(() => prepareDigit({ kind: 'floats', data: infinite }, PRE)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('normalises with the training mean and std', () => {
    const ones = new Float32Array(784).fill(1);
    const out = prepareDigit({ kind: 'floats', data: ones }, PRE);
    expect(out[0]).toBeCloseTo((1 - 0.1307) / 0.3081, 5);
  });

  it('frames a 4000x4000 drawing the same as a small one', () => {
    const big = frameDigit(inkFromRgba(4000, 4000, image(4000, 4000, WHITE, BLACK, [1000, 500, 400, 3000])), 28, 20);
    const small = frameDigit(inkFromRgba(400, 400, image(400, 400, WHITE, BLACK, [100, 50, 40, 300])), 28, 20);
    let diff = 0;
    for (let i = 0; i < big.length; i++) diff = Math.max(diff, Math.abs((big[i] ?? 0) - (small[i] ?? 0)));
    expect(diff).toBeLessThan(0.15);
  });

  it('resamples a box as the mean of a grid of bilinear samples per output pixel (the separable pass gives the same sums)', () => {
    // The definition, sample by sample: what resampleBox computes in two passes.
    const pointwise = (map: InkMap, box: Box, outW: number, outH: number): number[] => {
      const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= map.width || y >= map.height ? 0 : (map.ink[y * map.width + x] ?? 0));
      const scaleX = (box.right - box.left) / outW;
      const scaleY = (box.bottom - box.top) / outH;
      const n = Math.min(16, Math.max(2, Math.ceil(Math.max(scaleX, scaleY))));
      const out: number[] = [];
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          let sum = 0;
          for (let sy = 0; sy < n; sy++) {
            for (let sx = 0; sx < n; sx++) {
              const x = box.left + (ox + (sx + 0.5) / n) * scaleX - 0.5;
              const y = box.top + (oy + (sy + 0.5) / n) * scaleY - 0.5;
              const x0 = Math.floor(x);
              const y0 = Math.floor(y);
              const fx = x - x0;
              const fy = y - y0;
              sum += (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
            }
          }
          out.push(Math.min(1, sum / (n * n)));
        }
      }
      return out;
    };
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const [width, height, box, outW, outH] of [
      [112, 112, { left: 30, top: 12, right: 77, bottom: 90 }, 12, 20],
      [40, 30, { left: 0, top: 0, right: 40, bottom: 30 }, 20, 15],
      [9, 50, { left: 3, top: 1, right: 5, bottom: 50 }, 1, 20],
      [300, 280, { left: 1, top: 100, right: 299, bottom: 104 }, 20, 1],
      [16, 16, { left: 4, top: 4, right: 10, bottom: 12 }, 15, 20],
    ] as const) {
      const map: InkMap = { width, height, ink: Float32Array.from({ length: width * height }, () => (random() < 0.3 ? random() : 0)) };
      const fast = resampleBox(map, box, outW, outH);
      const slow = pointwise(map, box, outW, outH);
      expect(fast).toHaveLength(slow.length);
      for (let i = 0; i < slow.length; i++) expect(Math.abs((fast[i] ?? 0) - (slow[i] ?? 0))).toBeLessThan(1e-5);
    }
  });
});
