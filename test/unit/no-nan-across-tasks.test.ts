// Issue 19, class 4, across every task: whatever a model's outputs hold (NaN, ±Infinity, or finite
// values so large that the task's own arithmetic could overflow), no result leaves the engine
// with NaN or Infinity in it. Real models on onnxruntime-node, their outputs poisoned on the way out;
// `gated` applies the engine's last check (LoadedModel.predict) to what the runner returns.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModel } from '../../scripts/shipped-models.mjs';
import { SILERO_FILE, SILERO_PREPROCESS } from '../../e2e/helpers/speech.js';
import { InpageError } from '../../src/errors.js';
import type { ModelVersion } from '../../src/registry/manifest-types.js';
import type { ModelSession } from '../../src/runtime/model-session.js';
import { digits } from '../../src/tasks/digits.js';
import { checkFiniteResult } from '../../src/tasks/finite-result.js';
import { imageClassification } from '../../src/tasks/image-classification.js';
import type { PreparedRequest, TaskRunner } from '../../src/tasks/task.js';
import { createTensorRunner } from '../../src/tasks/tensor.js';
import { textClassification } from '../../src/tasks/text-classification.js';
import type { TensorMap } from '../../src/tasks/tensors.js';
import { createVadRunner } from '../../src/tasks/voice-activity.js';
import type { TaskInput } from '../../src/protocol/task-io.js';
import { nodeSession } from './node-session.js';
import { PPOCR_CLS_ENTRY, PPOCR_CLS_FILE } from './ppocr-cls.js';

type Poison = (data: Float32Array) => void;
const POISONS: Record<string, Poison> = {
  NaN: (d) => d.fill(Number.NaN, 0, 1),
  Infinity: (d) => d.fill(Number.POSITIVE_INFINITY, 0, 1),
  '-Infinity': (d) => d.fill(Number.NEGATIVE_INFINITY),
  'huge finite (±3e38)': (d) => {
    d.forEach((_, i) => (d[i] = i % 2 === 0 ? 3e38 : -3e38));
  },
};

/** The session, with every float32 output changed by `poison` before the task sees it. */
function poisoned(session: ModelSession, poison: Poison): ModelSession {
  return {
    ...session,
    async run(feeds: TensorMap): Promise<TensorMap> {
      const outputs = await session.run(feeds);
      for (const tensor of Object.values(outputs)) if (tensor.type === 'float32') poison(tensor.data);
      return outputs;
    },
  };
}

/** What LoadedModel.predict does with a runner's outputs. */
async function gated(runner: TaskRunner<PreparedRequest, { result: unknown }>, session: ModelSession, input: TaskInput): Promise<unknown> {
  const [output] = await runner.run(session, [runner.prepare(input)]);
  checkFiniteResult(output?.result, 'test-model');
  return output?.result;
}

async function outcome(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'finite result';
  } catch (error) {
    if (error instanceof InpageError) return error.code;
    throw error;
  }
}

interface TaskCase {
  name: string;
  setUp: () => Promise<{ runner: TaskRunner<PreparedRequest, { result: unknown }>; session: ModelSession; input: TaskInput }>;
}

const mnist = shippedModel('mnist');
const sentiment = shippedModel('sentiment');
const pixels = (w: number, h: number): TaskInput => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i += 4) data.set((i / 4) % 7 < 3 ? [0, 0, 0, 255] : [255, 255, 255, 255], i);
  return { kind: 'image', width: w, height: h, data };
};

const CASES: TaskCase[] = [
  {
    name: 'digits',
    async setUp() {
      const runner = await digits.createRunner(mnist.entry, new Map());
      const input = new Float32Array(784);
      for (let i = 300; i < 480; i += 3) input[i] = 1;
      return { runner, session: await nodeSession(path.join(mnist.dir, 'model.onnx')), input: { kind: 'floats', data: input } };
    },
  },
  {
    name: 'text-classification',
    async setUp() {
      const read = (f: string): Uint8Array => new Uint8Array(readFileSync(path.join(sentiment.dir, f)));
      const files = new Map([
        ['tokenizer' as const, read('tokenizer.json')],
        ['tokenizer-config' as const, read('tokenizer_config.json')],
      ]);
      const runner = await textClassification.createRunner(sentiment.entry, files);
      return { runner, session: await nodeSession(path.join(sentiment.dir, 'onnx/model.onnx')), input: { kind: 'texts', texts: ['a fine day'] } };
    },
  },
  {
    name: 'image-classification',
    async setUp() {
      // Logits rather than probabilities: the task's own softmax is then what could overflow.
      const entry: ModelVersion = { ...PPOCR_CLS_ENTRY, preprocess: { ...PPOCR_CLS_ENTRY.preprocess, kind: 'image', output: 'logits' } };
      const runner = await imageClassification.createRunner(entry, new Map());
      const session = await nodeSession(PPOCR_CLS_FILE);
      return { runner, session, input: pixels(100, 30) };
    },
  },
  {
    name: 'voice-activity',
    async setUp() {
      const samples = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i / 5) * 0.3);
      return {
        runner: createVadRunner(SILERO_PREPROCESS),
        session: await nodeSession(SILERO_FILE),
        input: { kind: 'audio', stream: 's', samples, sampleRate: 16000, op: 'once', offset: 0, continues: false },
      };
    },
  },
  {
    name: 'tensor (run())',
    async setUp() {
      const runner = createTensorRunner([{ name: 'input', dtype: 'float32', shape: [1, 1, 28, 28] }]);
      const input: TaskInput = {
        kind: 'tensors',
        feeds: { input: { type: 'float32', data: new Float32Array(784).fill(0.2), dims: [1, 1, 28, 28] } },
      };
      return { runner, session: await nodeSession(path.join(mnist.dir, 'model.onnx')), input };
    },
  },
];

describe.each(CASES)('$name: no NaN or Infinity in any result', ({ setUp }) => {
  it('the unpoisoned model gives a finite result', async () => {
    const { runner, session, input } = await setUp();
    expect(await outcome(gated(runner, session, input))).toBe('finite result');
    await session.release();
  });

  it.each(Object.keys(POISONS))('outputs holding %s: MODEL_INVALID or a finite result, never a non-finite one', async (poison) => {
    const { runner, session, input } = await setUp();
    const result = await outcome(gated(runner, poisoned(session, POISONS[poison]), input));
    expect(['MODEL_INVALID', 'finite result']).toContain(result);
    if (poison !== 'huge finite (±3e38)') expect(result).toBe('MODEL_INVALID');
    await session.release();
  });
});
