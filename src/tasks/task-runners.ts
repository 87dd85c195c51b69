/**
 * One frozen table from task name to its runner: how a request's input becomes rows of a
 * batch, and how a batch's output becomes each request's result. Runners see only a
 * {@link ModelSession}, never onnxruntime itself.
 */
import { InpageError } from '../errors.js';
import type { FileRole, ModelVersion, TaskName } from '../registry/manifest-types.js';
import type { ModelSession } from '../runtime/model-session.js';
import type { TaskInput, TaskOutput } from '../protocol/task-io.js';
import { digitFromLogits, prepareDigit } from './digits.js';
import { checkTexts } from './input-limits.js';
import { classify, createTextEncoder, padBatch, type EncodedText } from './text-classification.js';

/** A validated, pre-processed request, ready to join a batch: each task's runner adds its own fields. */
export interface PreparedRequest {
  rows: number;
}

interface PreparedDigit extends PreparedRequest {
  digit: Float32Array;
}

interface PreparedTexts extends PreparedRequest {
  texts: EncodedText[];
}

/**
 * One task's pre- and post-processing around a run. `R` is what its prepare() makes; the engine
 * holds runners as TaskRunner<PreparedRequest> and only ever hands a runner back requests that
 * runner prepared, which is what lets the methods take the narrower type.
 */
export interface TaskRunner<R extends PreparedRequest = PreparedRequest> {
  prepare(input: TaskInput): R;
  /** An input the model is run on while it loads, so that the first real call does not pay the first-run costs. */
  warmUpInput(): TaskInput;
  run(session: ModelSession, batch: R[]): Promise<TaskOutput[]>;
  /** Cuts a request of more rows than one run may take into parts, and joins their outputs. */
  split(request: R, maxRows: number): R[];
  join(outputs: TaskOutput[]): TaskOutput;
}

export type TaskFiles = ReadonlyMap<FileRole, Uint8Array>;

function outputLogits(outputs: Awaited<ReturnType<ModelSession['run']>>, session: ModelSession): ArrayLike<number> {
  const name = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
  const tensor = name === undefined ? undefined : outputs[name];
  if (!tensor) throw new InpageError('MODEL_INVALID', 'The model gave no output');
  return tensor.data;
}

/** Splits [rows, classes] logits into rows, refusing an output of the wrong shape rather than misreading it. */
function rowsOf(data: ArrayLike<number>, rows: number, classes: number): ArrayLike<number>[] {
  if (data.length !== rows * classes) {
    throw new InpageError('MODEL_INVALID', `The model gave ${data.length} values for ${rows} input(s) of ${classes} classes`);
  }
  return Array.from({ length: rows }, (_, r) => Array.prototype.slice.call(data, r * classes, (r + 1) * classes));
}

function createDigitsRunner(entry: ModelVersion): TaskRunner<PreparedDigit> {
  const preprocess = entry.preprocess;
  if (preprocess.kind !== 'mnist') throw new InpageError('MANIFEST_INVALID', 'The digits task needs preprocess.kind "mnist"');
  const inputName = entry.inputs[0]?.name ?? 'input';
  return {
    prepare: (input) => ({ rows: 1, digit: prepareDigit(input, preprocess) }),
    warmUpInput: () => ({ kind: 'floats', data: new Float32Array(preprocess.size * preprocess.size) }),
    // One picture is one row: never more than a run takes.
    split: (request) => [request],
    join: (outputs) => {
      const [only] = outputs;
      if (!only) throw new InpageError('INTERNAL', 'A digit request gave no output');
      return only;
    },
    async run(session, batch) {
      const cells = preprocess.size * preprocess.size;
      const data = new Float32Array(batch.length * cells);
      batch.forEach((request, i) => data.set(request.digit, i * cells));
      const outputs = await session.run({
        [inputName]: { type: 'float32', data, dims: [batch.length, 1, preprocess.size, preprocess.size] },
      });
      return rowsOf(outputLogits(outputs, session), batch.length, entry.labels.length).map((logits) => ({
        kind: 'digit',
        result: digitFromLogits(logits),
      }));
    },
  };
}

function createTextRunner(entry: ModelVersion, files: TaskFiles): TaskRunner<PreparedTexts> {
  const preprocess = entry.preprocess;
  if (preprocess.kind !== 'tokenizer') {
    throw new InpageError('MANIFEST_INVALID', 'The text-classification task needs preprocess.kind "tokenizer"');
  }
  const tokenizerFile = files.get('tokenizer');
  if (!tokenizerFile) throw new InpageError('MANIFEST_INVALID', 'The text-classification task needs a file with role "tokenizer"');
  const encoder = createTextEncoder(tokenizerFile, files.get('tokenizer-config'), preprocess.maxLength);
  return {
    prepare(input) {
      if (input.kind !== 'texts') throw new InpageError('INPUT_INVALID', 'The text model takes a string or an array of strings');
      const texts = checkTexts(input.texts).map((text) => encoder.encode(text));
      return { rows: texts.length, texts };
    },
    warmUpInput: () => ({ kind: 'texts', texts: ['A short sentence that warms the model up.'] }),
    split({ texts }, maxRows) {
      const parts: PreparedTexts[] = [];
      for (let at = 0; at < texts.length; at += maxRows) {
        const part = texts.slice(at, at + maxRows);
        parts.push({ rows: part.length, texts: part });
      }
      return parts;
    },
    join: (outputs) => ({ kind: 'texts', results: outputs.flatMap((output) => (output.kind === 'texts' ? output.results : [])) }),
    async run(session, batch) {
      const encoded = batch.flatMap((request) => request.texts);
      const padded = padBatch(encoded, encoder.padId);
      const dims = [padded.batch, padded.sequence];
      const feeds: Parameters<ModelSession['run']>[0] = {
        input_ids: { type: 'int64', data: padded.inputIds, dims },
        attention_mask: { type: 'int64', data: padded.attentionMask, dims },
      };
      // BERT exports take token_type_ids; DistilBERT and ours do not.
      if (session.inputNames.includes('token_type_ids')) {
        feeds['token_type_ids'] = { type: 'int64', data: padded.tokenTypeIds, dims };
      }
      const rows = rowsOf(outputLogits(await session.run(feeds), session), encoded.length, entry.labels.length);
      const results: TaskOutput[] = [];
      let row = 0;
      for (const { texts } of batch) {
        results.push({
          kind: 'texts',
          results: texts.map((text, i) => classify(rows[row + i] ?? [], entry.labels, text.truncated)),
        });
        row += texts.length;
      }
      return results;
    },
  };
}

export const TASK_RUNNERS: Readonly<Record<TaskName, (entry: ModelVersion, files: TaskFiles) => TaskRunner>> = Object.freeze({
  digits: createDigitsRunner,
  'text-classification': createTextRunner,
});
