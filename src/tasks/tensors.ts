/**
 * Tensors as onnxruntime-web names them: `{ type, data, dims }`, `data` a typed array of the
 * type's element (`BigInt64Array` for int64), `dims` a number array (`[]` for a scalar). This
 * file checks them: feeds against a model's declared inputs before anything reaches the session,
 * and every output for non-finite values, so a run never hands back silent garbage.
 */
import { InpageError } from '../errors.js';
import type { Tensor, TensorDataByType, TensorDType, TensorMap, TensorSpec } from '../protocol/tensor-types.js';
import { describeInput } from './read-pixels.js';

export type { Tensor, TensorDataByType, TensorDType, TensorMap, TensorOf, TensorSpec } from '../protocol/tensor-types.js';

const ARRAY_OF: { [T in TensorDType]: (data: unknown) => data is TensorDataByType[T] } = {
  float32: (d): d is Float32Array => d instanceof Float32Array,
  float64: (d): d is Float64Array => d instanceof Float64Array,
  float16: (d): d is Uint16Array => d instanceof Uint16Array,
  int8: (d): d is Int8Array => d instanceof Int8Array,
  int16: (d): d is Int16Array => d instanceof Int16Array,
  int32: (d): d is Int32Array => d instanceof Int32Array,
  int64: (d): d is BigInt64Array => d instanceof BigInt64Array,
  uint8: (d): d is Uint8Array => d instanceof Uint8Array,
  uint16: (d): d is Uint16Array => d instanceof Uint16Array,
  uint32: (d): d is Uint32Array => d instanceof Uint32Array,
  uint64: (d): d is BigUint64Array => d instanceof BigUint64Array,
  bool: (d): d is Uint8Array => d instanceof Uint8Array,
  string: (d): d is string[] => Array.isArray(d) && d.every((s) => typeof s === 'string'),
};

const ARRAY_NAME: Record<TensorDType, string> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  float16: 'Uint16Array',
  int8: 'Int8Array',
  int16: 'Int16Array',
  int32: 'Int32Array',
  int64: 'BigInt64Array',
  uint8: 'Uint8Array',
  uint16: 'Uint16Array',
  uint32: 'Uint32Array',
  uint64: 'BigUint64Array',
  bool: 'Uint8Array',
  string: 'an array of strings',
};

export function isTensorDType(value: unknown): value is TensorDType {
  return typeof value === 'string' && Object.hasOwn(ARRAY_OF, value);
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/**
 * Reads one tensor-like value (a plain `{ type, data, dims }` or an onnxruntime-web `Tensor`,
 * whose fields are getters) into a plain tensor whose data length matches its dims.
 */
export function readTensor(value: unknown, name: string): Tensor {
  if (typeof value !== 'object' || value === null) {
    throw new InpageError('INPUT_INVALID', `Feed "${name}" must be a tensor { type, data, dims }, got ${describeInput(value)}`, {
      details: { input: name },
    });
  }
  const { type, data, dims } = value as { type?: unknown; data?: unknown; dims?: unknown };
  if (!isTensorDType(type)) {
    throw new InpageError('INPUT_INVALID', `Feed "${name}" has type ${JSON.stringify(type)}; expected one of ${Object.keys(ARRAY_OF).join(', ')}`, {
      details: { input: name },
    });
  }
  const dimList: unknown[] = Array.isArray(dims) ? dims : ArrayBuffer.isView(dims) ? Array.from(dims as unknown as ArrayLike<number>) : [];
  if ((!Array.isArray(dims) && !ArrayBuffer.isView(dims)) || !dimList.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new InpageError('INPUT_INVALID', `Feed "${name}" needs dims as an array of non-negative integers`, { details: { input: name } });
  }
  const shape = dimList as number[];
  if (!ARRAY_OF[type](data)) {
    throw new InpageError('INPUT_INVALID', `Feed "${name}" is ${type}, so its data must be ${ARRAY_NAME[type]}; got ${describeInput(data)}`, {
      details: { input: name },
    });
  }
  const length = data.length;
  if (length !== elementCount(shape)) {
    throw new InpageError('INPUT_INVALID', `Feed "${name}" has ${length} values, but dims [${shape.join(', ')}] need ${elementCount(shape)}`, {
      details: { input: name },
    });
  }
  return { type, data, dims: shape } as Tensor;
}

/**
 * Checks feeds against a model's declared inputs: every declared name present and no other,
 * the declared element type, the declared rank and every fixed dimension. Throws INPUT_INVALID
 * naming the input; nothing reaches the session.
 */
export function checkFeeds(feeds: unknown, declared: readonly TensorSpec[]): TensorMap {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw new InpageError('INPUT_INVALID', `run() takes an object of named tensors, got ${describeInput(feeds)}`);
  }
  const given = feeds as Record<string, unknown>;
  const names = new Set(declared.map((spec) => spec.name));
  for (const name of Object.keys(given)) {
    if (!names.has(name)) {
      throw new InpageError('INPUT_INVALID', `The model has no input "${name}"; its inputs are ${[...names].join(', ')}`, {
        details: { input: name },
      });
    }
  }
  const checked: TensorMap = {};
  for (const spec of declared) {
    if (!Object.hasOwn(given, spec.name)) {
      throw new InpageError('INPUT_INVALID', `Input "${spec.name}" is missing (${spec.dtype} [${spec.shape.join(', ')}])`, {
        details: { input: spec.name },
      });
    }
    const tensor = readTensor(given[spec.name], spec.name);
    if (tensor.type !== spec.dtype) {
      throw new InpageError('INPUT_INVALID', `Input "${spec.name}" must be ${spec.dtype}, got ${tensor.type}`, { details: { input: spec.name } });
    }
    if (tensor.dims.length !== spec.shape.length) {
      throw new InpageError(
        'INPUT_INVALID',
        `Input "${spec.name}" must have ${spec.shape.length} dimension(s) [${spec.shape.join(', ')}], got [${tensor.dims.join(', ')}]`,
        { details: { input: spec.name } },
      );
    }
    spec.shape.forEach((want, axis) => {
      if (typeof want === 'number' && tensor.dims[axis] !== want) {
        throw new InpageError(
          'INPUT_INVALID',
          `Input "${spec.name}" dimension ${axis} must be ${want}, got ${String(tensor.dims[axis])} (dims [${tensor.dims.join(', ')}])`,
          { details: { input: spec.name } },
        );
      }
    });
    checked[spec.name] = tensor;
  }
  return checked;
}

