/**
 * The one frozen table of tasks. A task is one file under src/tasks/ and one line here; the
 * manifest schema (through task-rules.generated.mjs), the CLI's --task list, the README's task
 * table and the types of `load()` and `predict()` all derive from it.
 */
import type { TaskName } from '../protocol/task-io.js';
import { digits } from './digits.js';
import { imageClassification } from './image-classification.js';
import type { TaskDefinition } from './task.js';
import { tensor } from './tensor.js';
import { textClassification } from './text-classification.js';
import { voiceActivity } from './voice-activity.js';

/**
 * The frozen table of tasks, one line per task file: what each needs of a registry entry, and how it runs.
 * @example
 * ```ts
 * console.log(Object.keys(TASKS));   // ['tensor', 'digits', 'text-classification', …]
 * ```
 */
export const TASKS: Readonly<{ [T in TaskName]: TaskDefinition<T> }> = Object.freeze({
  tensor,
  digits,
  'text-classification': textClassification,
  'image-classification': imageClassification,
  'voice-activity': voiceActivity,
});

export function isTaskName(value: unknown): value is TaskName {
  return typeof value === 'string' && Object.hasOwn(TASKS, value);
}

/** A task's definition, looked up by a name that came from a manifest (already validated) or a caller. */
export function taskFor<T extends TaskName>(name: T): TaskDefinition<T> {
  return TASKS[name];
}

/**
 * What the registry's rules need of each task, as plain data: written to
 * src/registry/task-rules.generated.mjs by `npm run tasks:rules`, where the CLI (plain Node, no
 * build step) and the manifest schema read it. A unit test fails when that file is stale.
 */
export function taskRules(): Record<string, TaskDefinition<TaskName>['manifest']> {
  const rules: Record<string, TaskDefinition<TaskName>['manifest']> = {};
  for (const [name, task] of Object.entries(TASKS)) rules[name] = task.manifest;
  return rules;
}
