/**
 * The engine half of text classification: tokenisation with @huggingface/tokenizers, the
 * maintained reader of tokenizer.json, batching by padding, and scores to labels. Imported only
 * when a text model loads (text-classification.ts), so a page that classifies no text never
 * downloads the tokenizer.
 * Owns: nothing mutable; a TruncatingEncoder keeps its tokenizer and the [CLS]/[SEP] ids it adds.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { InpageError } from '../errors.js';
import { argmax, softmax } from './softmax.js';

/** First slice of a long text to tokenise; doubled until it yields enough tokens. */
const FIRST_SLICE_CHARS = 2048;

/**
 * Result of text classification for one text.
 * @example
 * ```ts
 * const { label, score, truncated }: TextClassification = await sentiment.predict(review);
 * ```
 */
export interface TextClassification {
  label: string;
  /** Probability of `label`. */
  score: number;
  /** Probability of every label, keyed by label name. */
  scores: Record<string, number>;
  /** True when the text was longer than the model's maximum and was cut. */
  truncated: boolean;
}

export interface EncodedText {
  ids: number[];
  truncated: boolean;
}

export function parseJsonFile(bytes: Uint8Array, name: string): object {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null) return value;
  } catch (error) {
    throw new InpageError('MODEL_INVALID', `${name} is not valid JSON`, { cause: error });
  }
  throw new InpageError('MODEL_INVALID', `${name} does not hold a JSON object`);
}

/**
 * Wraps a tokenizer with exact truncation to `maxLength` tokens (special tokens included), as
 * the Rust library's `truncation: { max_length }` does for one sequence. Long texts are
 * tokenised in growing whitespace-bounded prefixes, so 1 MB of text costs about as much as the
 * part the model will see.
 */
export class TruncatingEncoder {
  private readonly prefix: number[];
  private readonly suffix: number[];

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly maxLength: number,
  ) {
    // Learn where the post-processor puts its special tokens ([CLS] x [SEP] for BERT).
    const plain = tokenizer.encode('a', { add_special_tokens: false }).ids;
    const full = tokenizer.encode('a', { add_special_tokens: true }).ids;
    const at = full.findIndex((_, i) => plain.every((id, j) => full[i + j] === id));
    this.prefix = at >= 0 ? full.slice(0, at) : [];
    this.suffix = at >= 0 ? full.slice(at + plain.length) : [];
  }

  get padId(): number {
    return this.tokenizer.token_to_id('[PAD]') ?? this.tokenizer.token_to_id('<pad>') ?? 0;
  }

  encode(text: string): EncodedText {
    const room = Math.max(1, this.maxLength - this.prefix.length - this.suffix.length);
    let content: number[];
    let end: number;
    for (let slice = FIRST_SLICE_CHARS; ; slice *= 2) {
      end = cutAtWhitespace(text, slice);
      content = this.tokenizer.encode(text.slice(0, end), { add_special_tokens: false }).ids;
      if (end >= text.length || content.length > room) break;
    }
    const truncated = content.length > room;
    return { ids: [...this.prefix, ...content.slice(0, room), ...this.suffix], truncated };
  }
}

/** The end of a prefix of about `chars` characters that does not split a word. */
function cutAtWhitespace(text: string, chars: number): number {
  if (chars >= text.length) return text.length;
  const space = text.slice(chars).search(/\s/u);
  return space < 0 ? text.length : chars + space;
}

export function createTextEncoder(tokenizerJson: Uint8Array, tokenizerConfig: Uint8Array | undefined, maxLength: number): TruncatingEncoder {
  const json = parseJsonFile(tokenizerJson, 'tokenizer.json');
  const config = tokenizerConfig ? parseJsonFile(tokenizerConfig, 'tokenizer_config.json') : {};
  try {
    return new TruncatingEncoder(new Tokenizer(json, config), maxLength);
  } catch (error) {
    throw new InpageError('MODEL_INVALID', `tokenizer.json could not be read: ${String(error)}`, { cause: error });
  }
}

export interface TextBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  batch: number;
  sequence: number;
}

/** Pads a batch to its longest member; the attention mask keeps padding out of the result. */
export function padBatch(encoded: EncodedText[], padId: number): TextBatch {
  let sequence = 0;
  for (const e of encoded) sequence = Math.max(sequence, e.ids.length);
  const batch = encoded.length;
  const inputIds = new BigInt64Array(batch * sequence).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * sequence);
  encoded.forEach((e, row) => {
    e.ids.forEach((id, col) => {
      inputIds[row * sequence + col] = BigInt(id);
      attentionMask[row * sequence + col] = 1n;
    });
  });
  return { inputIds, attentionMask, tokenTypeIds: new BigInt64Array(batch * sequence), batch, sequence };
}

export function classify(logits: ArrayLike<number>, labels: string[], truncated: boolean): TextClassification {
  const probabilities = softmax(logits);
  const best = argmax(probabilities);
  const scores: Record<string, number> = {};
  probabilities.forEach((p, i) => {
    scores[labels[i] ?? String(i)] = p;
  });
  return { label: labels[best] ?? String(best), score: probabilities[best] ?? 0, scores, truncated };
}