/**
 * Fails with MODEL_INVALID when a floating-point output holds NaN or Infinity: a result made
 * from it would be a guess, whatever the input was.
 */
export function checkFinite(name: string, tensor: Tensor): void {
  if (tensor.type !== 'float32' && tensor.type !== 'float64') return;
  const data = tensor.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new InpageError('MODEL_INVALID', `The model's output "${name}" holds ${String(data[i])} at index ${i}: no result can be made from it`, {
        details: { output: name, index: i },
      });
    }
  }
}

/**
 * The buffers of a tensor map, each once, for a postMessage transfer list. Only a buffer that a
 * tensor's data covers whole is moved: a view over part of a larger buffer is copied, so that a
 * call never empties memory the caller holds for other things. Strings and shared memory stay copied.
 */
export function transferablesOf(tensors: TensorMap): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of Object.values(tensors)) {
    if (tensor.type === 'string') continue;
    const { buffer, byteOffset, byteLength } = tensor.data;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) buffers.add(buffer);
  }
  return [...buffers];
}

/** A float32 output's values (logits, probabilities); any other type is MODEL_INVALID. */
export function floatOutput(outputs: TensorMap, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new InpageError('MODEL_INVALID', `The model gave no output "${name}"`);
  if (tensor.type !== 'float32') throw new InpageError('MODEL_INVALID', `Output "${name}" is ${tensor.type}; float32 was expected`);
  checkFinite(name, tensor);
  return tensor.data;
}

/** The output a classifier's scores are read from: `logits` where the model has one, else its first. */
export function outputName(session: { outputNames: readonly string[] }): string {
  const name = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
  if (name === undefined) throw new InpageError('MODEL_INVALID', 'The model has no outputs');
  return name;
}

/** Splits [rows, classes] scores into rows, refusing an output of the wrong shape rather than misreading it. */
export function rowsOf(data: Float32Array, rows: number, classes: number): Float32Array[] {
  if (data.length !== rows * classes) {
    throw new InpageError('MODEL_INVALID', `The model gave ${data.length} values for ${rows} input(s) of ${classes} classes`);
  }
  return Array.from({ length: rows }, (_, r) => data.subarray(r * classes, (r + 1) * classes));
}

/** A classifier's class names; the manifest schema requires them for every classifying task. */
export function labelsOf(entry: { labels?: string[] | undefined }): string[] {
  if (!entry.labels || entry.labels.length === 0) throw new InpageError('MANIFEST_INVALID', 'This task needs "labels" in the registry entry');
  return entry.labels;
}
