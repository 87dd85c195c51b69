#!/usr/bin/env node
// Evaluates the SHIPPED model files in public/models with onnxruntime-node (npm run eval:models).
//   mnist:     full MNIST test set (10,000), normalised (x - 0.1307) / 0.3081 (MNIST test images are already framed)
//   sentiment: SST-2 dev (872), SST-2 sentences/test (1,821) and the held-out test rows of every everyday set
//              (training/sentiment/splits/<set>-test.txt: 0-based data-row indices of the source TSV), tokenised
//              with @huggingface/tokenizers from the shipped tokenizer.json, truncated to the registry card's preprocess.maxLength.
// Options: --data DIR (default <repo>/../shared/datasets), --models DIR (default public/models), --only mnist|sentiment,
//          --json FILE (also write the figures as JSON).
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { shippedModel } from './shipped-models.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const dataDir = path.resolve(opt('--data', path.join(repo, '..', 'shared', 'datasets')));
const modelsDir = path.resolve(opt('--models', path.join(repo, 'public', 'models')));
const only = opt('--only', null);
const jsonOut = opt('--json', null);

const EVERYDAY = {
  amazon: 'uci-sentences/amazon.tsv',
  yelp: 'uci-sentences/yelp.tsv',
  imdb: 'uci-sentences/imdb.tsv',
  books: 'multi-domain/books.tsv',
  dvd: 'multi-domain/dvd.tsv',
  electronics: 'multi-domain/electronics.tsv',
  kitchen: 'multi-domain/kitchen.tsv',
  cr: 'customer-reviews/cr.tsv',
  sentiment140: 'sentiment140/test.tsv',
  airline: 'airline-tweets/airline.tsv',
};

function readTsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== 'sentence\tlabel') throw new Error(`${file}: unexpected header`);
  return lines.slice(1).filter((l) => l.length > 0).map((l) => {
    const i = l.lastIndexOf('\t');
    return { text: l.slice(0, i), label: Number(l.slice(i + 1)) };
  });
}

const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1 };
const results = [];
const metrics = {};

async function evalMnist() {
  const modelPath = path.join(shippedModel('mnist', modelsDir).dir, 'model.onnx');
  const img = gunzipSync(readFileSync(path.join(dataDir, 'mnist', 't10k-images-idx3-ubyte.gz')));
  const lab = gunzipSync(readFileSync(path.join(dataDir, 'mnist', 't10k-labels-idx1-ubyte.gz')));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new Error('bad MNIST idx magic');
  const n = img.readUInt32BE(4);
  const session = await ort.InferenceSession.create(modelPath, sessionOptions);
  let correct = 0;
  const B = 500;
  for (let s = 0; s < n; s += B) {
    const b = Math.min(B, n - s);
    const x = new Float32Array(b * 784);
    for (let i = 0; i < b * 784; i++) x[i] = (img[16 + s * 784 + i] / 255 - 0.1307) / 0.3081;
    const out = await session.run({ input: new ort.Tensor('float32', x, [b, 1, 28, 28]) });
    const logits = out.logits.data;
    for (let k = 0; k < b; k++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (logits[k * 10 + c] > logits[k * 10 + best]) best = c;
      if (best === lab[8 + s + k]) correct++;
    }
  }
  results.push({ model: 'mnist', set: 'mnist-test', n, accuracy: correct / n });
  metrics['mnist-test-accuracy'] = correct / n;
}

/** Encodes like the SDK: [CLS] ... [SEP], at most maxLength ids (the JS tokenizer ignores tokenizer.json's truncation). */
export function encodeTruncated(tokenizer, text, sepId, maxLength) {
  const ids = tokenizer.encode(text).ids;
  return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), sepId];
}

async function evalSentiment() {
  const { dir, entry } = shippedModel('sentiment', modelsDir);
  const maxLength = entry.preprocess.maxLength;
  const tokJson = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const tokCfg = JSON.parse(readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
  const tokenizer = new Tokenizer(tokJson, tokCfg);
  const sepId = tokJson.model.vocab['[SEP]'];
  const session = await ort.InferenceSession.create(path.join(dir, 'onnx', 'model.onnx'), sessionOptions);

  const sets = [
    ['sst2-dev', readTsv(path.join(dataDir, 'sst2', 'dev.tsv'))],
    ['sst2-test', readTsv(path.join(dataDir, 'sst2', 'sentences', 'test.tsv'))],
  ];
  for (const [name, rel] of Object.entries(EVERYDAY)) {
    const rows = readTsv(path.join(dataDir, rel));
    const idx = readFileSync(path.join(repo, 'training', 'sentiment', 'splits', `${name}-test.txt`), 'utf8')
      .split(/\s+/).filter(Boolean).map(Number);
    sets.push([name, idx.map((i) => rows[i])]);
  }
  let pooledN = 0;
  let pooledCorrect = 0;
  for (const [name, rows] of sets) {
    const enc = rows.map((r, i) => ({ ids: encodeTruncated(tokenizer, r.text, sepId, maxLength), label: r.label, i }));
    enc.sort((a, b) => a.ids.length - b.ids.length);
    let correct = 0;
    const B = 64;
    for (let s = 0; s < enc.length; s += B) {
      const batch = enc.slice(s, s + B);
      const L = Math.max(...batch.map((e) => e.ids.length));
      const ids = new BigInt64Array(batch.length * L);
      const mask = new BigInt64Array(batch.length * L);
      batch.forEach((e, k) => e.ids.forEach((id, j) => { ids[k * L + j] = BigInt(id); mask[k * L + j] = 1n; }));
      const out = await session.run({
        input_ids: new ort.Tensor('int64', ids, [batch.length, L]),
        attention_mask: new ort.Tensor('int64', mask, [batch.length, L]),
      });
      const lg = out.logits.data;
      batch.forEach((e, k) => { if ((lg[k * 2 + 1] > lg[k * 2] ? 1 : 0) === e.label) correct++; });
    }
    results.push({ model: 'sentiment', set: name, n: rows.length, accuracy: correct / rows.length });
    metrics[name.startsWith('sst2') ? `${name}-accuracy` : `${name}-test-accuracy`] = correct / rows.length;
    if (name in EVERYDAY) { pooledN += rows.length; pooledCorrect += correct; }
  }
  results.push({ model: 'sentiment', set: 'everyday-pooled', n: pooledN, accuracy: pooledCorrect / pooledN });
  metrics['everyday-pooled-accuracy'] = pooledCorrect / pooledN;
}

const t0 = Date.now();
if (!only || only === 'mnist') await evalMnist();
if (!only || only === 'sentiment') await evalSentiment();
console.log('model      set               n      accuracy');
for (const r of results) {
  console.log(`${r.model.padEnd(10)} ${r.set.padEnd(16)} ${String(r.n).padStart(6)}  ${(100 * r.accuracy).toFixed(2)} %`);
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(metrics, null, 2) + '\n');
