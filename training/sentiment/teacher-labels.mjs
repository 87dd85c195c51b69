// Runs a shipped sentiment model (the 1.2.0 ensemble by default) over every training and validation row with
// onnxruntime-node and writes its class log-probabilities, the soft labels a one-network student is distilled from.
// Test rows are never scored: they stay unseen until the chosen student is evaluated once.
//
// Usage: node training/sentiment/teacher-labels.mjs [--dir training/.cache/sentiment]
//          [--model public/models/sentiment/1.2.0/onnx/model.onnx] [--rows rows.jsonl --ids ids.jsonl --out teacher.jsonl]
// Writes <dir>/<out>: one JSON array [logp(negative), logp(positive)] per row of <rows>, in the same order (null for
// a test row). The ids must come from the same tokenizer as the model's (tokenize.mjs --from its tokenizer.json).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dir = opt('--dir', 'training/.cache/sentiment');
const modelPath = opt('--model', 'public/models/sentiment/1.2.0/onnx/model.onnx');
const readJsonl = (file) => readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const rows = readJsonl(opt('--rows', 'rows.jsonl'));
const ids = readJsonl(opt('--ids', 'ids.jsonl'));
if (rows.length !== ids.length) throw new Error(`rows (${rows.length}) and ids (${ids.length}) differ`);

const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' });

/** log-softmax of one row of logits (the ensemble's logits are already log-probabilities; this is a no-op there). */
function logSoftmax(a, b) {
  const m = Math.max(a, b);
  const lse = m + Math.log(Math.exp(a - m) + Math.exp(b - m));
  return [a - lse, b - lse];
}

// Batches of rows of similar length, so padding costs little.
const todo = rows.map((r, i) => i).filter((i) => rows[i].split !== 'test').sort((a, b) => ids[a].length - ids[b].length);
const out = new Array(rows.length).fill(null);
const started = Date.now();
for (let start = 0; start < todo.length; ) {
  const width = ids[todo[start]].length;
  const size = Math.max(1, Math.min(256, Math.floor(8192 / width)));
  const batch = todo.slice(start, start + size);
  const longest = ids[batch[batch.length - 1]].length;
  const inputIds = new BigInt64Array(batch.length * longest);
  const mask = new BigInt64Array(batch.length * longest);
  batch.forEach((row, k) => {
    ids[row].forEach((id, t) => {
      inputIds[k * longest + t] = BigInt(id);
      mask[k * longest + t] = 1n;
    });
  });
  const dims = [batch.length, longest];
  const result = await session.run({ input_ids: new ort.Tensor('int64', inputIds, dims), attention_mask: new ort.Tensor('int64', mask, dims) });
  const logits = result.logits.data;
  batch.forEach((row, k) => {
    out[row] = logSoftmax(logits[2 * k], logits[2 * k + 1]).map((v) => Math.round(v * 1e6) / 1e6);
  });
  start += batch.length;
  if (start % 5000 < batch.length) console.log(`${start}/${todo.length} rows, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
writeFileSync(path.join(dir, opt('--out', 'teacher.jsonl')), out.map((v) => JSON.stringify(v)).join('\n') + '\n');
console.log(`scored ${todo.length} rows with ${modelPath} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
