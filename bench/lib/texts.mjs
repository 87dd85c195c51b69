// The sentences timed. SHORT is about 10 tokens and LONG about 60 with the sentiment tokenizer
// ([CLS] and [SEP] included); the run reports the exact counts.
export const SHORT = 'The service was quick and the staff were friendly.';
export const LONG =
  'We booked this hotel for a long weekend because the photos looked lovely, but the room was smaller than advertised, ' +
  'the air conditioning rattled all night, and breakfast ran out by nine. The staff at the front desk were kind and ' +
  'tried to help, yet nothing really changed during our stay.';

const POOL = [
  'I love this phone, the battery lasts for days.',
  'The food was cold and the waiter was rude.',
  'Absolutely fantastic film, I would watch it again!',
  'Worst app ever. It crashes every time I open it.',
  'Not bad at all.',
  'The hotel was okay, nothing special.',
  'Customer support solved my problem in five minutes. Impressed!',
  'This blender is a piece of junk; it broke after two uses.',
];

/** n varied short reviews (8 to 14 tokens each). */
export function batchTexts(n) {
  return Array.from({ length: n }, (_, i) => `${POOL[i % POOL.length]}${i >= POOL.length ? ` (${i})` : ''}`);
}
