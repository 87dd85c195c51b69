// Reads a model's inputs and outputs (names, element types, shapes with their symbolic axes)
// from the ONNX file itself, so `inpage-registry add --task tensor` needs no card.
// Plain JS for the CLI, which runs in Node with no build step and no dependencies: a protobuf
// library plus onnx.proto would be the only dependency of the published CLI, for five fields of
// one message, and onnxruntime-node would add a native binary. The wire format read here is
// protobuf's (https://protobuf.dev/programming-guides/encoding/); the field numbers are onnx.proto's.

/** ONNX TensorProto.DataType → onnxruntime-web's name; the types inpage cannot hand over are absent. */
const ELEMENT_TYPES = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

const ONNX_FIELDS = {
  model: { graph: 7 },
  graph: { initializer: 5, input: 11, output: 12 },
  tensor: { name: 8 },
  valueInfo: { name: 1, type: 2 },
  type: { tensor: 1 },
  tensorType: { elemType: 1, shape: 2 },
  shape: { dim: 1 },
  dim: { value: 1, param: 2 },
};

export class OnnxFormatError extends Error {}

/** Reads a varint at `at`; returns [value, next offset]. Values past 2^53 are not needed here. */
function varint(bytes, at) {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new OnnxFormatError('a varint runs past the end of the file');
}

/** The fields of one message: [{ field, wire, value | bytes }], in file order. */
function fields(bytes) {
  const out = [];
  let at = 0;
  while (at < bytes.length) {
    const [key, afterKey] = varint(bytes, at);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const [value, next] = varint(bytes, afterKey);
      out.push({ field, wire, value });
      at = next;
    } else if (wire === 2) {
      const [length, start] = varint(bytes, afterKey);
      if (start + length > bytes.length) throw new OnnxFormatError('a field runs past the end of the file');
      out.push({ field, wire, bytes: bytes.subarray(start, start + length) });
      at = start + length;
    } else if (wire === 1) at = afterKey + 8;
    else if (wire === 5) at = afterKey + 4;
    else throw new OnnxFormatError(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const text = (bytes) => new TextDecoder().decode(bytes);
const messages = (list, field) => list.filter((f) => f.field === field && f.wire === 2).map((f) => f.bytes);
const first = (list, field) => list.find((f) => f.field === field);

function readDim(bytes, name, axis) {
  const dim = fields(bytes);
  const value = first(dim, ONNX_FIELDS.dim.value);
  if (value && value.wire === 0 && value.value > 0) return value.value;
  const param = first(dim, ONNX_FIELDS.dim.param);
  if (param && param.wire === 2 && param.bytes.length > 0) return text(param.bytes);
  // A dynamic axis without a name: named after its input, so the manifest still says it varies.
  return `${name}_dim${axis}`;
}

function readValueInfo(bytes) {
  const info = fields(bytes);
  const nameField = first(info, ONNX_FIELDS.valueInfo.name);
  const name = nameField?.wire === 2 ? text(nameField.bytes) : '';
  if (!name) throw new OnnxFormatError('an input or output has no name');
  const [type] = messages(info, ONNX_FIELDS.valueInfo.type);
  const [tensorType] = type ? messages(fields(type), ONNX_FIELDS.type.tensor) : [];
  if (!tensorType) throw new OnnxFormatError(`"${name}" is not a tensor (sequences and maps are not supported)`);
  const tensor = fields(tensorType);
  const elemType = first(tensor, ONNX_FIELDS.tensorType.elemType)?.value;
  const dtype = ELEMENT_TYPES[elemType];
  if (!dtype) throw new OnnxFormatError(`"${name}" has ONNX element type ${elemType}, which inpage cannot pass`);
  const [shape] = messages(tensor, ONNX_FIELDS.tensorType.shape);
  const dims = shape ? messages(fields(shape), ONNX_FIELDS.shape.dim) : [];
  return { name, dtype, shape: dims.map((dim, axis) => readDim(dim, name, axis)) };
}

/**
 * The inputs and outputs an ONNX model declares, as registry tensor specs. Initializers that
 * older exporters also list as graph inputs are left out: they are weights, not feeds.
 * @param {Uint8Array} bytes the .onnx file
 * @returns {{ inputs: Array<{ name: string, dtype: string, shape: Array<number | string> }>, outputs: Array<{ name: string, dtype: string, shape: Array<number | string> }> }}
 */
export function readOnnxSignature(bytes) {
  const [graph] = messages(fields(bytes), ONNX_FIELDS.model.graph);
  if (!graph) throw new OnnxFormatError('no graph: this is not an ONNX model');
  const graphFields = fields(graph);
  const weights = new Set(
    messages(graphFields, ONNX_FIELDS.graph.initializer).map((tensor) => {
      const name = first(fields(tensor), ONNX_FIELDS.tensor.name);
      return name?.wire === 2 ? text(name.bytes) : '';
    }),
  );
  const inputs = messages(graphFields, ONNX_FIELDS.graph.input)
    .map(readValueInfo)
    .filter((input) => !weights.has(input.name));
  const outputs = messages(graphFields, ONNX_FIELDS.graph.output).map(readValueInfo);
  if (inputs.length === 0 || outputs.length === 0) throw new OnnxFormatError('the graph declares no inputs or no outputs');
  return { inputs, outputs };
}
