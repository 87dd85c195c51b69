// The SDK's text-classification task on the shipped sentiment files, in Node: its truncation
// matches the Rust tokenizers library's, and a padded batch gives each text the result it gets
// alone (the engine batches concurrent calls, so padding must never change a result).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskOutputOf } from '../../src/tasks/task.js';
import { textClassification } from '../../src/tasks/text-classification.js';
import { createTextEncoder } from '../../src/tasks/text-encoder.js';
import { shippedModel } from '../../scripts/shipped-models.mjs';
import { nodeSession } from './node-session.js';

const require = createRequire(import.meta.url);
const rust = require('tokenizers') as typeof import('tokenizers');

const { dir: folder, entry, version } = shippedModel('sentiment');
const maxLength = entry.preprocess?.kind === 'tokenizer' ? Number(entry.preprocess.maxLength) : NaN;
const read = (file: string): Uint8Array => new Uint8Array(readFileSync(path.join(folder, file)));

const LONG = [
  Array.from({ length: 300 }, (_, i) => `word${i % 41}, lovely and dreadful;`).join(' '),
  `${'a'.repeat(3000)} then a short end`,
  `start ${' '.repeat(5000)} ${'great '.repeat(200)}`,
  `${'x'.repeat(150)} ${'good food '.repeat(100)}`,
];

describe(`text classification on the shipped sentiment model (${version})`, () => {
  it('is registered with the tokenizer task settings', () => {
    expect(entry.task).toBe('text-classification');
    expect(entry.preprocess).toEqual({ kind: 'tokenizer', maxLength: 512 });
  });

  it('truncates long text exactly as the Rust library does with the same maximum', async () => {
    const encoder = createTextEncoder(read('tokenizer.json'), read('tokenizer_config.json'), maxLength);
    const reference = rust.Tokenizer.fromFile(path.join(folder, 'tokenizer.json'));
    reference.setTruncation(maxLength);
    for (const text of [...LONG, 'short and sweet']) {
      const expected = (await reference.encode(text)).getIds();
      const ours = encoder.encode(text);
      expect(ours.ids).toEqual(expected);
      expect(ours.truncated).toBe(expected.length === maxLength && text !== 'short and sweet');
    }
  });

  it('gives every text in a padded batch the result it gets alone', async () => {
    const files = new Map([
      ['tokenizer' as const, read('tokenizer.json')],
      ['tokenizer-config' as const, read('tokenizer_config.json')],
    ]);
    const runner = await textClassification.createRunner(entry, files);
    const session = await nodeSession(path.join(folder, 'onnx/model.onnx'));
    const texts = ['Great phone, works perfectly.', 'no', 'The waiter ignored us for an hour and the soup was cold.', LONG[0]];
    const alone: TaskOutputOf<'text-classification'>[] = [];
    for (const text of texts) alone.push(...(await runner.run(session, [runner.prepare({ kind: 'texts', texts: [text] })])));
    const together = await runner.run(
      session,
      texts.map((text) => runner.prepare({ kind: 'texts', texts: [text] })),
    );
    together.forEach((output, i) => {
      const single = alone[i];
      expect(output.task).toBe('text-classification');
      expect(output.result[0]?.label).toBe(single?.result[0]?.label);
      expect(output.result[0]?.score).toBeCloseTo(single?.result[0]?.score ?? NaN, 5);
    });
    expect(alone.map((o) => o.result[0]?.label)).toEqual(['positive', expect.any(String), 'negative', expect.any(String)]);
    await session.release();
  });
});
