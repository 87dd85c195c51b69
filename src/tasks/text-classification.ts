/**
 * Text classification for any Hugging Face style folder (tokenizer.json + ONNX model taking
 * input_ids / attention_mask [/ token_type_ids] and giving `logits`): ours, or e.g. a DistilBERT
 * SST-2 export. A string gives one result, an array of strings one result each.
 */
import { InpageError } from '../errors.js';
import * as v from 'valibot';
import type { TaskInput } from '../protocol/task-io.js';
import type { ModelSession } from '../runtime/model-session.js';
import { checkTexts } from './input-limits.js';
import type { PreparedRequest, TaskDefinition, TaskOutputOf } from './task.js';
import { floatOutput, labelsOf, outputName, rowsOf, type TensorMap } from './tensors.js';
import type { EncodedText, TextClassification } from './text-encoder.js';

export type { TextClassification } from './text-encoder.js';

/**
 * predict() of a text model: a string gives one result, an array one result per string.
 * @example
 * ```ts
 * const [first, second] = await sentiment.predict(['Great!', 'Awful.']);
 * ```
 */
export interface TextPredict {
  (input: string, options?: { signal?: AbortSignal }): Promise<TextClassification>;
  (input: string[], options?: { signal?: AbortSignal }): Promise<TextClassification[]>;
}

declare module '../protocol/task-io.js' {
  interface TaskTypes {
    'text-classification': { wire: TextClassification[]; result: TextClassification | TextClassification[]; predict: TextPredict };
  }
}

/** Pre-processing of text classification: the tokenizer files carry the rest. */
const textPreprocessSchema = v.object({
  kind: v.literal('tokenizer'),
  /** Longest token sequence the model takes; longer text is truncated. */
  maxLength: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

/**
 * A text classifier's `preprocess`: its tokenizer (the `tokenizer` file) and the longest sequence it takes.
 * @example
 * ```ts
 * const preprocess: TextPreprocess = { kind: 'tokenizer', maxLength: 512 };
 * ```
 * @interface
 */
export type TextPreprocess = v.InferOutput<typeof textPreprocessSchema>;

/** The manifest schema has checked every field of a "tokenizer" preprocess: its kind says the rest. */
function isTextPreprocess(preprocess: { kind: string } | undefined): preprocess is TextPreprocess {
  return preprocess?.kind === 'tokenizer';
}

interface PreparedTexts extends PreparedRequest {
  texts: EncodedText[];
}

/** Texts are checked on the page too, so an empty or oversized text fails before it is sent to the worker. */
function toWire(input: unknown): TaskInput {
  if (typeof input === 'string' || Array.isArray(input)) {
    const texts: unknown[] = typeof input === 'string' ? [input] : input;
    return { kind: 'texts', texts: checkTexts(texts) };
  }
  throw new InpageError('INPUT_INVALID', `The text model takes a string or an array of strings; got ${input === null ? 'null' : typeof input}`);
}

export const textClassification: TaskDefinition<'text-classification'> = {
  name: 'text-classification',
  manifest: {
    summary: {
      input: 'a string, or an array of strings',
      result: '`{ label, score, scores, truncated }`, or one per string',
    },
    preprocess: textPreprocessSchema,
    roles: ['tokenizer'],
    labels: true,
  },
  page: {
    toWire,
    fromWire(output, input) {
      if (output.task !== 'text-classification') throw new InpageError('INTERNAL', `A text model answered as ${output.task}`);
      if (typeof input !== 'string') return output.result;
      const [first] = output.result;
      if (!first) throw new InpageError('INTERNAL', 'The text model returned no result');
      return first;
    },
  },
  async createRunner(entry, files) {
    const preprocess = entry.preprocess;
    if (!isTextPreprocess(preprocess)) throw new InpageError('MANIFEST_INVALID', 'The text-classification task needs preprocess.kind "tokenizer"');
    const { maxLength } = preprocess;
    const tokenizerFile = files.get('tokenizer');
    if (!tokenizerFile) throw new InpageError('MANIFEST_INVALID', 'The text-classification task needs a file with role "tokenizer"');
    const labels = labelsOf(entry);
    const { classify, createTextEncoder, padBatch } = await import('./text-encoder.js');
    const encoder = createTextEncoder(tokenizerFile, files.get('tokenizer-config'), maxLength);
    return {
      prepare(input): PreparedTexts {
        if (input.kind !== 'texts') throw new InpageError('INPUT_INVALID', 'The text model takes a string or an array of strings');
        const texts = checkTexts(input.texts).map((text) => encoder.encode(text));
        return { rows: texts.length, texts };
      },
      warmUpInput: () => ({ kind: 'texts', texts: ['A short sentence that warms the model up.'] }),
      split({ texts }: PreparedTexts, maxRows) {
        const parts: PreparedTexts[] = [];
        for (let at = 0; at < texts.length; at += maxRows) {
          const part = texts.slice(at, at + maxRows);
          parts.push({ rows: part.length, texts: part });
        }
        return parts;
      },
      join: (outputs) => ({ task: 'text-classification', result: outputs.flatMap((output) => output.result) }),
      async run(session: ModelSession, batch: PreparedTexts[]) {
        const encoded = batch.flatMap((request) => request.texts);
        const padded = padBatch(encoded, encoder.padId);
        const dims = [padded.batch, padded.sequence];
        const feeds: TensorMap = {
          input_ids: { type: 'int64', data: padded.inputIds, dims },
          attention_mask: { type: 'int64', data: padded.attentionMask, dims },
        };
        // BERT exports take token_type_ids; DistilBERT and ours do not.
        if (session.inputNames.includes('token_type_ids')) {
          feeds.token_type_ids = { type: 'int64', data: padded.tokenTypeIds, dims };
        }
        const rows = rowsOf(floatOutput(await session.run(feeds), outputName(session)), encoded.length, labels.length);
        const results: TaskOutputOf<'text-classification'>[] = [];
        let row = 0;
        for (const { texts } of batch) {
          results.push({
            task: 'text-classification',
            result: texts.map((text, i) => classify(rows[row + i] ?? new Float32Array(0), labels, text.truncated)),
          });
          row += texts.length;
        }
        return results;
      },
    };
  },
};
