// Trains the sentiment WordPiece tokenizer with the `tokenizers` npm package (Hugging Face's Rust library)
// and pre-tokenizes every row of training/.cache/sentiment/rows.jsonl for the Python trainer.
//
// Usage: node training/sentiment/tokenize.mjs [--dir training/.cache/sentiment] [--vocab 8000] [--max-length 512]
//                                             [--from public/models/sentiment/1.2.0/tokenizer.json]
// --from skips training and uses that tokenizer: a model distilled from a shipped one must read the same ids, and
// the trainer's order for tokens of equal frequency (e.g. the `##` alphabet) is not the same from run to run.
// Reads  <dir>/train-text.txt (unique training texts) and <dir>/rows.jsonl (written by prepare_data.py).
// Writes <dir>/tokenizer.json and <dir>/ids.jsonl (one JSON array of token ids per row, same order,
//        with [CLS] ... [SEP], truncated to --max-length tokens).
//
// The Node bindings do not expose trainer options (vocab size, special tokens), so the WordPiece model is
// trained with the library's default trainer (30k), then its vocabulary -- the alphabet followed by the merges
// in the order the trainer learnt them, i.e. by frequency -- is cut to the first `--vocab` entries, after the
// five special tokens [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4. A prefix of a WordPiece vocabulary that holds the
// whole alphabet is itself a valid vocabulary (greedy longest-match still finds a split for every word).
import { readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import tk from 'tokenizers';

const { Tokenizer, WordPiece, bertNormalizer, bertPreTokenizer, bertProcessing, wordPieceDecoder } = tk;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dir = opt('--dir', 'training/.cache/sentiment');
const vocabSize = Number(opt('--vocab', '8000'));
// 512 like BERT: a third of the multi-domain reviews are longer than 256 tokens, and their verdict is often at the end
const MAX_LENGTH = Number(opt('--max-length', '512'));
const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

function configure(tok) {
  tok.setNormalizer(bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: true, lowercase: true }));
  tok.setPreTokenizer(bertPreTokenizer());
  tok.setDecoder(wordPieceDecoder('##', true));
}

const from = opt('--from', null); // see the usage note above
function trainTokenizer() {
  // 1. train with the default WordPiece trainer
  const base = new Tokenizer(WordPiece.empty());
  configure(base);
  base.train([path.join(dir, 'train-text.txt')]);
  const learnt = Object.entries(base.getVocab(false)).sort((a, b) => a[1] - b[1]).map(([t]) => t);

  // 2. cut to vocabSize, specials first
  const vocab = {};
  for (const t of SPECIALS) vocab[t] = Object.keys(vocab).length;
  for (const t of learnt) {
    if (Object.keys(vocab).length >= vocabSize) break;
    if (!(t in vocab)) vocab[t] = Object.keys(vocab).length;
  }
  const tok = new Tokenizer(WordPiece.init(vocab, { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 }));
  configure(tok);
  tok.addSpecialTokens(SPECIALS);
  tok.setPostProcessor(bertProcessing(['[SEP]', vocab['[SEP]']], ['[CLS]', vocab['[CLS]']]));
  tok.setTruncation(MAX_LENGTH);
  tok.save(path.join(dir, 'tokenizer.json'), true);
  console.log(`learnt ${learnt.length} tokens, kept ${Object.keys(vocab).length}`);
  return vocab;
}

const vocab = from ? JSON.parse(readFileSync(from, 'utf8')).model.vocab : trainTokenizer();
if (from) writeFileSync(path.join(dir, 'tokenizer.json'), readFileSync(from));

// 3. pre-tokenize all rows
const rows = readFileSync(path.join(dir, 'rows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const reloaded = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
const out = createWriteStream(path.join(dir, 'ids.jsonl'));
let unk = 0;
let total = 0;
let truncated = 0;
const B = 512;
for (let i = 0; i < rows.length; i += B) {
  const encs = await reloaded.encodeBatch(rows.slice(i, i + B).map((r) => r.text));
  for (const e of encs) {
    const ids = e.getIds();
    total += ids.length;
    unk += ids.filter((x) => x === vocab['[UNK]']).length;
    if (ids.length === MAX_LENGTH) truncated++;
    out.write(JSON.stringify(ids) + '\n');
  }
}
await new Promise((res) => out.end(res));
console.log(JSON.stringify({ rows: rows.length, tokens: total, unkRate: unk / total, truncatedRows: truncated }));
writeFileSync(path.join(dir, 'tokenize-done.json'), JSON.stringify({ rows: rows.length, vocab: Object.keys(vocab).length }));
