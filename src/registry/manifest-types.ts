/**
 * The registry manifest (`registry.json`) as served by a CDN next to the model files. The types
 * are read off the valibot schema in manifest-shape.ts, so the checks and the types are one
 * definition; `manifest-schema.ts` validates untrusted JSON into them. What each task adds (its
 * `preprocess`, required files and labels) is declared by the task's own file under src/tasks/.
 */
import type * as v from 'valibot';
import type { FILE_ROLES, manifestFileSchema, manifestShape, modelVersionShape, runtimeHintsSchema } from './manifest-shape.js';

export type { Preprocess } from '../protocol/preprocess.js';
export type { TaskName } from '../protocol/task-io.js';
export type { TensorDType, TensorSpec } from '../protocol/tensor-types.js';

export const MANIFEST_SCHEMA_VERSION = 1;

/** What a file is for, so tasks find their files without guessing names. */
export type FileRole = (typeof FILE_ROLES)[number];

/**
 * One file of a model version, with what is needed to verify it before use: `path` (relative to the manifest's URL), `role`, `sha256` (lower-case hex), `bytes`.
 * @example
 * ```ts
 * const file: ManifestFile = { path: 'mnist/1.0.0/model.onnx', role: 'model', sha256: '…64 hex…', bytes: 450593 };
 * ```
 * @interface
 */
export type ManifestFile = v.InferOutput<typeof manifestFileSchema>;

/**
 * How to run a model, from whoever published it. `graphOptimization` is onnxruntime's graph
 * optimisation level (default "all"): the fusions above "basic" make runs a few per cent faster
 * but cost session-build time, which for a large graph can outweigh them on every page load.
 * @interface
 */
export type RuntimeHints = v.InferOutput<typeof runtimeHintsSchema>;

/**
 * One published version of a model: its task, files and everything needed to run it.
 * @example
 * ```ts
 * const manifest: Manifest = await (await fetch('models/registry.json')).json();
 * const version: ModelVersion | undefined = manifest.models['mnist']?.versions['1.0.0'];
 * ```
 * @interface
 */
export type ModelVersion = v.InferOutput<typeof modelVersionShape>;

/**
 * registry.json: every model id the CDN serves. Validated against registry.schema.json.
 * @example
 * ```ts
 * const manifest: Manifest = await (await fetch('models/registry.json')).json();
 * console.log(Object.keys(manifest.models));
 * ```
 * @interface
 */
export type Manifest = v.InferOutput<typeof manifestShape>;

/** A model id's entry: its versions, keyed by semver version string. */
export type ModelEntry = Manifest['models'][string];
