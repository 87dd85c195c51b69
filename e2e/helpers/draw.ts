/**
 * Draws hand-like digits onto canvases in the page, from normalised polylines (x, y in 0..1 of
 * a square box, y down): the shared stroke definitions of e2e/fixtures/digit-strokes.ts. The
 * specs call `installDigitDrawing(page)` once after navigation; the page then has
 * `window.drawDigit(canvas, digit, variant)` and `window.digitCanvas(digit, variant)`. Variants
 * (writing style, scale, offset, stroke width) give many distinct pictures of one digit.
 */
import type { Page } from '@playwright/test';
import { stylesOf } from '../fixtures/digit-strokes';

export type Polyline = readonly (readonly [number, number])[];

/**
 * The writing styles of each digit, from the shared stroke definitions (e2e/fixtures/digit-strokes.ts):
 * DIGIT_STROKES[d][style] is one way to write d, as polylines.
 */
export const DIGIT_STROKES: Readonly<Record<number, readonly (readonly Polyline[])[]>> = Object.fromEntries(
  Array.from({ length: 10 }, (_, digit) => [digit, stylesOf(digit).map((style) => style.strokes)]),
);

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
  /** Which writing style of the digit (taken modulo the number of styles; default 0). */
  style?: number;
}

/** Defines window.drawDigit and window.digitCanvas in the page. */
export async function installDigitDrawing(page: Page): Promise<void> {
  await page.evaluate(
    (strokes) => {
      // Types cross into the page (they are erased); values would not.
      const draw = (canvas: HTMLCanvasElement, digit: number, variant: DigitVariant = {}): HTMLCanvasElement => {
        const styles = strokes[String(digit)];
        if (!styles || styles.length === 0) throw new Error(`No strokes for digit ${digit}`);
        const lines = styles[(variant.style ?? 0) % styles.length];
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
          line.forEach(([x, y], i) => {
            if (i === 0) context.moveTo(left + x * box, top + y * box);
            else context.lineTo(left + x * box, top + y * box);
          });
          context.stroke();
        }
        return canvas;
      };
      window.drawDigit = draw;
      window.digitCanvas = (digit: number, variant: DigitVariant = {}): HTMLCanvasElement => {
        const canvas = document.createElement('canvas');
        canvas.width = variant.size ?? 140;
        canvas.height = variant.size ?? 140;
        return draw(canvas, digit, variant);
      };
    },
    DIGIT_STROKES as unknown as Record<string, [number, number][][][]>,
  );
}
