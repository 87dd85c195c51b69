/**
 * The registry manifest's shape, written once in valibot: the SDK validates registry.json with
 * it (no eval, so it works under a strict CSP), `manifest-types.ts` derives the TypeScript types
 * from it, and `scripts/write-task-rules.mjs` turns it into the published JSON Schema
 * (public/models/registry.schema.json) and the CLI's validator compiled from that schema.
 *
 * What each task adds (its `preprocess`, required files and labels) comes from the task's own
 * file through {@link versionRulesFor}; this file knows no task by name.
 */
import * as v from 'valibot';
import { preprocessSchema, type PreprocessSchema } from '../protocol/preprocess.js';
import { tensorSpecSchema } from '../protocol/tensor-spec.js';
import type { TaskName } from '../protocol/task-io.js';
import { SEMVER_PATTERN } from './semver-pattern.mjs';

/** Lower-case ids so `load('MNIST')` vs `load('mnist')` can never name two models; no `@` or `/`. */
export const MODEL_ID_PATTERN = '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$';

// Every segment starts with a letter, digit, `_` or `-`: this rules out `..`, `.`, hidden files,
// absolute paths and `//`, so a manifest can never point a download outside its own folder.
const FILE_PATH_PATTERN = '^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$';

const ISO_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:\\d{2}))?$';

/** What a file is for, so tasks find their files without guessing names. */
export const FILE_ROLES = ['model', 'tokenizer', 'tokenizer-config', 'config'] as const;

/** onnxruntime's graph optimisation levels. */
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

/** A string matching `pattern`, reported as not being `what`; the title names it in the JSON Schema too. */
function matching(pattern: string, what: string) {
  return v.pipe(
    v.string(),
    v.regex(new RegExp(pattern), (issue) => `${JSON.stringify(issue.input)} is not ${what}`),
    v.title(what),
  );
}

const nonEmptyString = v.pipe(v.string(), v.minLength(1, 'must not be empty'));

export const manifestFileSchema = v.object({
  /** Path relative to the manifest's URL, e.g. `mnist/1.0.0/model.onnx`. */
  path: matching(FILE_PATH_PATTERN, 'a relative path without . or .. segments'),
  role: v.picklist(FILE_ROLES),
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: matching('^[0-9a-f]{64}$', 'a lower-case hex sha256 (64 characters)'),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

export const runtimeHintsSchema = v.pipe(
  v.object({ graphOptimization: v.optional(v.picklist(GRAPH_OPTIMIZATION_LEVELS)) }),
  v.title('how to run the model: hints from whoever published it'),
);

const labelsSchema = v.pipe(v.array(v.string()), v.minLength(1, 'must not be empty'));

type FileRole = (typeof FILE_ROLES)[number];

/**
 * The version's files, which must hold one of each role in `roles`. A check has no JSON Schema of
 * its own, so its metadata says it for the generated one (`contains`, one per role).
 */
function filesWith(roles: readonly FileRole[]) {
  const title = (role: FileRole): string => `a file with role "${role}"`;
  const missing = (files: readonly { role: string }[]): FileRole | undefined => roles.find((role) => !files.some((file) => file.role === role));
  return v.pipe(
    v.array(manifestFileSchema),
    v.minLength(1, 'must not be empty'),
    v.check(
      (files) => missing(files) === undefined,
      (issue) => `must contain ${title(missing(issue.input) ?? 'model')}`,
    ),
    v.metadata({
      allOf: roles.map((role) => ({ contains: { title: title(role), type: 'object', required: ['role'], properties: { role: { const: role } } } })),
    }),
  );
}

/** The fields of a version every task shares, with `task` and the task-specific ones left open. */
function versionEntries<Task extends v.GenericSchema<unknown, TaskName>>(task: Task, roles: readonly FileRole[] = []) {
  return {
    task,
    files: filesWith(['model', ...roles]),
    inputs: v.pipe(v.array(tensorSpecSchema), v.minLength(1, 'must not be empty')),
    outputs: v.pipe(v.array(tensorSpecSchema), v.minLength(1, 'must not be empty')),
    /** Class names in output order (classifying tasks require them). */
    labels: v.optional(labelsSchema),
    preprocess: v.optional(preprocessSchema),
    /** SPDX id or short text covering weights and training data. */
    license: v.optional(nonEmptyString),
    /** Evaluation figures, e.g. `{ "mnist-test-accuracy": 0.9931 }`. */
    metrics: v.optional(v.record(v.string(), v.number())),
    runtime: v.optional(runtimeHintsSchema),
    description: v.optional(v.string()),
    /** ISO date the entry was written. */
    created: v.optional(matching(ISO_DATE_PATTERN, 'an ISO 8601 date or date-time')),
  };
}

/** A version of any task, for the types: `task` is any task name, `preprocess` any kind. */
export const modelVersionShape = v.object(versionEntries(v.custom<TaskName>((value) => typeof value === 'string')));

/** What a task adds to the rules of its versions (from the task's file). */
export interface VersionRules {
  task: TaskName;
  preprocess: PreprocessSchema | null;
  roles: readonly FileRole[];
  labels: boolean;
}

/** The schema of one task's versions: the shared fields, tightened by the task's rules. */
export function versionRulesFor(rules: VersionRules) {
  const shared = versionEntries(v.literal(rules.task), rules.roles);
  return v.object({
    ...shared,
    labels: rules.labels ? labelsSchema : shared.labels,
    preprocess: rules.preprocess ?? shared.preprocess,
  });
}

function modelEntrySchema<Version extends v.GenericSchema>(version: Version) {
  return v.object({
    description: v.optional(v.string()),
    /** Keyed by semver version string. */
    versions: v.pipe(v.record(matching(SEMVER_PATTERN, 'a semver version (e.g. 1.0.0)'), version), v.minEntries(1, 'must have at least 1 version')),
  });
}

/** registry.json, with the version schema given: the types' (any task) or the validator's (per task). */
export function manifestSchemaWith<Version extends v.GenericSchema>(version: Version) {
  return v.pipe(
    v.object({
      schemaVersion: v.literal(1),
      models: v.record(matching(MODEL_ID_PATTERN, 'a model id (lower-case letters, digits, . _ -)'), modelEntrySchema(version)),
    }),
    v.title('inpage model registry'),
  );
}

/** The shape the types derive from. */
export const manifestShape = manifestSchemaWith(modelVersionShape);
