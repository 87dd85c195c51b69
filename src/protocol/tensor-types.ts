/**
 * Tensors as they cross every boundary: the page's run() feeds, the engine's outputs, the
 * registry's declared inputs and outputs. Types only; tasks/tensors.ts checks values against them.
 */
import type * as v from 'valibot';
import type { TENSOR_DTYPES, tensorSpecSchema } from './tensor-spec.js';

/**
 * Element types of model inputs and outputs, as onnxruntime-web names them (the list is tensor-spec.ts's).
 * @example
 * ```ts
 * const dtype: TensorDType = model.info.inputs[0].dtype;
 * ```
 */
export type TensorDType = (typeof TENSOR_DTYPES)[number];

/**
 * A model input or output as the registry declares it: `name`, `dtype`, and `shape` (a string names a dynamic axis such as `batch`; `[]` is a scalar).
 * @example
 * ```ts
 * for (const { name, dtype, shape } of model.info.inputs) console.log(name, dtype, shape);
 * ```
 * @interface
 */
export type TensorSpec = v.InferOutput<typeof tensorSpecSchema>;

/**
 * The typed array each element type travels in.
 * @example
 * ```ts
 * const data: TensorDataByType['int64'] = BigInt64Array.of(16000n);
 * ```
 */
export interface TensorDataByType {
  float32: Float32Array;
  float64: Float64Array;
  /** IEEE half floats as their 16-bit patterns, as onnxruntime-web takes them. */
  float16: Uint16Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  /** 0 or 1 per element. */
  bool: Uint8Array;
  string: string[];
}

/**
 * A tensor of one element type.
 * @example
 * ```ts
 * const sr: TensorOf<'int64'> = { type: 'int64', data: BigInt64Array.of(16000n), dims: [] };
 * ```
 */
export interface TensorOf<T extends TensorDType> {
  type: T;
  data: TensorDataByType[T];
  dims: readonly number[];
}

/**
 * A tensor: what `model.run()` takes and returns. onnxruntime-web's own `Tensor` objects have
 * this shape and are accepted as they are.
 *
 * @example
 * ```ts
 * const input: Tensor = { type: 'float32', data: new Float32Array(576), dims: [1, 576] };
 * ```
 */
export type Tensor = { [T in TensorDType]: TensorOf<T> }[TensorDType];

/**
 * Named tensors: a run's feeds or its outputs.
 * @example
 * ```ts
 * const feeds: TensorMap = { input: { type: 'float32', data: new Float32Array(512), dims: [1, 512] } };
 * const outputs = await model.run(feeds);
 * ```
 */
export type TensorMap = Record<string, Tensor>;
