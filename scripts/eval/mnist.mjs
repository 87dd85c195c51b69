// MNIST test (10,000 images, already framed) through a shipped digits version, normalised with the card's
// preprocess mean and std: accuracy and ECE.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { openSession, ort } from './session.mjs';
import { scorePredictions, softmaxRows } from './calibration.mjs';

const BATCH = 500;

/** { n, pixels (Uint8Array n × 784), labels (Uint8Array n) } of the gzipped idx test files in `dataDir`/mnist. */
export function loadMnistTest(dataDir) {
  const img = gunzipSync(readFileSync(path.join(dataDir, 'mnist', 't10k-images-idx3-ubyte.gz')));
  const lab = gunzipSync(readFileSync(path.join(dataDir, 'mnist', 't10k-labels-idx1-ubyte.gz')));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new Error('bad MNIST idx magic');
  const n = img.readUInt32BE(4);
  return { n, pixels: img.subarray(16, 16 + n * 784), labels: lab.subarray(8, 8 + n) };
}

/** { metrics: { key: value }, rows: [{ label, n, key, format }] } of one shipped version on `data` (from loadMnistTest). */
export async function evaluateMnist(model, data) {
  const session = await openSession(model);
  const { mean, std } = model.entry.preprocess;
  const inName = model.entry.inputs[0].name;
  const outName = model.entry.outputs[0].name;
  const classes = model.entry.labels.length;
  const probs = new Float64Array(data.n * classes);
  for (let s = 0; s < data.n; s += BATCH) {
    const b = Math.min(BATCH, data.n - s);
    const x = new Float32Array(b * 784);
    for (let i = 0; i < b * 784; i++) x[i] = (data.pixels[s * 784 + i] / 255 - mean) / std;
    const out = await session.run({ [inName]: new ort.Tensor('float32', x, [b, 1, 28, 28]) });
    probs.set(softmaxRows(out[outName].data, classes), s * classes);
  }
  await session.release();
  const { n, accuracy, ece } = scorePredictions(probs, data.labels, classes);
  return {
    metrics: { 'mnist-test-accuracy': accuracy, 'mnist-test-ece': ece },
    rows: [
      { label: 'mnist-test', n, key: 'mnist-test-accuracy', format: 'percent' },
      { label: 'ECE mnist-test', n, key: 'mnist-test-ece', format: 'ece' },
    ],
  };
}
