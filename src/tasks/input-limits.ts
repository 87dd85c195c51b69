/**
 * What inputs are accepted at all. Checked on the main thread before anything is sent to the
 * worker, and again in the engine; kept apart from the tasks so the page's bundle does not carry
 * the tokenizer to enforce them.
 */
import { InpageError } from '../errors.js';

/** Larger pictures are refused rather than risk minutes of work on a typo'd size (16.7 megapixels). */
export const MAX_PIXELS = 4096 * 4096;

/**
 * Longest audio in one predict() or push(): 10 minutes (115 MB of samples at 48 kHz). Longer
 * recordings are pushed to a stream in parts, which holds no more than a frame at a time.
 */
export const MAX_AUDIO_SECONDS = 600;

/** Longest text accepted at all; longer text is refused, not silently cut. */
export const MAX_TEXT_CHARS = 1_000_000;

export function checkTexts(texts: unknown[]): string[] {
  if (texts.length === 0) throw new InpageError('INPUT_INVALID', 'Expected a string or a non-empty array of strings');
  return texts.map((text, index) => {
    const where = texts.length > 1 ? ` (item ${index})` : '';
    if (typeof text !== 'string') {
      const type = text === null ? 'null' : typeof text;
      throw new InpageError(
        'INPUT_INVALID',
        texts.length > 1 ? `Item ${index} is ${type}; every item must be a string` : `Expected a string, got ${type}`,
      );
    }
    if (text.trim().length === 0) throw new InpageError('INPUT_INVALID', `The text${where} is empty`);
    if (text.length > MAX_TEXT_CHARS) {
      throw new InpageError('INPUT_INVALID', `The text${where} has ${text.length} characters; at most ${MAX_TEXT_CHARS} are accepted`);
    }
    return text;
  });
}
