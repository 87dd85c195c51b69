/**
 * One framing rule, two implementations: the SDK's (src/tasks/mnist-framing.ts, what a page's canvas becomes) and the
 * training code's (training/mnist/framing.py, what the drawn-digit check and the synthetic training digits see). The
 * same ink maps go through both; they must agree to float rounding. Needs Debian's /usr/bin/python3 with torch and
 * numpy, as the training smoke test does (CI installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameDigit, inkFromRgba } from '../../src/tasks/mnist-framing.js';

interface Map2d {
  name: string;
  width: number;
  height: number;
  ink: Float32Array;
}

/**
 * Ink of thick polylines (points in 0..1 of the canvas) with edges `soft` px wide (1: anti-aliased; more: a soft brush),
 * at `peak` intensity, quantised to bytes as a canvas stores it.
 */
function strokes(name: string, width: number, height: number, lines: number[][][], thickness: number, peak = 1, soft = 1): Map2d {
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let distance = Infinity;
      for (const line of lines) {
        for (let k = 0; k + 1 < line.length; k++) {
          const [ax = 0, ay = 0] = line[k] ?? [];
          const [bx = 0, by = 0] = line[k + 1] ?? [];
          const [x0, y0, x1, y1] = [ax * width, ay * height, bx * width, by * height];
          const dx = x1 - x0;
          const dy = y1 - y0;
          const t = Math.max(0, Math.min(1, ((x + 0.5 - x0) * dx + (y + 0.5 - y0) * dy) / Math.max(dx * dx + dy * dy, 1e-9)));
          distance = Math.min(distance, Math.hypot(x + 0.5 - (x0 + t * dx), y + 0.5 - (y0 + t * dy)));
        }
      }
      ink[y * width + x] = Math.round(255 * peak * Math.max(0, Math.min(1, (thickness / 2 - distance) / soft + 0.5))) / 255;
    }
  }
  return { name, width, height, ink };
}

const ring = Array.from({ length: 25 }, (_, k) => [0.5 + 0.28 * Math.cos((k / 24) * 2 * Math.PI), 0.5 + 0.4 * Math.sin((k / 24) * 2 * Math.PI)]);
const MAPS: Map2d[] = [
  strokes(
    '1 with a long flag',
    280,
    280,
    [
      [
        [0.32, 0.28],
        [0.52, 0.1],
        [0.52, 0.9],
      ],
    ],
    18,
  ),
  strokes(
    '7 with a bar',
    280,
    280,
    [
      [
        [0.2, 0.1],
        [0.8, 0.1],
        [0.42, 0.9],
      ],
      [
        [0.38, 0.5],
        [0.78, 0.5],
      ],
    ],
    30,
  ),
  strokes('0, thin and faint', 280, 280, [ring], 6, 0.45),
  strokes(
    '4 on a wide canvas',
    300,
    150,
    [
      [
        [0.25, 0.1],
        [0.2, 0.6],
        [0.8, 0.6],
      ],
      [
        [0.65, 0.1],
        [0.65, 0.9],
      ],
    ],
    12,
  ),
  strokes(
    'a plain 1 seen small',
    28,
    28,
    [
      [
        [0.5, 0.15],
        [0.5, 0.85],
      ],
    ],
    2.5,
  ),
  strokes(
    'a dot',
    280,
    280,
    [
      [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
    ],
    4,
  ),
  // a soft brush: the box depends on where the ink threshold cuts the fading edge
  strokes(
    '9 with a soft brush',
    200,
    200,
    [
      ring.map(([x = 0, y = 0]) => [0.3 + 0.5 * x, 0.1 + 0.5 * y]),
      [
        [0.69, 0.35],
        [0.66, 0.9],
      ],
    ],
    10,
    1,
    12,
  ),
];

/** The SDK's path for an ink map: a transparent canvas whose alpha is the ink (inkFromRgba reads it back and stretches it). */
function frameLikeThePage(map: Map2d): Float32Array {
  const rgba = new Uint8ClampedArray(map.width * map.height * 4);
  map.ink.forEach((v, i) => (rgba[i * 4 + 3] = Math.round(v * 255)));
  return frameDigit(inkFromRgba(map.width, map.height, rgba), 28, 20);
}

function frameInPython(maps: Map2d[]): Float32Array[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'inpage-framing-'));
  try {
    const header = new Int32Array([maps.length]);
    const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
    for (const map of maps) parts.push(new Uint8Array(new Int32Array([map.width, map.height]).buffer), new Uint8Array(map.ink.buffer));
    writeFileSync(path.join(dir, 'in.bin'), Buffer.concat(parts));
    execFileSync('/usr/bin/python3', ['training/mnist/frame_file.py', path.join(dir, 'in.bin'), path.join(dir, 'out.bin')]);
    const out = readFileSync(path.join(dir, 'out.bin'));
    const all = new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
    return maps.map((_, k) => all.slice(k * 784, (k + 1) * 784));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('MNIST framing parity (SDK vs training code)', () => {
  const python = frameInPython(MAPS);
  it.each(MAPS.map((map, k) => [map.name, k] as const))('%s: the same 28x28 image both ways', (_name, k) => {
    const map = MAPS[k];
    const page = frameLikeThePage(map);
    const trained = python[k];
    let worst = 0;
    let ink = 0;
    for (let i = 0; i < 784; i++) {
      worst = Math.max(worst, Math.abs((page[i] ?? 0) - (trained[i] ?? 0)));
      ink += page[i] ?? 0;
    }
    expect(ink).toBeGreaterThan(1);
    expect(worst).toBeLessThan(1e-4);
  });
});
