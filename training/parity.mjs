// Parity check: runs an ONNX model in onnxruntime-node on inputs saved by the Python trainer
// and compares every output with the torch outputs saved next to them.
// Usage: node training/parity.mjs <model.onnx> <io.json>
// io.json: { inputs: {name: {dtype, dims, data}}, expected: {name: {dtype, dims, data}} }
// Without `expected` it prints {"outputs": ...} instead.
// Prints a JSON line {"maxAbsDiff": number, ...} as the last line of stdout.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [modelPath, ioPath] = process.argv.slice(2);
if (!modelPath || !ioPath) {
  console.error('usage: node training/parity.mjs <model.onnx> <io.json>');
  process.exit(2);
}
const io = JSON.parse(readFileSync(ioPath, 'utf8'));
const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
const feeds = {};
for (const [name, t] of Object.entries(io.inputs)) {
  const data = t.dtype === 'int64' ? BigInt64Array.from(t.data.map((v) => BigInt(v))) : Float32Array.from(t.data);
  feeds[name] = new ort.Tensor(t.dtype, data, t.dims);
}
const out = await session.run(feeds);
if (!io.expected) {
  // no torch reference: just print the outputs (used by training/mnist/drawn_digits_check.py)
  const outputs = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { dims: t.dims, data: Array.from(t.data) }]));
  console.log(JSON.stringify({ outputs }));
  process.exit(0);
}
let maxAbsDiff = 0;
const perOutput = {};
for (const [name, exp] of Object.entries(io.expected)) {
  const got = out[name];
  if (!got) throw new Error(`missing output ${name}`);
  if (JSON.stringify(Array.from(got.dims)) !== JSON.stringify(exp.dims)) {
    throw new Error(`output ${name} dims ${got.dims} != ${exp.dims}`);
  }
  let d = 0;
  for (let i = 0; i < exp.data.length; i++) d = Math.max(d, Math.abs(Number(got.data[i]) - exp.data[i]));
  perOutput[name] = d;
  maxAbsDiff = Math.max(maxAbsDiff, d);
}
console.log(JSON.stringify({ maxAbsDiff, perOutput, inputs: session.inputNames, outputs: session.outputNames }));
