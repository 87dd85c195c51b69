/**
 * Inputs and outputs as they cross the engine boundary. The client turns what the page has
 * (a canvas, ImageData, a string) into one of these; buffers are transferred.
 */

/** RGBA pixels, as in ImageData. */
export interface ImageTaskInput {
  kind: 'image';
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Already pre-processed model input (e.g. 784 floats in MNIST framing, before normalisation). */
export interface FloatsTaskInput {
  kind: 'floats';
  data: Float32Array;
}

export interface TextsTaskInput {
  kind: 'texts';
  texts: string[];
}

export type TaskInput = ImageTaskInput | FloatsTaskInput | TextsTaskInput;

/** Result of the digits task. */
export interface DigitPrediction {
  /** The most probable digit, 0-9. */
  label: number;
  /** Softmax probabilities for digits 0..9. */
  probabilities: number[];
}

/** Result of text classification for one text. */
export interface TextClassification {
  label: string;
  /** Probability of `label`. */
  score: number;
  /** Probability of every label, keyed by label name. */
  scores: Record<string, number>;
  /** True when the text was longer than the model's maximum and was cut. */
  truncated: boolean;
}

export type TaskOutput =
  | { kind: 'digit'; result: DigitPrediction }
  | { kind: 'texts'; results: TextClassification[] };
