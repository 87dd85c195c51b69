/**
 * Builds onnxruntime-web sessions and adapts them to {@link ModelSession}.
 * Owns: nothing beyond each session it wraps (OrtModelSession holds one onnxruntime session until release()).
 */
import { InpageError } from '../errors.js';
import type { BackendName } from '../protocol/backend-report.js';
import type { ModelSession } from './model-session.js';
import type { RuntimeHints } from '../registry/manifest-types.js';
import { readTensor, type Tensor, type TensorMap } from '../tasks/tensors.js';
import type { Ort } from './ort-loader.js';

type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
type OrtTensor = InstanceType<Ort['Tensor']>;

/** An onnxruntime output as a plain tensor; a type inpage cannot hand over (e.g. int4) is MODEL_INVALID. */
function readOutput(tensor: OrtTensor, name: string): Tensor {
  try {
    return readTensor({ type: tensor.type, data: tensor.data, dims: [...tensor.dims] }, name);
  } catch (error) {
    throw new InpageError('MODEL_INVALID', `Output "${name}" (${tensor.type}) cannot be read: ${String(error)}`, { cause: error });
  }
}

function toOrtTensor(ort: Ort, tensor: Tensor): OrtTensor {
  // One call per element type: onnxruntime's constructor overloads pair each type with its array.
  switch (tensor.type) {
    case 'string':
      return new ort.Tensor('string', tensor.data, tensor.dims);
    case 'bool':
      return new ort.Tensor('bool', tensor.data, tensor.dims);
    case 'float16':
      return new ort.Tensor('float16', tensor.data, tensor.dims);
    default:
      return new ort.Tensor(tensor.type, tensor.data, tensor.dims);
  }
}

class OrtModelSession implements ModelSession {
  constructor(
    private readonly ort: Ort,
    private readonly session: OrtSession,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: TensorMap): Promise<TensorMap> {
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, feed] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(this.ort, feed);
    let results: Awaited<ReturnType<OrtSession['run']>>;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw new InpageError('MODEL_INVALID', `The model failed to run: ${String(error)}`, { cause: error });
    }
    try {
      const outputs: TensorMap = {};
      for (const [name, tensor] of Object.entries(results)) outputs[name] = readOutput(tensor, name);
      return outputs;
    } finally {
      // Outputs may hold GPU or wasm memory; free it now rather than at garbage collection.
      for (const tensor of Object.values(results)) tensor.dispose();
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export async function createOrtSession(ort: Ort, backend: BackendName, model: Uint8Array, hints: RuntimeHints = {}): Promise<ModelSession> {
  try {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [backend === 'webgpu' ? 'webgpu' : 'wasm'],
      graphOptimizationLevel: hints.graphOptimization ?? 'all',
    });
    return new OrtModelSession(ort, session);
  } catch (error) {
    // onnxruntime reports a wasm that would not compile or instantiate as "no available backend".
    if (/no available backend/i.test(String(error))) {
      throw new InpageError('BACKEND_UNAVAILABLE', `onnxruntime-web's ${backend} runtime failed to start: ${String(error)}`, { cause: error });
    }
    throw new InpageError('MODEL_INVALID', `The model could not be prepared on ${backend}: ${String(error)}`, { cause: error });
  }
}
