/**
 * Builds onnxruntime-web sessions and adapts them to {@link ModelSession}.
 */
import { InpageError } from '../errors.js';
import type { BackendName } from '../protocol/backend-report.js';
import type { FeedTensor, ModelSession, OutputTensor } from './model-session.js';
import type { RuntimeHints } from '../registry/manifest-types.js';
import type { Ort } from './ort-loader.js';

type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
type OrtTensor = InstanceType<Ort['Tensor']>;

function readOutput(tensor: OrtTensor, name: string): OutputTensor {
  const data: unknown = tensor.data;
  if (data instanceof Float32Array) return { data, dims: [...tensor.dims] };
  throw new InpageError('MODEL_INVALID', `Output ${name} is ${tensor.type}; float32 logits were expected`);
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

  async run(feeds: Record<string, FeedTensor>): Promise<Record<string, OutputTensor>> {
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [name, feed] of Object.entries(feeds)) {
      ortFeeds[name] =
        feed.type === 'float32' ? new this.ort.Tensor('float32', feed.data, feed.dims) : new this.ort.Tensor('int64', feed.data, feed.dims);
    }
    let results: Awaited<ReturnType<OrtSession['run']>>;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw new InpageError('MODEL_INVALID', `The model failed to run: ${String(error)}`, { cause: error });
    }
    try {
      const outputs: Record<string, OutputTensor> = {};
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
