// A shipped sentiment version as a function from texts to class probabilities: tokenised like the SDK with
// @huggingface/tokenizers and the version's tokenizer.json, run with onnxruntime-node in length-sorted batches.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { openSession, ort } from './session.mjs';
import { softmaxRows } from './calibration.mjs';

const BATCH = 64;
// Token ids per tokenizer (by its registry sha256) and maximum length: versions sharing a tokenizer encode once.
const encodings = new Map();

/** Encodes like the SDK: [CLS] ... [SEP], at most maxLength ids (the JS tokenizer ignores tokenizer.json's truncation). */
export function encodeTruncated(tokenizer, text, sepId, maxLength) {
  const ids = tokenizer.encode(text).ids;
  return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), sepId];
}

function makeEncoder({ dir, entry }) {
  const maxLength = entry.preprocess.maxLength;
  const tokJson = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
  const tokCfg = JSON.parse(readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
  const tokenizer = new Tokenizer(tokJson, tokCfg);
  const sepId = tokJson.model.vocab['[SEP]'];
  const key = `${entry.files.find((f) => f.role === 'tokenizer')?.sha256 ?? dir}:${maxLength}`;
  if (!encodings.has(key)) encodings.set(key, new Map());
  const cache = encodings.get(key);
  return (text) => {
    let ids = cache.get(text);
    if (!ids) cache.set(text, (ids = encodeTruncated(tokenizer, text, sepId, maxLength)));
    return ids;
  };
}

/** { classes, classify(texts) -> Promise<Float64Array> (texts.length × classes probabilities, in input order) }. */
export async function loadSentimentModel(model) {
  const encode = makeEncoder(model);
  const session = await openSession(model);
  const [idsName, maskName] = model.entry.inputs.map((i) => i.name);
  const outName = model.entry.outputs[0].name;
  const classes = model.entry.labels.length;
  async function classify(texts) {
    const order = texts.map((text, i) => ({ ids: encode(text), i })).sort((a, b) => a.ids.length - b.ids.length);
    const probs = new Float64Array(texts.length * classes);
    for (let s = 0; s < order.length; s += BATCH) {
      const batch = order.slice(s, s + BATCH);
      const L = Math.max(...batch.map((e) => e.ids.length));
      const ids = new BigInt64Array(batch.length * L);
      const mask = new BigInt64Array(batch.length * L);
      batch.forEach((e, k) =>
        e.ids.forEach((id, j) => {
          ids[k * L + j] = BigInt(id);
          mask[k * L + j] = 1n;
        }),
      );
      const out = await session.run({
        [idsName]: new ort.Tensor('int64', ids, [batch.length, L]),
        [maskName]: new ort.Tensor('int64', mask, [batch.length, L]),
      });
      const p = softmaxRows(out[outName].data, classes);
      batch.forEach((e, k) => probs.set(p.subarray(k * classes, (k + 1) * classes), e.i * classes));
    }
    return probs;
  }
  return { classes, classify, release: () => session.release() };
}
