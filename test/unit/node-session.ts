// The SDK's ModelSession over onnxruntime-node, so the tasks' engine side runs in Node unchanged.
import { createRequire } from 'node:module';
import type { ModelSession } from '../../src/runtime/model-session.js';
import { readTensor, type TensorMap } from '../../src/tasks/tensors.js';

const require = createRequire(import.meta.url);
export const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');

export async function nodeSession(file: string): Promise<ModelSession> {
  const session = await ort.InferenceSession.create(file);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: TensorMap): Promise<TensorMap> {
      const tensors = Object.fromEntries(
        Object.entries(feeds).map(([name, feed]) => [name, new ort.Tensor(feed.type, feed.data as never, feed.dims)]),
      );
      const results = await session.run(tensors);
      return Object.fromEntries(
        Object.entries(results).map(([name, tensor]) => [name, readTensor({ type: tensor.type, data: tensor.data, dims: [...tensor.dims] }, name)]),
      );
    },
    release: () => session.release(),
  };
}
