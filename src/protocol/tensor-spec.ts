/**
 * A model input or output as the registry declares it, written once as a valibot schema: the
 * manifest schema checks registry.json with it and tensor-types.ts reads the types off it.
 */
import * as v from 'valibot';

/** Element types of model inputs and outputs, as onnxruntime-web names them. */
export const TENSOR_DTYPES = [
  'float32',
  'float64',
  'float16',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
  'string',
] as const;

const nonEmptyString = v.pipe(v.string(), v.minLength(1, 'must not be empty'));

export const tensorSpecSchema = v.object({
  name: nonEmptyString,
  dtype: v.picklist(TENSOR_DTYPES),
  /** Dimensions; a string names a dynamic axis (`batch`, `sequence`). `[]` is a scalar. */
  shape: v.array(v.union([v.pipe(v.number(), v.integer(), v.minValue(1)), nonEmptyString])),
});
