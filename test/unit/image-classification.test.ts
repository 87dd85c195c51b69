// The image-classification task's engine side in Node: the geometry of each resize mode, channel
// order, layout and normalisation, and a real third-party classifier run through the runner.
import { describe, expect, it } from 'vitest';
import type { ImageTaskInput } from '../../src/protocol/task-io.js';
import { classifyScores, imageClassification, prepareImage, type ImagePreprocess } from '../../src/tasks/image-classification.js';
import type { TaskOutputOf } from '../../src/tasks/task.js';
import { nodeSession } from './node-session.js';
import { PPOCR_CLS_ENTRY, PPOCR_CLS_FILE } from './ppocr-cls.js';

/** An RGBA image whose pixel colour is `paint(x, y)`. */
function image(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): ImageTaskInput {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { kind: 'image', width, height, data };
}

const base: ImagePreprocess = {
  kind: 'image',
  height: 4,
  width: 4,
  resize: 'stretch',
  channels: 'rgb',
  layout: 'nchw',
  mean: [0, 0, 0],
  std: [1, 1, 1],
  output: 'logits',
};

/** Value of channel c at (x, y) of an NCHW result. */
const at = (values: Float32Array, width: number, height: number, c: number, x: number, y: number): number =>
  values[c * width * height + y * width + x] ?? NaN;

describe('prepareImage', () => {
  it('stretch fills the input, and a flat colour stays that colour (per channel, in [0, 1])', () => {
    const { values, width, height } = prepareImage(
      image(10, 3, () => [255, 0, 51]),
      base,
    );
    expect([width, height]).toEqual([4, 4]);
    for (let i = 0; i < 16; i++) {
      expect(values[i]).toBeCloseTo(1, 5);
      expect(values[16 + i]).toBeCloseTo(0, 5);
      expect(values[32 + i]).toBeCloseTo(0.2, 5);
    }
  });

  it('contain keeps the aspect and pads with the pad value, at the start or centred', () => {
    const p: ImagePreprocess = {
      ...base,
      height: 48,
      width: 192,
      resize: 'contain',
      align: 'start',
      pad: 127.5,
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
    };
    const white = image(96, 48, () => [255, 255, 255]);
    const start = prepareImage(white, p);
    expect(at(start.values, 192, 48, 0, 10, 20)).toBeCloseTo(1, 5); // (1 - 0.5) / 0.5
    expect(at(start.values, 192, 48, 0, 150, 20)).toBeCloseTo(0, 5); // (127.5/255 - 0.5) / 0.5
    const centred = prepareImage(white, { ...p, align: 'center' });
    expect(at(centred.values, 192, 48, 1, 10, 20)).toBeCloseTo(0, 5);
    expect(at(centred.values, 192, 48, 1, 96, 20)).toBeCloseTo(1, 5);
    expect(at(centred.values, 192, 48, 1, 185, 20)).toBeCloseTo(0, 5);
  });

  it('cover crops the middle: the outer quarters of a wide picture are cut', () => {
    const striped = image(100, 50, (x) => (x < 25 ? [255, 0, 0] : x >= 75 ? [0, 0, 255] : [0, 255, 0]));
    const { values } = prepareImage(striped, { ...base, width: 10, height: 10, resize: 'cover' });
    for (let x = 0; x < 10; x++) {
      expect(at(values, 10, 10, 1, x, 5)).toBeCloseTo(1, 5);
      expect(at(values, 10, 10, 0, x, 5)).toBeCloseTo(0, 5);
    }
  });

  it('bgr puts blue first; nhwc interleaves the channels', () => {
    const red = image(4, 4, () => [255, 0, 0]);
    const bgr = prepareImage(red, { ...base, channels: 'bgr' }).values;
    expect([bgr[0], bgr[16], bgr[32]].map((v) => Math.round(v ?? NaN))).toEqual([0, 0, 1]);
    const nhwc = prepareImage(red, { ...base, layout: 'nhwc' }).values;
    expect(Array.from(nhwc.slice(0, 6)).map(Math.round)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('without a width, scales to the height and rounds the width up to a multiple, within maxWidth', () => {
    const line = image(100, 20, () => [0, 0, 0]);
    expect(prepareImage(line, { ...base, width: undefined, height: 32, widthMultiple: 8 }).width).toBe(160);
    expect(prepareImage(line, { ...base, width: undefined, height: 32, widthMultiple: 8, maxWidth: 64 }).width).toBe(64);
  });

  it('scale and per-channel mean/std apply to 0-255 values', () => {
    const grey = image(4, 4, () => [100, 100, 100]);
    const { values } = prepareImage(grey, { ...base, scale: 1, mean: [100, 50, 0], std: [1, 2, 4] });
    expect([values[0], values[16], values[32]].map((v) => Number((v ?? NaN).toFixed(3)))).toEqual([0, 25, 25]);
  });
});

describe('classifyScores', () => {
  it('softmaxes logits, ranks the classes and keeps topK', () => {
    const result = classifyScores(Float32Array.of(0, 2, 1), ['a', 'b', 'c'], { output: 'logits', topK: 2 });
    expect(result.label).toBe('b');
    expect(result.top.map((t) => t.label)).toEqual(['b', 'c']);
    expect(result.top[0].score + result.top[1].score).toBeLessThan(1);
    const probs = classifyScores(Float32Array.of(0.9, 0.1), ['0', '180'], { output: 'probabilities' });
    expect(probs).toEqual({
      label: '0',
      score: expect.closeTo(0.9, 6),
      top: [
        { label: '0', score: expect.closeTo(0.9, 6) },
        { label: '180', score: expect.closeTo(0.1, 6) },
      ],
    });
  });
});

describe("PaddleOCR's text-direction classifier through the runner (onnxruntime-node)", () => {
  const entry = PPOCR_CLS_ENTRY;

  it('batches pictures of any size, each giving the result it gets alone', async () => {
    const runner = await imageClassification.createRunner(entry, new Map());
    const session = await nodeSession(PPOCR_CLS_FILE);
    const pictures = [
      image(120, 30, (x, y) => ((x + y) % 7 < 2 ? [0, 0, 0] : [255, 255, 255])),
      image(300, 60, (x) => (x % 9 < 3 ? [20, 20, 20] : [240, 240, 240])),
    ];
    const alone: TaskOutputOf<'image-classification'>[] = [];
    for (const picture of pictures) alone.push(...(await runner.run(session, [runner.prepare(picture)])));
    const together = await runner.run(
      session,
      pictures.map((picture) => runner.prepare(picture)),
    );
    together.forEach((output, i) => {
      expect(output.task).toBe('image-classification');
      expect(output.result.top.reduce((sum, t) => sum + t.score, 0)).toBeCloseTo(1, 5);
      expect(output.result.score).toBeCloseTo(alone[i]?.result.score ?? NaN, 5);
    });
    await session.release();
  });
});
