// The ONE definition of a valid registry.json, shared by the SDK (via manifest-schema.ts) and the
// `inpage-registry` CLI. Plain JS on purpose: see json-schema-lite.mjs for why.
// public/models/registry.schema.json is this object written out by `inpage-registry schema`;
// a unit test fails if the two ever differ.

import { validateJson, validateJsonAt } from './json-schema-lite.mjs';
import { TASK_RULES } from './task-rules.generated.mjs';

/** Semantic Versioning 2.0.0, the grammar from semver.org. */
export const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)' +
  '(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?' +
  '(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

/** Lower-case ids so `load('MNIST')` vs `load('mnist')` can never name two models; no `@` or `/`. */
export const MODEL_ID_PATTERN = '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$';

// Every segment starts with a letter, digit, `_` or `-`: this rules out `..`, `.`, hidden files,
// absolute paths and `//`, so a manifest can never point a download outside its own folder.
const FILE_PATH_PATTERN = '^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$';

const roleFile = (role) => ({
  title: `a file with role "${role}"`,
  type: 'object',
  required: ['role'],
  properties: { role: { const: role } },
});

/** Element types of model inputs and outputs, as onnxruntime-web names them. */
export const TENSOR_DTYPES = ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool', 'string'];

/** What each task adds to a version's rules (from the task table: see task-rules.generated.mjs). */
function taskCondition(task, rule) {
  const then = { required: [...(rule.labels ? ['labels'] : []), ...(rule.preprocess ? ['preprocess'] : [])], properties: {} };
  // The kind first: a preprocess of another task's kind is named as that, not as its missing fields.
  if (rule.preprocess) then.properties.preprocess = { allOf: [{ properties: { kind: rule.preprocess.properties.kind } }, rule.preprocess] };
  if (rule.roles.length > 0) then.allOf = rule.roles.map((role) => ({ properties: { files: { contains: roleFile(role) } } }));
  return { if: { required: ['task'], properties: { task: { const: task } } }, then };
}

/** JSON Schema (2020-12) for registry.json. Unknown fields are allowed so schemaVersion 1 can grow additively. */
export const MANIFEST_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://inpage.dev/schemas/registry.schema.json',
  title: 'inpage model registry',
  type: 'object',
  required: ['schemaVersion', 'models'],
  properties: {
    schemaVersion: { const: 1 },
    models: {
      type: 'object',
      propertyNames: { title: 'a model id (lower-case letters, digits, . _ -)', type: 'string', pattern: MODEL_ID_PATTERN },
      additionalProperties: { $ref: '#/$defs/modelEntry' },
    },
  },
  $defs: {
    modelEntry: {
      type: 'object',
      required: ['versions'],
      properties: {
        description: { type: 'string' },
        versions: {
          type: 'object',
          minProperties: 1,
          propertyNames: { title: 'a semver version (e.g. 1.0.0)', type: 'string', pattern: SEMVER_PATTERN },
          additionalProperties: { $ref: '#/$defs/modelVersion' },
        },
      },
    },
    modelVersion: {
      type: 'object',
      required: ['task', 'files', 'inputs', 'outputs'],
      properties: {
        task: { enum: Object.keys(TASK_RULES) },
        files: { type: 'array', minItems: 1, items: { $ref: '#/$defs/file' }, contains: roleFile('model') },
        inputs: { type: 'array', minItems: 1, items: { $ref: '#/$defs/tensor' } },
        outputs: { type: 'array', minItems: 1, items: { $ref: '#/$defs/tensor' } },
        labels: { type: 'array', minItems: 1, items: { type: 'string' } },
        preprocess: { title: 'pre-processing for the task', type: 'object', required: ['kind'], properties: { kind: { type: 'string' } } },
        license: { type: 'string', minLength: 1 },
        metrics: { type: 'object', additionalProperties: { type: 'number' } },
        runtime: { $ref: '#/$defs/runtime' },
        description: { type: 'string' },
        created: {
          title: 'an ISO 8601 date or date-time',
          type: 'string',
          pattern: '^\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:\\d{2}))?$',
        },
      },
      allOf: Object.entries(TASK_RULES).map(([task, rule]) => taskCondition(task, rule)),
    },
    runtime: {
      title: 'how to run the model: hints from whoever published it',
      type: 'object',
      properties: {
        graphOptimization: { enum: ['disabled', 'basic', 'extended', 'all'] },
      },
    },
    file: {
      type: 'object',
      required: ['path', 'role', 'sha256', 'bytes'],
      properties: {
        path: { title: 'a relative path without . or .. segments', type: 'string', pattern: FILE_PATH_PATTERN },
        role: { enum: ['model', 'tokenizer', 'tokenizer-config', 'config'] },
        sha256: { title: 'a lower-case hex sha256 (64 characters)', type: 'string', pattern: '^[0-9a-f]{64}$' },
        bytes: { type: 'integer', minimum: 1 },
      },
    },
    tensor: {
      type: 'object',
      required: ['name', 'dtype', 'shape'],
      properties: {
        name: { type: 'string', minLength: 1 },
        dtype: { enum: TENSOR_DTYPES },
        shape: { type: 'array', items: { type: ['integer', 'string'], minimum: 1, minLength: 1 } },
      },
    },
  },
};

