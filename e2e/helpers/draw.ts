/**
 * Draws hand-like digits onto canvases in the page, from normalised polylines (x, y in 0..1 of
 * a square box, y down). The specs call `installDigitDrawing(page)` once after navigation; the
 * page then has `window.drawDigit(canvas, digit, variant)` and `window.digitCanvas(digit, variant)`.
 * Variants (scale, offset, stroke width) give many distinct pictures of one digit.
 */
import type { Page } from '@playwright/test';

export type Point = readonly [number, number];
export type Polyline = readonly Point[];

/** An ellipse as a closed polyline. */
function ellipse(cx: number, cy: number, rx: number, ry: number, steps = 24, from = 0, to = Math.PI * 2): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = from + ((to - from) * i) / steps;
    points.push([round(cx + rx * Math.cos(t)), round(cy + ry * Math.sin(t))]);
  }
  return points;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** One plausible way to write each digit. */
export const DIGIT_STROKES: Readonly<Record<number, readonly Polyline[]>> = {
  0: [ellipse(0.5, 0.5, 0.26, 0.4)],
  1: [[[0.4, 0.2], [0.54, 0.1], [0.54, 0.9]]],
  2: [[[0.26, 0.28], [0.36, 0.14], [0.55, 0.1], [0.72, 0.2], [0.74, 0.36], [0.6, 0.55], [0.26, 0.9], [0.78, 0.9]]],
  3: [[[0.25, 0.16], [0.52, 0.1], [0.72, 0.2], [0.7, 0.38], [0.45, 0.5], [0.7, 0.6], [0.76, 0.78], [0.56, 0.92], [0.25, 0.86]]],
  4: [[[0.62, 0.9], [0.62, 0.1], [0.2, 0.62], [0.8, 0.62]]],
  5: [[[0.72, 0.1], [0.32, 0.1], [0.28, 0.46], [0.5, 0.4], [0.7, 0.5], [0.74, 0.7], [0.6, 0.88], [0.28, 0.86]]],
  6: [[[0.66, 0.1], [0.45, 0.25], [0.31, 0.5], [0.28, 0.72], [0.4, 0.9], [0.6, 0.9], [0.72, 0.75], [0.65, 0.57], [0.45, 0.53], [0.3, 0.66]]],
  7: [[[0.22, 0.12], [0.78, 0.12], [0.46, 0.9]]],
  8: [ellipse(0.5, 0.29, 0.18, 0.19), ellipse(0.5, 0.7, 0.22, 0.21)],
  9: [ellipse(0.48, 0.32, 0.2, 0.2), [[0.68, 0.32], [0.64, 0.9]]],
};

export interface DigitVariant {
  /** Canvas side in pixels (default 140). */
  size?: number;
  /** Size of the digit's box relative to the canvas (default 0.8). */
  scale?: number;
  /** Offset of the box's centre from the canvas centre, as a fraction of the canvas. */
  dx?: number;
  dy?: number;
  /** Stroke width as a fraction of the canvas (default 0.09). */
  width?: number;
}

/** Defines window.drawDigit and window.digitCanvas in the page. */
export async function installDigitDrawing(page: Page): Promise<void> {
  await page.evaluate((strokes) => {
    type Variant = { size?: number; scale?: number; dx?: number; dy?: number; width?: number };
    const draw = (canvas: HTMLCanvasElement, digit: number, variant: Variant = {}): HTMLCanvasElement => {
      const lines = strokes[String(digit)];
      if (!lines) throw new Error(`No strokes for digit ${digit}`);
      const side = Math.min(canvas.width, canvas.height);
      const scale = variant.scale ?? 0.8;
      const box = side * scale;
      const left = canvas.width / 2 - box / 2 + (variant.dx ?? 0) * side;
      const top = canvas.height / 2 - box / 2 + (variant.dy ?? 0) * side;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('No 2D context');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.strokeStyle = '#000';
      context.lineWidth = Math.max(1, (variant.width ?? 0.09) * side);
      context.lineCap = 'round';
      context.lineJoin = 'round';
      for (const line of lines) {
        context.beginPath();
        line.forEach(([x, y], i) => (i === 0 ? context.moveTo(left + x * box, top + y * box) : context.lineTo(left + x * box, top + y * box)));
        context.stroke();
      }
      return canvas;
    };
    const target = window as unknown as Record<string, unknown>;
    target['drawDigit'] = draw;
    target['digitCanvas'] = (digit: number, variant: Variant = {}): HTMLCanvasElement => {
      const canvas = document.createElement('canvas');
      canvas.width = variant.size ?? 140;
      canvas.height = variant.size ?? 140;
      return draw(canvas, digit, variant);
    };
  }, DIGIT_STROKES as unknown as Record<string, Array<Array<[number, number]>>>);
}
