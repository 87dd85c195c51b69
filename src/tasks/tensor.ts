/**
 * The tensor task: the model as it is, named tensors in and named tensors out. Every model has
 * this path through `model.run()`, whatever its task; a registry entry of task "tensor" is a
 * model that has no other (`inpage-registry add --task tensor` needs no card).
 * Feeds are checked against the model's declared inputs before they reach the session; a
 * floating-point output holding NaN or Infinity is MODEL_INVALID, never handed back.
 */
import { InpageError } from '../errors.js';
import type { TaskInput } from '../protocol/task-io.js';
import type { TensorSpec } from '../registry/manifest-types.js';
import { ONE_ROW, type PreparedRequest, type TaskDefinition, type TaskOutputOf, type TaskRunner } from './task.js';
import { checkFeeds, checkFinite, readTensor, type Tensor, type TensorMap } from './tensors.js';

/**
 * predict() of a tensor model is run(): named tensors in, named tensors out.
 * @example
 * ```ts
 * const outputs = await (await inpage.load('my-model', { task: 'tensor' })).predict(feeds);
 * ```
 */
export type TensorPredict = (feeds: Record<string, Tensor>, options?: { signal?: AbortSignal }) => Promise<TensorMap>;

declare module '../protocol/task-io.js' {
  interface TaskTypes {
    tensor: { wire: TensorMap; result: TensorMap; predict: TensorPredict };
  }
}

interface PreparedFeeds extends PreparedRequest {
  feeds: TensorMap;
}

/**
 * Reads the page's feeds into plain tensors (an onnxruntime-web Tensor's fields are getters,
 * which a postMessage would not carry) and checks them against the model's declared inputs
 * here, before their buffers are moved to the worker: a refused call leaves them with the
 * caller. (The engine checks again: it is the one that must never run bad feeds.)
 */
export function feedsToWire(feeds: unknown, model: { inputs: readonly TensorSpec[] }): TaskInput {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw new InpageError('INPUT_INVALID', 'run() takes an object of named tensors, e.g. { input: { type, data, dims } }');
  }
  const plain: TensorMap = {};
  for (const [name, value] of Object.entries(feeds)) plain[name] = readTensor(value, name);
  return { kind: 'tensors', feeds: checkFeeds(plain, model.inputs) };
}

/** A zero of each declared input, with 1 for each dynamic axis: enough to run most models once while they load. */
function zeroFeeds(inputs: readonly TensorSpec[]): TensorMap {
  const feeds: TensorMap = {};
  for (const spec of inputs) {
    const dims = spec.shape.map((d) => (typeof d === 'number' ? d : 1));
    const size = dims.reduce((n, d) => n * d, 1);
    feeds[spec.name] = zeroTensor(spec.dtype, size, dims);
  }
  return feeds;
}

function zeroTensor(type: TensorSpec['dtype'], size: number, dims: number[]): Tensor {
  switch (type) {
    case 'float32':
      return { type, data: new Float32Array(size), dims };
    case 'float64':
      return { type, data: new Float64Array(size), dims };
    case 'float16':
    case 'uint16':
      return { type, data: new Uint16Array(size), dims };
    case 'int8':
      return { type, data: new Int8Array(size), dims };
    case 'int16':
      return { type, data: new Int16Array(size), dims };
    case 'int32':
      return { type, data: new Int32Array(size), dims };
    case 'int64':
      return { type, data: new BigInt64Array(size), dims };
    case 'uint8':
    case 'bool':
      return { type, data: new Uint8Array(size), dims };
    case 'uint32':
      return { type, data: new Uint32Array(size), dims };
    case 'uint64':
      return { type, data: new BigUint64Array(size), dims };
    case 'string':
      return { type, data: Array.from({ length: size }, () => ''), dims };
  }
}

/** The runner behind `run()` on any model, and behind predict() of a "tensor" entry. One request is one run: feeds are never merged. */
export function createTensorRunner(inputs: readonly TensorSpec[]): TaskRunner<PreparedFeeds, TaskOutputOf<'tensor'>> {
  return {
    prepare(input) {
      if (input.kind !== 'tensors') throw new InpageError('INPUT_INVALID', 'A tensor model takes named tensors: call run(feeds)');
      return { rows: 1, feeds: checkFeeds(input.feeds, inputs) };
    },
    runsAlone: true,
    warmUpInput: () => ({ kind: 'tensors', feeds: zeroFeeds(inputs) }),
    // One picture (or set of feeds) is one row: never more than a run takes.
    ...ONE_ROW,
    async run(session, batch) {
      const results: TaskOutputOf<'tensor'>[] = [];
      for (const request of batch) {
        const outputs = await session.run(request.feeds);
        for (const [name, tensor] of Object.entries(outputs)) checkFinite(name, tensor);
        results.push({ task: 'tensor', result: outputs });
      }
      return results;
    },
  };
}

export const tensor: TaskDefinition<'tensor'> = {
  name: 'tensor',
  manifest: {
    summary: { input: 'named tensors `{ [input]: { type, data, dims } }` (as `run()`)', result: 'named output tensors' },
    preprocess: null,
    roles: [],
    labels: false,
  },
  page: {
    toWire: feedsToWire,
    fromWire(output) {
      if (output.task !== 'tensor') throw new InpageError('INTERNAL', `A tensor request was answered as ${output.task}`);
      return output.result;
    },
  },
  createRunner: async (entry) => createTensorRunner(entry.inputs),
};
