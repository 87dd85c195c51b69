/**
 * The registry manifest (`registry.json`) as served by a CDN next to the model files.
 * This file holds the types only; `manifest-schema.ts` validates untrusted JSON into them.
 * What each task adds (its `preprocess`, required files and labels) is declared by the task's
 * own file under src/tasks/.
 */
import type { TaskName } from '../protocol/task-io.js';
import type { TensorSpec } from '../protocol/tensor-types.js';

export type { TaskName } from '../protocol/task-io.js';
export type { TensorDType, TensorSpec } from '../protocol/tensor-types.js';

export const MANIFEST_SCHEMA_VERSION = 1;

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

/**
 * A task's pre-processing, from the card. Its fields are the task's own (each task file declares
 * its interface and schema); the manifest schema has checked them by the time a task reads them.
 */
export interface Preprocess {
  kind: string;
  [field: string]: unknown;
}

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
  /** Class names in output order (classifying tasks require them). */
  labels?: string[];
  /** The task's pre-processing (tasks that need one require it). */
  preprocess?: Preprocess;
  /** SPDX id or short text covering weights and training data. */
  license?: string;
  /** Evaluation figures, e.g. `{ "mnist-test-accuracy": 0.9931 }`. */
  metrics?: Record<string, number>;
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