// Rules JSON Schema cannot say: loaded files are looked up by role, so a role may appear once
// per version, and two entries for the same path would make the download ambiguous.
function findDuplicateFiles(manifest, problems, limit) {
  for (const [id, entry] of Object.entries(manifest.models)) {
    for (const [version, model] of Object.entries(entry.versions)) {
      const seenRoles = new Set();
      const seenPaths = new Set();
      model.files.forEach((file, i) => {
        const at = `models.${id}.versions.${version}.files[${i}]`;
        if (seenRoles.has(file.role) && problems.length < limit) {
          problems.push({ path: `${at}.role`, message: `role "${file.role}" appears more than once` });
        }
        if (seenPaths.has(file.path) && problems.length < limit) {
          problems.push({ path: `${at}.path`, message: `"${file.path}" is listed more than once` });
        }
        seenRoles.add(file.role);
        seenPaths.add(file.path);
      });
    }
  }
}

/**
 * Every problem (up to `limit`) that makes `value` an invalid registry manifest; empty when valid.
 * @param {unknown} value
 * @param {number} [limit]
 */
export function findManifestProblems(value, limit = 20) {
  const problems = validateJson(MANIFEST_JSON_SCHEMA, value, limit);
  if (problems.length === 0) findDuplicateFiles(value, problems, limit);
  return problems;
}

/**
 * The manifest, or the same problems as {@link findManifestProblems}, found one model entry at a time with
 * `pause()` awaited whenever `sliceMs` have passed: a large registry.json then never holds the
 * engine's thread (and the predictions of models already loaded) for more than a slice.
 * @param {unknown} value
 * @param {{ limit?: number, sliceMs?: number, pause: () => Promise<void> }} options
 */
export async function validateManifestInSlices(value, { limit = 20, sliceMs = 8, pause }) {
  const problems = await problemsInSlices(value, limit, sliceMs, pause);
  return problems.length === 0 ? { manifest: value, problems } : { manifest: null, problems };
}

async function problemsInSlices(value, limit, sliceMs, pause) {
  const models = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.models : undefined;
  if (typeof models !== 'object' || models === null || Array.isArray(models)) return findManifestProblems(value, limit);
  // The root without its entries, then each entry as the root schema would check it.
  const problems = validateJson(MANIFEST_JSON_SCHEMA, { ...value, models: {} }, limit);
  const modelsSchema = MANIFEST_JSON_SCHEMA.properties.models;
  let sliceStart = performance.now();
  for (const [id, entry] of Object.entries(models)) {
    if (problems.length >= limit) break;
    validateJsonAt(MANIFEST_JSON_SCHEMA, modelsSchema, { [id]: entry }, 'models', problems, limit);
    if (performance.now() - sliceStart > sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
  }
  if (problems.length === 0) findDuplicateFiles(value, problems, limit);
  return problems;
}

/** @param {unknown} value */
export function isManifest(value) {
  return findManifestProblems(value, 1).length === 0;
}
