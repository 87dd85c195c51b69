/**
 * registry.json's full rules: the shape every version shares (manifest-shape.ts), tightened per
 * task by the task's own rules from the task table. The SDK validates with it in the browser
 * (valibot runs no eval, so a strict CSP is fine); scripts/write-task-rules.mjs generates the
 * published JSON Schema, and from that the CLI's validator, out of the same object.
 */
import * as v from 'valibot';
import { TASKS } from '../tasks/task-table.js';
import { findDuplicateFiles } from './duplicate-files.mjs';
import { manifestFileSchema, manifestSchemaWith, runtimeHintsSchema, versionRulesFor } from './manifest-shape.js';
import { tensorSpecSchema } from '../protocol/tensor-spec.js';
import type { ManifestProblem } from './duplicate-files.mjs';

/** One schema per task's versions, told apart by `task`: an entry is checked against its own task's rules only. */
const versionSchema = v.variant(
  'task',
  Object.values(TASKS).map((task) => versionRulesFor({ task: task.name, ...task.manifest })),
);

export const manifestSchema = manifestSchemaWith(versionSchema);

/** The parts every task's versions share, named once in the generated JSON Schema's `$defs` rather than repeated per task. */
export const sharedDefinitions = { file: manifestFileSchema, tensor: tensorSpecSchema, runtime: runtimeHintsSchema };

/** `models.mnist.versions.1.0.0.files[0].sha256`, from a valibot issue's path. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    const key = String(item.key);
    if (item.type === 'array') path += `[${key}]`;
    else path += path === '' ? key : `.${key}`;
  }
  return path;
}

/** valibot's message, but "is required" for a missing field, as the CLI says it. */
function messageOf(issue: v.BaseIssue<unknown>): string {
  return issue.type === 'object' && issue.input === undefined && issue.path?.at(-1)?.value === undefined ? 'is required' : issue.message;
}

/** Every problem (up to `limit`) that makes `value` an invalid registry manifest; empty when valid. */
export function findManifestProblems(value: unknown, limit = 20): ManifestProblem[] {
  const result = v.safeParse(manifestSchema, value, { abortEarly: false });
  if (!result.success) return result.issues.slice(0, limit).map((issue) => ({ path: pathOf(issue), message: messageOf(issue) }));
  const problems: ManifestProblem[] = [];
  findDuplicateFiles(result.output, problems, limit);
  return problems;
}
