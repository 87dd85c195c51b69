// The shipped sentiment tokenizer.json must give identical ids in @huggingface/tokenizers (pure JS, what the SDK
// runs in the browser) and in `tokenizers` (Hugging Face's Rust library, the reference that trained it).
//
// Note: @huggingface/tokenizers ignores the `truncation` block of tokenizer.json, so callers (the SDK, the eval
// script) truncate themselves: keep [CLS] + the first maxLength - 2 tokens + [SEP] (maxLength ids, from the registry
// entry). The Rust library applies the tokenizer.json truncation (max_length, right side, special tokens counted),
// which gives the same ids.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModel } from '../../scripts/shipped-models.mjs';
import { Tokenizer as JsTokenizer } from '@huggingface/tokenizers';
import { readTokenizerFiles, type TokenizerConfig, type TokenizerJson } from './tokenizer-files.js';

const require = createRequire(import.meta.url);
const rust = require('tokenizers') as typeof import('tokenizers');

const repo = path.resolve(__dirname, '..', '..');
const shipped = shippedModel('sentiment');
const modelDir = process.env.INPAGE_SENTIMENT_DIR ?? shipped.dir;
// eslint-disable-next-line no-control-regex -- anything outside ASCII is what it looks for
const NON_ASCII = /[^\x00-\x7f]/;
const dataDir = process.env.INPAGE_DATA_DIR ?? path.join(repo, '..', 'shared', 'datasets');
const MAX_LENGTH = shipped.entry.preprocess?.kind === 'tokenizer' ? Number(shipped.entry.preprocess.maxLength) : NaN;

const DATA_FILES = [
  'sst2/dev.tsv',
  'sst2/sentences/test.tsv',
  'sst2/sentences/train.tsv',
  'uci-sentences/amazon.tsv',
  'uci-sentences/yelp.tsv',
  'uci-sentences/imdb.tsv',
  'multi-domain/books.tsv',
  'multi-domain/kitchen.tsv',
  'customer-reviews/cr.tsv',
  'sentiment140/test.tsv',
  'airline-tweets/airline.tsv',
];

/** Hand-made edge cases, always run (no data needed). */
const EDGE_CASES = [
  'I love this phone! 😍😍 Best purchase ever 👍',
  'Terrible service 😡 never again… 👎🏽',
  'The crème brûlée was exquisite, très bon!',
  'Naïve café owner, façade déjà vu — Ångström, Ærø, Øresund, São Paulo',
  'no\u00a0break\u00a0spaces\u00a0here and\u00a0there',
  '2 1\u00a0/2 stars',
  'ＦＵＬＬＷＩＤＴＨ letters and ① circled digits',
  '中文字符 mixed with English text 好',
  'tabs\tand\nnewlines\r\nand   multiple   spaces',
  'zero\u200bwidth\u200bspace and soft\u00adhyphen',
  'control\u0001chars\u001aand\ufffdreplacement',
  "don't can't won't it's y'all",
  'ALL CAPS IS SHOUTING!!!',
  '@united thanks for nothing #fail http://t.co/abc123',
  '',
  '   ',
  '[CLS] [SEP] [MASK] [PAD] [UNK] literal special tokens',
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
  'Ελληνικά και кириллица и العربية',
  'a'.repeat(150),
  Array.from({ length: 400 }, (_, i) => `word${i % 37} great, terrible; okay.`).join(' '),
];

function readTexts(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.slice(0, l.lastIndexOf('\t')));
}

/** Deterministic sample: every k-th row of each file, ~1,500 texts in all. */
function sampleDataTexts(): string[] {
  const out: string[] = [];
  for (const rel of DATA_FILES) {
    const texts = readTexts(path.join(dataDir, rel));
    const step = Math.max(1, Math.floor(texts.length / 140));
    for (let i = 0; i < texts.length; i += step) out.push(texts[i]);
  }
  // also every text with non-ASCII characters from the airline tweets (emoji) and the multi-domain reviews
  for (const rel of ['airline-tweets/airline.tsv', 'multi-domain/dvd.tsv']) {
    out.push(
      ...readTexts(path.join(dataDir, rel))
        .filter((t) => NON_ASCII.test(t))
        .slice(0, 150),
    );
  }
  return out;
}

function jsIds(tok: JsTokenizer, sepId: number, text: string): number[] {
  const ids = tok.encode(text).ids;
  return ids.length <= MAX_LENGTH ? ids : [...ids.slice(0, MAX_LENGTH - 1), sepId];
}

const haveModel = existsSync(path.join(modelDir, 'tokenizer.json'));

describe.skipIf(!haveModel)('sentiment tokenizer: @huggingface/tokenizers vs tokenizers (Rust)', () => {
  // Read only where the model is there; describe.skipIf() still runs this body to collect the tests.
  const { tokJson, tokCfg } = haveModel ? readTokenizerFiles(modelDir) : { tokJson: {} as TokenizerJson, tokCfg: {} as TokenizerConfig };

  async function compare(texts: string[]) {
    const js = new JsTokenizer(tokJson, tokCfg);
    const rs = rust.Tokenizer.fromFile(path.join(modelDir, 'tokenizer.json'));
    const sepId: number = tokJson.model.vocab['[SEP]'];
    const encs = await rs.encodeBatch(texts);
    const diffs: string[] = [];
    texts.forEach((t, i) => {
      const a = jsIds(js, sepId, t);
      const b = encs[i].getIds();
      if (a.length !== b.length || a.some((x, k) => x !== b[k])) {
        diffs.push(`${JSON.stringify(t.slice(0, 80))}: js=${JSON.stringify(a.slice(0, 20))} rust=${JSON.stringify(b.slice(0, 20))}`);
      }
    });
    return { diffs, encs };
  }

  it('has the expected special tokens and truncation settings', () => {
    expect(tokJson.model.vocab['[PAD]']).toBe(0);
    expect(tokJson.truncation.max_length).toBe(MAX_LENGTH);
    expect(tokCfg.model_max_length).toBe(MAX_LENGTH);
  });

  it('gives identical ids on hand-made edge cases (emoji, accents, U+00A0, very long text)', async () => {
    const { diffs, encs } = await compare(EDGE_CASES);
    expect(diffs).toEqual([]);
    const long = encs[EDGE_CASES.length - 1].getIds();
    expect(long.length).toBe(MAX_LENGTH);
    expect(long[0]).toBe(tokJson.model.vocab['[CLS]']);
    expect(long[MAX_LENGTH - 1]).toBe(tokJson.model.vocab['[SEP]']);
  });

  it.skipIf(!existsSync(path.join(dataDir, 'sst2', 'dev.tsv')))('gives identical ids on >= 1,000 data-set sentences', async () => {
    const texts = sampleDataTexts();
    expect(texts.length).toBeGreaterThanOrEqual(1000);
    const { diffs, encs } = await compare(texts);
    expect(diffs.slice(0, 10)).toEqual([]);
    expect(encs.some((e) => e.getIds().length === MAX_LENGTH)).toBe(true); // some were truncated
  });
});
