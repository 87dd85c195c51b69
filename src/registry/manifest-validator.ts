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
import type { Manifest } from './manifest-types.js';

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
  const problems = issuesOf(value, limit);
  if (problems.length === 0) findDuplicateFiles(value as Manifest, problems, limit);
  return problems;
}

/** The schema's own problems (up to `limit`), without the duplicate-file check across versions. */
function issuesOf(value: unknown, limit: number): ManifestProblem[] {
  const result = v.safeParse(manifestSchema, value, { abortEarly: false });
  return result.success ? [] : result.issues.slice(0, limit).map((issue) => ({ path: pathOf(issue), message: messageOf(issue) }));
}

/**
 * {@link findManifestProblems}, one model entry at a time, awaiting `pause()` whenever `sliceMs`
 * have passed: a large registry.json then never holds the engine's thread (and the predictions
 * of models already loaded) for more than a slice. The same verdict as the whole at once.
 */
export async function findManifestProblemsInSlices(
  value: unknown,
  { limit = 20, sliceMs = 8, pause }: { limit?: number; sliceMs?: number; pause: () => Promise<void> },
): Promise<ManifestProblem[]> {
  const models = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { models?: unknown }).models : undefined;
  if (typeof models !== 'object' || models === null || Array.isArray(models)) return findManifestProblems(value, limit);
  // The root without its entries, then each entry under a root known to be valid.
  const problems = issuesOf({ ...(value as object), models: {} }, limit);
  let sliceStart = performance.now();
  const entries: [string, unknown][] = Object.entries(models);
  for (const [id, entry] of entries) {
    if (problems.length >= limit) break;
    problems.push(...issuesOf({ schemaVersion: 1, models: { [id]: entry } }, limit - problems.length));
    if (performance.now() - sliceStart > sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
  }
  if (problems.length === 0) findDuplicateFiles(value as Manifest, problems, limit);
  return problems;
}
