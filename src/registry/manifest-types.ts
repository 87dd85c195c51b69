/**
 * The registry manifest (`registry.json`) as served by a CDN next to the model files.
 * This file holds the types only; `manifest-schema.ts` validates untrusted JSON into them.
 */

export const MANIFEST_SCHEMA_VERSION = 1;

/** Which task helper turns inputs into tensors and outputs into results. */
export type TaskName = 'digits' | 'text-classification';

/** What a file is for, so tasks find their files without guessing names. */
export type FileRole = 'model' | 'tokenizer' | 'tokenizer-config' | 'config';

/** One file of a model version, with what is needed to verify it before use. */
export interface ManifestFile {
  /** Path relative to the manifest's URL, e.g. `mnist/1.0.0/model.onnx`. */
  path: string;
  role: FileRole;
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export type TensorDType = 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';

export interface TensorSpec {
  name: string;
  dtype: TensorDType;
  /** Dimensions; a string names a dynamic axis (`batch`, `sequence`). */
  shape: Array<number | string>;
}

/** Pre-processing for the digits task: how MNIST was made, and the training normalisation. */
export interface DigitsPreprocess {
  kind: 'mnist';
  /** Side of the square model input (28). */
  size: number;
  /** Side of the box the ink is scaled to fit, keeping its aspect (20). */
  fit: number;
  mean: number;
  std: number;
}

/** Pre-processing for text classification: the tokenizer files carry the rest. */
export interface TextPreprocess {
  kind: 'tokenizer';
  /** Longest token sequence the model takes; longer text is truncated. */
  maxLength: number;
}

export type Preprocess = DigitsPreprocess | TextPreprocess;

/**
 * How to run a model, from whoever published it. `graphOptimization` is onnxruntime's graph
 * optimisation level (default "all"): the fusions above "basic" make runs a few per cent faster
 * but cost session-build time, which for a large graph can outweigh them on every page load.
 */
export interface RuntimeHints {
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

/** One published version of a model: its task, files and everything needed to run it. */
export interface ModelVersion {
  task: TaskName;
  files: ManifestFile[];
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Class names in output order. */
  labels: string[];
  preprocess: Preprocess;
  /** SPDX id or short text covering weights and training data. */
  license: string;
  /** Evaluation figures, e.g. `{ "mnist-test-accuracy": 0.9931 }`. */
  metrics: Record<string, number>;
  runtime?: RuntimeHints;
  description?: string;
  /** ISO date the entry was written. */
  created?: string;
}

/** A model id's entry: its versions. */
export interface ModelEntry {
  description?: string;
  /** Keyed by semver version string. */
  versions: Record<string, ModelVersion>;
}

/** registry.json: every model id the CDN serves. Validated against registry.schema.json. */
export interface Manifest {
  schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  models: Record<string, ModelEntry>;
}
